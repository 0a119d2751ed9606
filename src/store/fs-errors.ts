// The file system's refusals (permissions, a read-only or full disk, a folder where a file should
// be) as one line that names the path and says what to do, with exit 5: the files hzl works on
// cannot be used as they are. Anything else stays an unexpected error.

import { basename, dirname, isAbsolute, relative } from 'node:path';
import { InvalidDataError } from '../core/errors.js';

interface Reason {
  what: string;
  /** What to do, given the folder that refused (as shown). */
  todo: (folder: string) => string;
}

const REASONS: Record<string, Reason> = {
  EACCES: { what: 'permission denied', todo: (d) => `check the owner and permissions of ${d} (ls -ld ${d})` },
  EPERM: {
    what: 'not permitted',
    todo: (d) => `check the permissions and attributes of ${d} (ls -ld ${d}; lsattr -d ${d})`,
  },
  EROFS: { what: 'read-only file system', todo: () => 'run hzl where the repository can be written' },
  ENOSPC: { what: 'no space left on device', todo: () => 'free some space and run the command again' },
  EDQUOT: { what: 'disk quota exceeded', todo: () => 'free some space and run the command again' },
  EISDIR: { what: 'a folder is where a file should be', todo: () => 'move the folder aside' },
  ENOTDIR: { what: 'a file is where a folder should be', todo: () => 'move the file aside' },
  ELOOP: { what: 'too many levels of symbolic links', todo: () => 'replace the link with the file it should be' },
  ENAMETOOLONG: { what: 'the path is too long', todo: () => 'use a shorter path' },
  EMFILE: { what: 'too many open files', todo: () => "raise the limit ('ulimit -n') and run the command again" },
  ENFILE: { what: 'too many open files', todo: () => 'close some programs and run the command again' },
  EIO: { what: 'input/output error', todo: () => 'check the disk' },
  ENOENT: { what: 'no such file or folder', todo: () => 'it may have been removed meanwhile: run the command again' },
};

const VERBS: Record<string, string> = {
  open: 'open',
  read: 'read',
  write: 'write',
  scandir: 'list',
  opendir: 'list',
  mkdir: 'create',
  rename: 'rename',
  unlink: 'remove',
  rmdir: 'remove',
  rm: 'remove',
  stat: 'look at',
  lstat: 'look at',
  chdir: 'enter',
  copyfile: 'copy',
  link: 'link',
  symlink: 'link',
  utime: 'touch',
};

/** The error as hzl's own, when it is a file system refusal we can explain; else undefined. */
export function explainFsError(err: unknown, cwd: string | undefined): InvalidDataError | undefined {
  const e = err as NodeJS.ErrnoException;
  if (!(err instanceof Error) || typeof e.code !== 'string' || typeof e.syscall !== 'string') return undefined;
  const reason = REASONS[e.code];
  if (!reason) return undefined;
  const verb = VERBS[e.syscall] ?? e.syscall;
  if (e.path === undefined) return new InvalidDataError(`cannot ${verb}: ${reason.what}; ${reason.todo('the folder')}`);
  const shown = show(e.path, cwd);
  // A temp file's name means nothing to the user: the folder it was to go in does.
  if (/^\..+\.tmp$/.test(basename(e.path))) {
    const folder = show(dirname(e.path), cwd);
    return new InvalidDataError(`cannot write in ${folder}: ${reason.what}; ${reason.todo(folder)}`);
  }
  const folder =
    e.syscall === 'scandir' || e.syscall === 'opendir' || e.syscall === 'chdir' ? shown : show(dirname(e.path), cwd);
  return new InvalidDataError(`cannot ${verb} ${shown}: ${reason.what}; ${reason.todo(folder)}`);
}

/** A failed write of the output itself (`hzl task show 1 > /dev/full`). */
export function outputError(err: NodeJS.ErrnoException): InvalidDataError {
  const reason = (err.code && REASONS[err.code]) || {
    what: err.code ?? 'failed',
    todo: () => 'check where the output goes',
  };
  return new InvalidDataError(`cannot write the output: ${reason.what}; ${reason.todo('the folder')}`);
}

/** A path relative to the working directory when it is inside it, as git shows paths. */
function show(path: string, cwd: string | undefined): string {
  if (!cwd) return path;
  const rel = relative(cwd, path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}
