// A fresh clone has no merge driver: git config is not versioned. Every command that opens the
// project checks, with two file reads, that a clone whose .gitattributes names the hzl driver
// also has it registered (and that the registered command can still run), and registers it
// otherwise, with one note. The first hzl command in a fresh clone protects its next merge.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DRIVER_NAME, driverCommand } from './config.js';

const ATTRIBUTE = /^\S*\s.*\bmerge=hzl\b/m;
const SECTION = /^\s*\[merge\s+"hzl"\]/m;

export interface DriverPlace {
  worktreeRoot: string;
  commonDir: string;
}

/** The note to print when the driver was registered just now; undefined when nothing was done. */
export function ensureMergeDriver(
  place: DriverPlace,
  commandLine: string[],
  env: NodeJS.ProcessEnv,
): string | undefined {
  if (!ATTRIBUTE.test(readOrEmpty(join(place.worktreeRoot, '.gitattributes')))) return undefined;
  const config = readOrEmpty(join(place.commonDir, 'config'));
  if (SECTION.test(config) && usable(config)) return undefined;
  // Not in this clone's own config (or pointing at a program that is gone): ask git, which also
  // reads the user's and the system's config, before writing anything.
  const current = gitConfig(place.worktreeRoot, env, ['--get', 'merge.hzl.driver']);
  if (current === undefined) return undefined; // git cannot run or read the repository: doctor says so
  const wanted = driverCommand(commandLine);
  if (current.trim() === wanted) return undefined;
  if (current.trim() && usable(current)) return undefined;
  if (gitConfig(place.worktreeRoot, env, ['merge.hzl.name', DRIVER_NAME]) === undefined) return undefined;
  if (gitConfig(place.worktreeRoot, env, ['merge.hzl.driver', wanted]) === undefined) return undefined;
  return current.trim()
    ? 'note: re-registered the hzl merge driver (git config merge.hzl.driver): ' +
        'the old command could lose a side when hzl cannot run'
    : 'note: registered the hzl merge driver in this clone (git config merge.hzl.driver), as .gitattributes asks';
}

/**
 * A registration that can run and falls back to git's line merge when it cannot. One without
 * the fallback (written by an older hzl) is replaced: it is what loses a side when hzl moves.
 */
function usable(text: string): boolean {
  return text.includes('git merge-file') && absolutePaths(text).every((p) => existsSync(p));
}

/** The absolute paths quoted in the hzl section (node and bin/hzl.js). */
function absolutePaths(text: string): string[] {
  const section = SECTION.exec(text);
  const body = section ? text.slice(section.index + section[0].length).split(/\n\s*\[/)[0]! : text;
  return [...body.matchAll(/'(\/[^']+)'/g)].map((m) => m[1]!);
}

/** git config's answer; '' for a key that is not set; undefined when git fails. */
function gitConfig(cwd: string, env: NodeJS.ProcessEnv, args: string[]): string | undefined {
  try {
    const { execFileSync } = process.getBuiltinModule('node:child_process'); // not at start-up: ~1.6 ms
    return execFileSync('git', ['config', ...args], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'ignore'],
      encoding: 'utf8',
    });
  } catch (err) {
    return (err as { status?: number }).status === 1 ? '' : undefined;
  }
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
