// The tasks folder as the file system shows it: which files are there for which id, each file's
// stamp (what the caches are checked against), and the last listing, reused while the folder's
// mtime shows that nothing was added, removed or renamed since. No file is read or parsed here.

import { readdirSync, statSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidDataError } from '../core/errors.js';
import { taskIdOfFileName } from '../core/task.js';
import { type Lstat, fastLstat, publicLstat } from './raw-lstat.js';
import { readRegularFileBytes } from './regular-file.js';
import type { FileStamp } from './stamped-cache.js';

export class TaskFolder {
  private last: { byId: Map<number, string[]>; folderMtimeMs: number; listedAt: number } | undefined;
  private fine: boolean | undefined; // finelyTimed(dir), asked once

  /** `label`: the folder as messages name it (`.hzl/tasks`). */
  constructor(
    readonly dir: string,
    private readonly label: string,
  ) {}

  /** File names by id. A task normally has one; more means a merge left a duplicate. */
  byId(): Map<number, string[]> {
    const byId = new Map<number, string[]>();
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new InvalidDataError(`${this.label}/ is missing: run 'hzl init' to restore it`);
      if (code === 'ENOTDIR')
        throw new InvalidDataError(`${this.label} is not a folder: move that file aside and run 'hzl init'`);
      throw err;
    }
    for (const name of names) {
      const id = taskIdOfFileName(name);
      if (id === undefined) continue;
      const group = byId.get(id);
      if (group) group.push(name);
      else byId.set(id, [name]);
    }
    return byId;
  }

  /**
   * Calls `visit` for every task file with its stamp (none when it is not a regular file),
   * skipping files removed while we looked, and returns the names of the regular files. The
   * listing is kept for `remembered`.
   */
  eachStamped(visit: (name: string, stamp: FileStamp | undefined) => void): string[] {
    const folderMtimeMs = mtimeOf(this.dir);
    const listedAt = Date.now();
    const byId = this.byId();
    this.last = folderMtimeMs === undefined ? undefined : { byId, folderMtimeMs, listedAt };
    const names: string[] = [];
    for (const group of byId.values()) for (const name of group) names.push(name); // flat() is slower
    const stamps = stampsIn(this.dir, names);
    const regular: string[] = [];
    const stamp: FileStamp = { size: 0, mtimeMs: 0, ctimeMs: 0, ino: 0 }; // reused: the caches copy it
    for (let i = 0; i < names.length; i++) {
      const size = stamps[i * 4]!;
      if (size === GONE) continue;
      if (size === NOT_A_FILE) {
        visit(names[i]!, undefined);
        continue;
      }
      stamp.size = size;
      stamp.mtimeMs = stamps[i * 4 + 1]!;
      stamp.ctimeMs = stamps[i * 4 + 2]!;
      stamp.ino = stamps[i * 4 + 3]!;
      regular.push(names[i]!);
      visit(names[i]!, stamp);
    }
    return regular;
  }

  /**
   * The last listing, if no file can have been added, removed or renamed since: the folder's
   * mtime is the same, and had been for a while when it was listed (as git does for racily
   * clean files: a change within the same clock tick as the one before it leaves the mtime as it
   * was). A file system with whole-second times may tick every 2 s; one whose times have a
   * fraction of a second (ext4, xfs, btrfs, apfs) ticks every few milliseconds at most; one with
   * multigrain times needs no wait (`finelyTimed`).
   */
  remembered(): Map<number, string[]> | undefined {
    const l = this.last;
    const quietMs = l && l.folderMtimeMs % 1000 === 0 ? 2_000 : 100;
    // Whole-second times (ext2's driver shares ext4's statfs magic) never count as multigrain.
    const fine = l !== undefined && l.folderMtimeMs % 1000 !== 0 && this.finelyTimed();
    if (!l || (l.listedAt - l.folderMtimeMs < quietMs && !fine)) return undefined;
    return mtimeOf(this.dir) === l.folderMtimeMs ? l.byId : undefined;
  }

  /**
   * Whether any change to the folder after a `stat` of it gets a new mtime, however soon: Linux's
   * multigrain timestamps (6.13 and later, on ext4, xfs, btrfs and tmpfs) give a fine-grained
   * time to the first change after the times were looked at. Then no quiet wait is needed: the
   * listing stats the folder before reading it.
   */
  private finelyTimed(): boolean {
    this.fine ??= finelyTimed(this.dir);
    return this.fine;
  }

  /** The folder's mtime when this run listed it, if `remembered` still holds; else undefined. */
  quietMtime(): number | undefined {
    return this.remembered() ? this.last!.folderMtimeMs : undefined;
  }

  /** The bytes of each of `names` (readEachIn). */
  readEach(names: Array<string | undefined>): Array<Buffer | undefined> {
    return readEachIn(this.dir, names);
  }

  /** The folder's mtime now, or undefined when it cannot be read (the listing says why). */
  mtime(): number | undefined {
    return mtimeOf(this.dir);
  }
}

/**
 * The bytes of each named file (a regular file, not through a link), read from inside `dir` as
 * `stampsIn` stats them; undefined where a name is undefined or the read failed (the caller's
 * own read then says why).
 */
export function readEachIn(dir: string, names: Array<string | undefined>): Array<Buffer | undefined> {
  const read = (path: string) => {
    try {
      return readRegularFileBytes(path);
    } catch {
      return undefined;
    }
  };
  const cwd = process.cwd();
  if (!enterFolder(dir)) return names.map((name) => (name === undefined ? undefined : read(join(dir, name))));
  try {
    return names.map((name) => (name === undefined ? undefined : read(name)));
  } finally {
    process.chdir(cwd);
  }
}

/** statfs magic numbers of the file systems with multigrain timestamps: ext4, xfs, btrfs, tmpfs. */
const MULTIGRAIN = new Set([0xef53, 0x58465342, 0x9123683e, 0x01021994]);

function finelyTimed(dir: string): boolean {
  if (process.platform !== 'linux') return false;
  const version = /^(\d+)\.(\d+)/.exec(process.getBuiltinModule('node:os').release());
  const [major, minor] = version ? [Number(version[1]), Number(version[2])] : [0, 0];
  if (major < 6 || (major === 6 && minor < 13)) return false;
  try {
    return MULTIGRAIN.has(statfsSync(dir).type);
  } catch {
    return false;
  }
}

function mtimeOf(dir: string): number | undefined {
  try {
    return statSync(dir).mtimeMs;
  } catch {
    return undefined;
  }
}

const GONE = -1;
const NOT_A_FILE = -2;

/**
 * `lstat` of each of `names` in `dir`, as four numbers a name: size, mtimeMs, ctimeMs, ino (size
 * GONE: removed meanwhile; NOT_A_FILE: a directory, a link…).
 *
 * The one place hzl changes its working directory: from inside `dir`, the kernel resolves one
 * path component per name instead of the whole path, which takes ~30 % off this loop, the
 * largest cost of a listing at 10,000 files (docs/architecture.md). Nothing else runs meanwhile
 * (the loop is synchronous and calls nothing of ours), and the directory is put back at once.
 */
function stampsIn(dir: string, names: string[]): Float64Array {
  const cwd = process.cwd();
  if (!enterFolder(dir)) return stampsOf(names.map((name) => join(dir, name)));
  try {
    return stampsOf(names);
  } finally {
    process.chdir(cwd);
  }
}

/** False where the process may not change directory (a worker thread): full paths instead. */
function enterFolder(dir: string): boolean {
  try {
    process.chdir(dir);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_WORKER_UNSUPPORTED_OPERATION') return false;
    throw err;
  }
}

function lstatOrUndefined(path: string): ReturnType<Lstat> | undefined {
  try {
    return publicLstat(path);
  } catch {
    return undefined;
  }
}

function stampsOf(paths: string[]): Float64Array {
  const stamps = new Float64Array(paths.length * 4);
  const lstat = paths.length > 0 ? fastLstat(paths[0]!) : publicLstat;
  for (let i = 0; i < paths.length; i++) {
    let st: ReturnType<Lstat> | undefined;
    try {
      st = lstat(paths[i]!);
    } catch {
      st = lstat === publicLstat ? undefined : lstatOrUndefined(paths[i]!); // lstatSync says what it is
    }
    if (!st) {
      stamps[i * 4] = GONE;
      continue;
    }
    stamps[i * 4] = st[0] === 1 ? st[1] : NOT_A_FILE;
    stamps[i * 4 + 1] = st[2];
    stamps[i * 4 + 2] = st[3];
    stamps[i * 4 + 3] = st[4];
  }
  return stamps;
}
