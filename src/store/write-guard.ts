// Task writes are refused while a rebase (or `git am`) is in progress in the worktree: its
// `--abort` resets the working tree to where the rebase began, and a checkpoint written
// meanwhile would be gone without a word. HZL_WRITE_DURING_REBASE=1 writes anyway.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConflictError } from '../core/errors.js';
import { type Project, findGit } from './project.js';

export function refuseWritesDuringRebase(project: Project, env: NodeJS.ProcessEnv): void {
  if (/^(1|true|yes|on)$/i.test(env.HZL_WRITE_DURING_REBASE ?? '')) return;
  const git = findGit(project.root);
  if (!git) return;
  const has = (name: string) => existsSync(join(git.gitDir, name));
  const what = has('rebase-merge')
    ? 'rebase'
    : has('rebase-apply')
      ? has(join('rebase-apply', 'applying'))
        ? 'am'
        : 'rebase'
      : undefined;
  if (!what) return;
  throw new ConflictError(
    `a ${what === 'am' ? "'git am'" : 'rebase'} is in progress, and 'git ${what} --abort' would undo this write; ` +
      `finish the ${what === 'am' ? "'git am'" : 'rebase'} ('git ${what} --continue') or abort it first, ` +
      'or set HZL_WRITE_DURING_REBASE=1 to write anyway',
  );
}
