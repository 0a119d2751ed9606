// What `hzl doctor` looks for in the tasks themselves: double claims, links to nowhere, expired
// leases. Pure: tasks in, findings out.

import { ENDS_CLAIM, historyEvent } from './history.js';
import { MAX_TASK_ID } from './integrity.js';
import type { Task, TaskFields } from './task.js';
import { type Act, withHistory } from './transitions.js';

/**
 * Two authors claiming without a release in between: what merging two branches that each
 * claimed the task leaves behind. Returns the authors that overlapped.
 */
export function doubleClaim(task: Task): string[] | undefined {
  let holder: string | undefined;
  for (const { kind, actor, details } of task.history.map(historyEvent)) {
    if (kind === 'claimed' || kind === 'renewed') {
      if (holder && holder !== actor) return [holder, actor];
      holder = actor;
    } else if (kind === 'stolen') holder = actor;
    else if (ENDS_CLAIM.has(kind)) holder = undefined;
    else if (kind === 'merged' && /^author\b/.test(details)) return [holder ?? '?', actor];
  }
  return undefined;
}

/**
 * Claim fields that disagree with the status, as merging front-matter field by field can leave
 * them (one branch released the task, the other extended the lease). `clear`: the fields that
 * can simply go; none when a person must decide (in progress, held by nobody).
 */
export function claimMismatch(t: TaskFields): { clear: Array<'author' | 'lease_until'> } | undefined {
  if (t.status === 'in_progress') return t.author ? undefined : { clear: [] };
  const clear: Array<'author' | 'lease_until'> = [];
  // Ready and backlog tasks are nobody's; a done or archived task keeps who did the work.
  if (t.author && (t.status === 'ready' || t.status === 'backlog')) clear.push('author');
  if (t.lease_until && t.status !== 'blocked') clear.push('lease_until');
  return clear.length ? { clear } : undefined;
}

/** `doctor --fix`: the claim fields that can simply go are cleared, with a History line; else `task` as it is. */
export function clearMismatchedClaim(task: Task, act: Act): Task {
  const mismatch = claimMismatch(task);
  if (!mismatch?.clear.length) return task;
  const next: Task = { ...task };
  for (const field of mismatch.clear) delete next[field];
  const cleared = mismatch.clear.map((field) => (field === 'author' ? `author ${task.author}` : 'the lease'));
  const status = task.status.replace('_', ' ');
  return withHistory(
    next,
    act,
    'cleared',
    `${cleared.join(' and ')}: the task is ${status}, not in progress (hzl doctor)`,
  );
}

export interface DanglingLink {
  id: number;
  field: 'depends_on' | 'parent';
  target: number;
}

/** Links to ids that no task has. Ids beyond 9 digits are left to `oversizedIds`. */
export function danglingLinks(tasks: TaskFields[]): DanglingLink[] {
  const ids = new Set(tasks.map((t) => t.id));
  const missing = (target: number) => !ids.has(target) && target <= MAX_TASK_ID;
  const out: DanglingLink[] = [];
  for (const t of tasks) {
    for (const d of t.depends_on) if (missing(d)) out.push({ id: t.id, field: 'depends_on', target: d });
    if (t.parent !== undefined && missing(t.parent)) out.push({ id: t.id, field: 'parent', target: t.parent });
  }
  return out;
}

export function expiredLeases(tasks: TaskFields[], now: Date): TaskFields[] {
  return tasks.filter((t) => t.status === 'in_progress' && t.lease_until && Date.parse(t.lease_until) <= now.getTime());
}

/**
 * The first line of a block that git leaves in a file when a merge conflicted: `<<<<<<< `, later
 * `=======`, later `>>>>>>> `, in that order. One of them alone is Markdown (a setext heading's
 * underline, a deeply nested quote), not a conflict.
 */
export function conflictMarkerLine(text: string): number | undefined {
  const lines = text.split('\n');
  for (let start = 0; start < lines.length; start++) {
    if (!/^<{7}(?: |$)/.test(lines[start]!)) continue;
    const middle = lines.findIndex((l, i) => i > start && /^={7}\s*$/.test(l));
    if (middle === -1) return undefined;
    if (lines.some((l, i) => i > middle && /^>{7}(?: |$)/.test(l))) return start + 1;
  }
  return undefined;
}

/** Where a task mentions another by number: links and `#N` in its text. */
export function mentionsOf(task: Task, target: number): string[] {
  const found: string[] = [];
  if (task.depends_on.includes(target)) found.push('depends_on');
  if (task.parent === target) found.push('parent');
  const mention = new RegExp(`#${target}(?!\\d)`);
  if (mention.test(task.description)) found.push('description');
  if (task.checkpoints.some((c) => mention.test(c.text))) found.push('checkpoints');
  return found;
}
