// After a write: commit the touched task files when commit mode is on (SPEC §8).
// On: --commit, else HZL_COMMIT=1, else `commit: true` in .hzl/config.yml. --no-commit wins.

import { ConflictError, HzlError } from '../core/errors.js';
import type { Task } from '../core/task.js';
import { type CommitOutcome, commitFiles, commitMessage } from '../git/commit.js';
import { visible } from '../output/visible.js';
import { findGit } from '../store/project.js';
import type { Project } from '../store/project.js';
import type { Ctx } from './context.js';

export function commitModeOn(ctx: Ctx, project: Project): boolean {
  if (ctx.commit !== undefined) return ctx.commit;
  const env = ctx.env.HZL_COMMIT;
  if (env !== undefined && env !== '') return /^(1|true|yes|on)$/i.test(env);
  return project.config.commit;
}

/** What a write added, in a few words, for the commit subject. */
export function describeChange(before: Task, after: Task): string {
  const checkpoint = after.checkpoints.length > before.checkpoints.length ? after.checkpoints.at(-1)!.text : undefined;
  const history = after.history.length > before.history.length ? after.history.at(-1)!.text : undefined;
  return checkpoint ?? history ?? 'updated';
}

export interface CommitReport {
  commit: CommitOutcome | null;
  message?: string;
  warning?: string;
}

export async function commitIfAsked(ctx: Ctx, project: Project, paths: string[], id: number, action: string, detail: string): Promise<CommitReport> {
  if (!commitModeOn(ctx, project)) return { commit: null };
  const git = findGit(project.root);
  if (!git) return { commit: null, warning: 'commit mode is on, but this is not a git repository: the file is written, nothing committed' };
  let outcome: CommitOutcome;
  try {
    outcome = await commitFiles(git, paths, commitMessage(id, action, detail), ctx.env);
  } catch (err) {
    // The write is done: failing now would make a retry write it twice. Exit 0, and say so.
    if (!(err instanceof HzlError)) throw err;
    const why = err instanceof ConflictError ? 'another hzl command held the commit lock too long' : err.message;
    return { commit: null, warning: `not committed: ${why}; the task file is written (do not run the command again): commit it with git` };
  }
  if ('skipped' in outcome) return { commit: outcome, warning: `not committed: ${outcome.skipped}; the task file is written` };
  if ('alreadyCommitted' in outcome) return { commit: null, message: "Already committed: another hzl command's commit took this change along" };
  return { commit: outcome, message: `Committed ${outcome.hash.slice(0, 7)} ${visible(outcome.subject)}` };
}
