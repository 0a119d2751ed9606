// Tasks as another branch has them, read from git objects: for `show --branch`,
// `list --branch` and `list --all-branches`.

import { GitError, InvalidDataError } from '../../core/errors.js';
import { type TaskDoc, parseTaskFile } from '../../format/task-file.js';
import { type TaskSummary, summarize } from '../../store/summary-index.js';
import { checkRef, listBranches, taskFilesAt } from '../../git/branches.js';
import type { Ctx, Workspace } from '../context.js';

export interface BranchTask {
  branch: string;
  /** With --all-branches: every branch that holds this same version, the checked-out one first. */
  branches: string[];
  doc: TaskDoc;
  summary: TaskSummary;
}

function whereOf(ctx: Ctx, ws: Workspace) {
  const { worktreeRoot } = ws.project;
  if (!worktreeRoot)
    throw new GitError('not a git repository: --branch and --all-branches read git history; run hzl inside one');
  return { worktreeRoot, tasksDir: ws.project.tasksDir, env: ctx.env };
}

async function read(ctx: Ctx, ws: Workspace, refs: string[]) {
  const files = await taskFilesAt(whereOf(ctx, ws), refs);
  const tasks: BranchTask[] = [];
  const problems: InvalidDataError[] = [];
  for (const f of files) {
    const label = `${f.ref}:${f.name}`;
    try {
      const doc = parseTaskFile(f.text, label);
      tasks.push({ branch: f.ref, branches: [f.ref], doc, summary: { ...summarize(doc, label) } });
    } catch (err) {
      if (err instanceof InvalidDataError) problems.push(err);
      else throw err;
    }
  }
  // Stable: within an id, the branches keep the order they were asked for (checked-out first).
  tasks.sort((a, b) => a.doc.task.id - b.doc.task.id);
  return { tasks, problems };
}

export async function tasksOnBranch(ctx: Ctx, ws: Workspace, ref: string) {
  await checkRef(whereOf(ctx, ws), ref);
  return read(ctx, ws, [ref]);
}

/**
 * The newest version (by `updated`) of every task on any local or remote-tracking branch, with
 * every branch that holds that very version: the checked-out branch first, then git's order.
 */
export async function tasksOnAllBranches(ctx: Ctx, ws: Workspace) {
  const branches = await listBranches(whereOf(ctx, ws));
  const { tasks, problems } = await read(ctx, ws, branches);
  const newest = new Map<number, BranchTask>();
  for (const t of tasks) {
    const seen = newest.get(t.doc.task.id);
    if (!seen || t.doc.task.updated > seen.doc.task.updated) newest.set(t.doc.task.id, { ...t, branches: [t.branch] });
    else if (t.doc.source.original === seen.doc.source.original) seen.branches.push(t.branch);
  }
  return { tasks: [...newest.values()].sort((a, b) => a.doc.task.id - b.doc.task.id), problems };
}
