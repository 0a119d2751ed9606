// Finding the project: `.hzl/` upward from the working directory, and the git common directory
// (read from the files git keeps, without spawning git) for state shared by all worktrees.

import { type Stats, existsSync, lstatSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { InvalidDataError } from '../core/errors.js';
import type { GitLocation } from '../core/git-location.js';
import { type Config, DEFAULT_CONFIG, parseConfig } from '../format/config.js';

export interface Project {
  root: string; // the directory that holds .hzl/
  hzlDir: string;
  tasksDir: string;
  /** Never-versioned state: locks, counters. In the git common dir, else `.hzl/.local`. */
  stateDir: string;
  /**
   * The caches of what is in this checkout's task files (summary index, search cache): in this
   * worktree's own git dir, so that worktrees of one clone never evict each other's rows.
   */
  cacheDir: string;
  gitCommonDir?: string;
  /** The top of the git worktree that holds .hzl/ (where `.git` is). */
  worktreeRoot?: string;
  config: Config;
}

export function findProjectRoot(cwd: string): string | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    // A link named .hzl counts, so that opening it fails with its own clear message.
    if (isDirOrLink(join(dir, '.hzl'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

export function openProject(cwd: string): Project {
  const root = findProjectRoot(cwd);
  if (!root) {
    throw new InvalidDataError(
      `not an hzl project (no .hzl/ in ${resolve(cwd)} or above): run 'hzl init' in your repository`,
    );
  }
  return describeProject(root);
}

export function describeProject(root: string): Project {
  const hzlDir = join(root, '.hzl');
  const git = findGit(root);
  const link = linkedPaths(root, git)[0];
  if (link) throw new InvalidDataError(linkedPathMessage(link));
  const configFile = join(hzlDir, 'config.yml');
  const config = readConfig(configFile);
  return {
    root,
    hzlDir,
    tasksDir: join(hzlDir, 'tasks'),
    stateDir: stateDirOf(root, git),
    cacheDir: cacheDirOf(root, git),
    ...(git ? { gitCommonDir: git.commonDir, worktreeRoot: git.worktreeRoot } : {}),
    config,
  };
}

/** `.hzl/config.yml`, or the defaults when there is none. */
function readConfig(configFile: string): Config {
  if (!existsSync(configFile)) return { ...DEFAULT_CONFIG };
  // Reading a folder fails with an error that names no path: say which one it is.
  if (isDirectory(configFile))
    throw new InvalidDataError(
      ".hzl/config.yml is a folder, not a file: move it aside and run 'hzl init' to write a new one",
    );
  return parseConfig(readFileSync(configFile, 'utf8'), '.hzl/config.yml');
}

function stateDirOf(root: string, git: GitLocation | undefined): string {
  return git ? join(git.commonDir, 'hzl') : join(root, '.hzl', '.local');
}

/** The main worktree's git dir is the common dir: its caches stay where they always were. */
function cacheDirOf(root: string, git: GitLocation | undefined): string {
  return git ? join(git.gitDir, 'hzl') : join(root, '.hzl', '.local');
}

export interface LinkedPath {
  label: string; // as messages name it: relative to the project root where it is inside
  kind: 'folder' | 'file';
}

/**
 * hzl's own paths that are symbolic links. A clone can hold a committed link at `.hzl/tasks`
 * (or anywhere else hzl reads and writes), which would send every read and write outside the
 * repository; hzl follows none of them. `init` checks the files it writes as well (`extra`).
 */
export function linkedPaths(root: string, git = findGit(root), extra: string[] = []): LinkedPath[] {
  const hzlDir = join(root, '.hzl');
  const stateDir = stateDirOf(root, git);
  const paths: Array<[string, LinkedPath['kind']]> = [
    [hzlDir, 'folder'],
    [join(hzlDir, 'tasks'), 'folder'],
    [join(hzlDir, 'config.yml'), 'file'],
    [join(hzlDir, 'deleted'), 'folder'],
    [stateDir, 'folder'],
    [join(stateDir, 'locks'), 'folder'],
    ...(git && git.gitDir !== git.commonDir ? [[cacheDirOf(root, git), 'folder'] as [string, LinkedPath['kind']]] : []),
    ...extra.map((p): [string, LinkedPath['kind']] => [join(root, p), 'file']),
  ];
  const found: LinkedPath[] = [];
  for (const [path, kind] of paths) {
    if (!isLink(path)) continue;
    const rel = relative(root, path);
    found.push({ label: rel.startsWith('..') || isAbsolute(rel) ? path : rel, kind });
    if (path === hzlDir) break; // everything below it goes through the same link
  }
  return found;
}

export function linkedPathMessage(link: LinkedPath): string {
  return (
    `${link.label} is a symbolic link; replace it with a real ${link.kind}: ` +
    'hzl follows no links on its own paths, as they could lead outside the repository'
  );
}

/** The git common directory for the repository containing `start`, as git would find it. */
export function findGitCommonDir(start: string): string | undefined {
  return findGit(start)?.commonDir;
}

export type { GitLocation };

/** Where git keeps this checkout's state, read from the files git keeps, without running git. */
export function findGit(start: string): GitLocation | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    const dotGit = join(dir, '.git');
    if (isDirectory(dotGit)) return { worktreeRoot: dir, gitDir: dotGit, commonDir: dotGit };
    if (existsSync(dotGit)) {
      // A worktree or submodule: `.git` is a file naming the real git dir.
      const m = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(dotGit, 'utf8'));
      if (!m) return undefined;
      const gitDir = resolve(dir, m[1]!);
      const commonFile = join(gitDir, 'commondir');
      const commonDir = existsSync(commonFile) ? resolve(gitDir, readFileSync(commonFile, 'utf8').trim()) : gitDir;
      return { worktreeRoot: dir, gitDir, commonDir };
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/** The other checkouts of this clone: the main worktree and every linked one, except `git`'s own. */
export function otherWorktreeRoots(git: GitLocation): string[] {
  const roots = new Set<string>();
  if (basename(git.commonDir) === '.git') roots.add(dirname(git.commonDir));
  let linked: string[] = [];
  try {
    linked = readdirSync(join(git.commonDir, 'worktrees'));
  } catch {
    // No linked worktrees.
  }
  for (const name of linked) {
    try {
      // `gitdir` names the worktree's `.git` file.
      roots.add(dirname(resolve(readFileSync(join(git.commonDir, 'worktrees', name, 'gitdir'), 'utf8').trim())));
    } catch {
      // A worktree being removed: skip it.
    }
  }
  roots.delete(git.worktreeRoot);
  return [...roots];
}

function isDirOrLink(path: string): boolean {
  const st = lstatOrNothing(path);
  return st !== undefined && (st.isDirectory() || st.isSymbolicLink());
}

function isLink(path: string): boolean {
  return lstatOrNothing(path)?.isSymbolicLink() === true;
}

/** Nothing when there is no such path, also when a parent is a file (ENOTDIR): others say so. */
function lstatOrNothing(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
