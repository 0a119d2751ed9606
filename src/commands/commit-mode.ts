// After a write: commit the touched task files when commit mode is on (see docs/decisions.md,
// "Commit mode"). On: --commit, else HZL_COMMIT=1, else `commit: true` in .hzl/config.yml.
// --no-commit wins.

import { join } from 'node:path';
import { ConflictError, HzlError } from '../core/errors.js';
import type { Task } from '../core/task.js';
import { type CommitOutcome, commitFiles, commitMessage, hasEarlierEdits } from '../git/commit.js';
import { visible } from '../output/visible.js';
import { lockTimeout, withLockAsync } from '../store/lock.js';
import { findGit } from '../store/project.js';
import type { Project } from '../store/project.js';
import type { Ctx } from './context.js';

export function commitModeOn(ctx: Ctx, project: Project): boolean {
  if (ctx.commit !== undefined) return ctx.commit;
  const env = ctx.env.HZL_COMMIT;
  if (env !== undefined && env !== '') return /^(1|true|yes|on)$/i.test(env);
  return project.config.commit;
}

/** What a write did to one task, for its commit message: who, which task, and what was added. */
export interface Change {
  id: number;
  action: string;
  title: string;
  actor?: string;
  detail: string;
  /** The file as it was before this write (undefined: the write created it). */
  before?: string;
}

/** The change from one version of a task to the next: the entry it added says who and what. */
export function describeChange(action: string, before: Task, after: Task, beforeText?: string): Change {
  const checkpoint = after.checkpoints.length > before.checkpoints.length ? after.checkpoints.at(-1) : undefined;
  const history = after.history.length > before.history.length ? after.history.at(-1) : undefined;
  const entry = checkpoint ?? history;
  return {
    id: after.id,
    action,
    title: after.title,
    ...(entry ? { actor: entry.author } : {}),
    detail: entry?.text ?? 'updated',
    ...(beforeText !== undefined ? { before: beforeText } : {}),
  };
}

export interface CommitReport {
  commit: CommitOutcome | null;
  message?: string;
  warning?: string;
}

export async function commitIfAsked(
  ctx: Ctx,
  project: Project,
  paths: string[],
  change: Change,
): Promise<CommitReport> {
  if (!commitModeOn(ctx, project)) return { commit: null };
  const git = findGit(project.root);
  if (!git)
    return {
      commit: null,
      warning: 'commit mode is on, but this is not a git repository: the file is written, nothing committed',
    };
  let outcome: CommitOutcome;
  try {
    const earlier =
      change.before !== undefined &&
      paths[0] !== undefined &&
      (await hasEarlierEdits(git, paths[0], change.before, ctx.env));
    const message = commitMessage({ ...change, earlier });
    const commit = () => commitFiles(git, paths, message, ctx.env, { hooks: project.config.commitHooks === true });
    // One commit at a time per clone: git's own index.lock would make a second one fail.
    outcome = await withLockAsync(
      join(git.commonDir, 'hzl', 'locks', 'commit.lock'),
      { what: 'git commit', timeoutMs: lockTimeout(ctx.env) },
      commit,
    );
  } catch (err) {
    // The write is done: failing now would make a retry write it twice. Exit 0, and say so.
    if (!(err instanceof HzlError)) throw err;
    const why = err instanceof ConflictError ? 'another hzl command held the commit lock too long' : err.message;
    return {
      commit: null,
      warning: `not committed: ${why}; the task file is written (do not run the command again): commit it with git`,
    };
  }
  if ('skipped' in outcome)
    return { commit: outcome, warning: `not committed: ${outcome.skipped}; the task file is written` };
  if ('alreadyCommitted' in outcome)
    return { commit: null, message: "Already committed: another hzl command's commit took this change along" };
  return { commit: outcome, message: `Committed ${outcome.hash.slice(0, 7)} ${visible(outcome.subject)}` };
}
