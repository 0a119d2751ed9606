// Commit mode: commit exactly the task files a command wrote, never anything else the user has
// staged or changed. Skipped (file written, nothing committed) during a merge, rebase,
// cherry-pick or revert, and on a detached HEAD.

import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { GitError } from '../core/errors.js';
import { withLockAsync } from '../store/lock.js';
import type { GitLocation } from '../store/project.js';
import type { SimpleGit } from 'simple-git';
import { firstLine, gitAt, optional } from './repo.js';

export type CommitOutcome = { hash: string; subject: string } | { skipped: string } | { alreadyCommitted: true };

/** Why committing now would be wrong, or undefined when it is fine. */
export function commitBlocker(git: GitLocation): string | undefined {
  const has = (name: string) => existsSync(join(git.gitDir, name));
  if (has('MERGE_HEAD')) return 'a merge is in progress';
  if (has('rebase-merge') || has('rebase-apply')) return 'a rebase is in progress';
  if (has('CHERRY_PICK_HEAD')) return 'a cherry-pick is in progress';
  if (has('REVERT_HEAD')) return 'a revert is in progress';
  try {
    if (!readFileSync(join(git.gitDir, 'HEAD'), 'utf8').startsWith('ref:')) return 'HEAD is detached';
  } catch {
    return 'HEAD cannot be read';
  }
  return undefined;
}

/** `hzl: #1 checkpoint: Designed schema…`: a first line of at most 72 characters, the rest below. */
export function commitMessage(id: number, action: string, detail: string): string {
  const head = `hzl: #${id} ${action}`;
  const [first = '', ...rest] = detail.trim().split('\n');
  const room = 72 - head.length - 2;
  if (first === '') return head;
  if (first.length <= room && rest.length === 0) return `${head}: ${first}`;
  const short = first.length <= room ? first : `${first.slice(0, room - 1).trimEnd()}…`;
  return `${head}: ${short}\n\n${detail.trim()}\n`;
}

export async function commitFiles(git: GitLocation, paths: string[], message: string, env: NodeJS.ProcessEnv): Promise<CommitOutcome> {
  const blocker = commitBlocker(git);
  if (blocker) return { skipped: blocker };
  const files = paths.map((p) => relative(git.worktreeRoot, p).split('\\').join('/'));
  // One commit at a time per clone: git's own index.lock would make a second one fail.
  return withLockAsync(join(git.commonDir, 'hzl', 'locks', 'commit.lock'), { what: 'git commit' }, async () => {
    const repo = await gitAt(git.worktreeRoot, env);
    try {
      await repo.raw(['add', '--', ...files]);
      // Another command's commit may have taken this change along (it commits the file as it is
      // then): nothing is left, and HEAD is that command's commit, not ours to report.
      if ((await repo.raw(['status', '--porcelain', '--untracked-files=no', '--', ...files])).trim() === '') return { alreadyCommitted: true };
      const before = await headOf(repo);
      // --only commits these paths as they are in the working tree and leaves the rest of the
      // index (the user's staged changes) as it was; --no-verify: bookkeeping, not code.
      await repo.raw(['commit', '--quiet', '--no-verify', '--only', '-m', message, '--', ...files]);
      const hash = await headOf(repo);
      if (!hash || hash === before) throw new Error('git made no commit');
      return { hash, subject: message.split('\n')[0]! };
    } catch (err) {
      throw new GitError(`git commit failed: ${firstLine(err)}`);
    }
  });
}

/** The commit HEAD names, or undefined on a branch with no commit yet. */
async function headOf(repo: SimpleGit): Promise<string | undefined> {
  return (await optional(repo, ['rev-parse', '--verify', '--quiet', 'HEAD']))?.trim() || undefined;
}
