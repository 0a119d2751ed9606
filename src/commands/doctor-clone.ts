// `hzl doctor`'s check of this clone rather than the task files: the merge driver in git config
// and the lines hzl needs in .gitattributes; `--fix` registers and writes them (as `hzl init`).

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hzlCommandLine } from '../bundles.js';
import { GITATTRIBUTES_LINES } from '../format/templates.js';
import { mergeDriverState, registerMergeDriver } from '../git/config.js';
import { initProject } from '../store/init.js';
import type { GitLocation } from '../store/project.js';
import { type Finding, problem } from '../core/findings.js';

export async function cloneFindings(
  git: GitLocation | undefined,
  root: string,
  fix: boolean,
  env: NodeJS.ProcessEnv,
): Promise<Finding[]> {
  if (!git) return [];
  const attributes = join(git.worktreeRoot, '.gitattributes');
  const lines = existsSync(attributes)
    ? readFileSync(attributes, 'utf8')
        .split('\n')
        .map((l) => l.trim())
    : [];
  const missing = GITATTRIBUTES_LINES.filter((l) => !lines.includes(l));
  const driver = await mergeDriverState(git.worktreeRoot, env);
  if (driver.state === 'no-git') {
    // Without git, nothing is known about the driver, and --fix could not register it.
    const message =
      'git is not installed or not on PATH: the merge driver could not be checked; install git or put it on PATH';
    return [problem('git-missing', message)];
  }
  if (driver.state === 'unreadable') {
    const message =
      `git cannot read this repository (${driver.why}): the merge driver could not be checked; ` +
      "run 'git status' to see what is wrong";
    return [problem('git-unreadable', message)];
  }
  if (driver.state === 'registered' && missing.length === 0) return [];
  const what = [
    driver.state === 'missing' ? 'the hzl merge driver is not registered in this clone' : '',
    driver.state === 'broken' ? `the registered merge driver points at a missing program (${driver.command})` : '',
    missing.length ? `.gitattributes lacks ${missing.map((l) => `'${l}'`).join(', ')}` : '',
  ].filter(Boolean);
  if (fix) {
    initProject(root);
    await registerMergeDriver(git.worktreeRoot, hzlCommandLine(), env);
  }
  return [problem('merge-driver', `${what.join('; ')}: run 'hzl init' (or hzl doctor --fix)`, {}, fix)];
}
