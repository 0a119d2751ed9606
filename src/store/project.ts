// Finding the project: `.hzl/` upward from the working directory, and the git common directory
// (read from the files git keeps, without spawning git) for state shared by all worktrees.

import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InvalidDataError } from '../core/errors.js';
import { type Config, DEFAULT_CONFIG, parseConfig } from '../format/config.js';

export interface Project {
  root: string; // the directory that holds .hzl/
  hzlDir: string;
  tasksDir: string;
  /** Never-versioned state: locks, counters. In the git common dir, else `.hzl/.local`. */
  stateDir: string;
  gitCommonDir?: string;
  /** The top of the git worktree that holds .hzl/ (where `.git` is). */
  worktreeRoot?: string;
  config: Config;
}

export function findProjectRoot(cwd: string): string | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (isDir(join(dir, '.hzl'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

export function openProject(cwd: string): Project {
  const root = findProjectRoot(cwd);
  if (!root) {
    throw new InvalidDataError(`not an hzl project (no .hzl/ in ${resolve(cwd)} or above): run 'hzl init' in your repository`);
  }
  return describeProject(root);
}

export function describeProject(root: string): Project {
  const hzlDir = join(root, '.hzl');
  const git = findGit(root);
  const gitCommonDir = git?.commonDir;
  const configFile = join(hzlDir, 'config.yml');
  const config = readConfig(configFile);
  return {
    root,
    hzlDir,
    tasksDir: join(hzlDir, 'tasks'),
    stateDir: gitCommonDir ? join(gitCommonDir, 'hzl') : join(hzlDir, '.local'),
    ...(git ? { gitCommonDir: git.commonDir, worktreeRoot: git.worktreeRoot } : {}),
    config,
  };
}

/** `.hzl/config.yml`, or the defaults when there is none. */
function readConfig(configFile: string): Config {
  if (!existsSync(configFile)) return { ...DEFAULT_CONFIG };
  // Reading a folder fails with an error that names no path: say which one it is.
  if (isDir(configFile)) throw new InvalidDataError(".hzl/config.yml is a folder, not a file: move it aside and run 'hzl init' to write a new one");
  return parseConfig(readFileSync(configFile, 'utf8'), '.hzl/config.yml');
}

/** The git common directory for the repository containing `start`, as git would find it. */
export function findGitCommonDir(start: string): string | undefined {
  return findGit(start)?.commonDir;
}

export interface GitLocation {
  worktreeRoot: string; // where `.git` is
  gitDir: string; // this worktree's own git dir
  commonDir: string; // shared by all worktrees
}

/** Where git keeps this checkout's state, read from the files git keeps, without running git. */
export function findGit(start: string): GitLocation | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    const dotGit = join(dir, '.git');
    if (isDir(dotGit)) return { worktreeRoot: dir, gitDir: dotGit, commonDir: dotGit };
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

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
