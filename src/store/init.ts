// `hzl init`: lay out .hzl/ and the .gitattributes lines. Idempotent: only what is missing is added.

import { existsSync, lstatSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { CONFIG_TEMPLATE } from '../format/config.js';
import { GITATTRIBUTES_LINES, HZL_GITIGNORE, HZL_README } from '../format/templates.js';
import { decodeBytes, encodeText } from '../core/bytes.js';
import { writeFileAtomic } from './atomic.js';
import { InvalidDataError } from '../core/errors.js';
import { findGitCommonDir, findProjectRoot, linkedPathMessage, linkedPaths } from './project.js';

// The files init writes or reads, besides those every command checks.
const INIT_FILES = ['.hzl/README.md', '.hzl/.gitignore', '.hzl/tasks/.gitkeep', '.gitattributes'];

export interface InitResult {
  root: string;
  created: string[]; // paths relative to root
  inGit: boolean;
}

/** Where `.hzl/` belongs: an existing one above, else the top of the git worktree, else `dir`. */
export function initRoot(dir: string): string {
  const existing = findProjectRoot(dir);
  if (existing) return existing;
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d;
    if (dirname(d) === d) return dir;
  }
}

export function initProject(dir: string): InitResult {
  const root = initRoot(dir);
  const link = linkedPaths(root, undefined, INIT_FILES)[0];
  if (link) throw new InvalidDataError(linkedPathMessage(link));
  const created: string[] = [];
  const ensureFile = (path: string, text: string) => {
    if (lstatSync(path, { throwIfNoEntry: false })) return;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text, { flag: 'wx' });
    created.push(relative(root, path));
  };
  const hzl = join(root, '.hzl');
  ensureFile(join(hzl, 'config.yml'), CONFIG_TEMPLATE);
  ensureFile(join(hzl, 'README.md'), HZL_README);
  if (refreshOwnReadme(join(hzl, 'README.md'))) created.push('.hzl/README.md (updated)');
  ensureFile(join(hzl, '.gitignore'), HZL_GITIGNORE);
  ensureFile(join(hzl, 'tasks', '.gitkeep'), '');

  const attributes = join(root, '.gitattributes');
  const current = existsSync(attributes) ? decodeBytes(readFileSync(attributes)) : '';
  const have = new Set(current.split('\n').map((l) => l.trim()));
  const missing = GITATTRIBUTES_LINES.filter((l) => !have.has(l));
  if (missing.length) {
    // Appended in the file's own line endings; the bytes before are left as they were.
    const eol = current.includes('\r\n') ? '\r\n' : '\n';
    const sep = current === '' || current.endsWith('\n') ? '' : eol;
    writeFileAtomic(attributes, encodeText(`${current}${sep}${missing.join(eol)}${eol}`), '.gitattributes');
    created.push('.gitattributes');
  }
  return { root, created, inGit: findGitCommonDir(root) !== undefined };
}

/** SHA-256 of the guides older hzl versions wrote: such a file is hzl's own text, not the user's. */
const EARLIER_READMES = new Set(['bb21ba9ca6e32ba178ad93c6bba4f7b7b400e3e0c9edf14143a2831b48f93ede']);

/** Replaces `.hzl/README.md` with the current guide when it is, byte for byte, an earlier one. */
function refreshOwnReadme(path: string): boolean {
  const stat = lstatSync(path, { throwIfNoEntry: false });
  if (!stat?.isFile() || stat.size > 64 * 1024) return false;
  const { createHash } = process.getBuiltinModule('node:crypto'); // not at start-up: ~5 ms
  const hash = createHash('sha256').update(readFileSync(path)).digest('hex');
  if (!EARLIER_READMES.has(hash)) return false;
  writeFileAtomic(path, encodeText(HZL_README), '.hzl/README.md');
  return true;
}
