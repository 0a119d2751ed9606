// The merge driver's registration in the clone's own git config (not versioned, so `hzl init`
// or `hzl doctor --fix` registers it in every clone).

import { existsSync } from 'node:fs';
import { GitError } from '../core/errors.js';
import { firstLine, gitAt, isGitMissing, optional } from './repo.js';

export const DRIVER_NAME = 'hzl task merge';

/**
 * What git runs (through sh) to merge a task file. hzl runs first; when it cannot run (moved,
 * upgraded, uninstalled: it exits without touching %A), git's own line merge writes both sides
 * with conflict markers, so a conflict never leaves our side alone in the file.
 */
export function driverCommand(commandLine: string[]): string {
  const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;
  const hzl = `${commandLine.map(quote).join(' ')} merge-driver %O %A %B %P`;
  const fallback = 'git merge-file -L ours -L base -L theirs %A %O %B';
  const note = `echo 'hzl merge driver could not run: used git merge-file, check %P for conflict markers' >&2`;
  const unchanged = '[ "$(git hash-object %A)" = "$h" ] || exit 1';
  return `h=$(git hash-object %A); ${hzl} && exit 0; ${unchanged}; ${note}; ${fallback}`;
}

/**
 * `no-git`: there is no git binary to ask; `unreadable`: git cannot read the repository (`why`
 * says what git said). Either way nothing is known about the driver.
 */
export type DriverState = 'registered' | 'missing' | 'broken' | 'no-git' | 'unreadable';

/** Whether git would find a working hzl merge driver in this clone. */
export async function mergeDriverState(
  worktreeRoot: string,
  env: NodeJS.ProcessEnv,
): Promise<{ state: DriverState; command?: string; why?: string }> {
  const git = await gitAt(worktreeRoot, env);
  let command: string;
  try {
    // A key that is not set is an empty answer (exit 1, nothing on stderr), not an error.
    command = (await git.raw(['config', '--get', 'merge.hzl.driver'])).trim();
  } catch (err) {
    return isGitMissing(err) ? { state: 'no-git' } : { state: 'unreadable', why: firstLine(err) };
  }
  if (!command) return { state: 'missing' };
  // The command names node and bin/hzl.js by absolute path: both must still exist.
  const paths = [...command.matchAll(/'([^']+)'/g)].map((m) => m[1]!).filter((p) => p.startsWith('/'));
  return { state: paths.every((p) => existsSync(p)) ? 'registered' : 'broken', command };
}

export async function registerMergeDriver(
  worktreeRoot: string,
  commandLine: string[],
  env: NodeJS.ProcessEnv,
): Promise<boolean> {
  const git = await gitAt(worktreeRoot, env);
  const wanted = driverCommand(commandLine);
  const current = (await optional(git, ['config', '--get', 'merge.hzl.driver']))?.trim();
  if (current === wanted) return false;
  try {
    await git.raw(['config', 'merge.hzl.name', DRIVER_NAME]);
    await git.raw(['config', 'merge.hzl.driver', wanted]);
  } catch (err) {
    throw new GitError(`cannot register the merge driver in git config: ${firstLine(err)}`);
  }
  return true;
}
