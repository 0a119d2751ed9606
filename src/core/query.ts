// Which tasks a listing shows, and in what order. Pure: tasks in, tasks out.

import type { Status, Task, TaskFields } from './task.js';
import { compareStamps } from './time.js';

export const SORT_KEYS = ['id', 'priority', 'created', 'updated'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export interface ListQuery {
  statuses?: Status[];
  author?: string;
  tag?: string;
  parent?: number;
  available?: boolean;
  all?: boolean;
  sort?: SortKey;
  reverse?: boolean;
  limit?: number;
}

/** Ready, every dependency done, unclaimed, and not a parent with open subtasks. */
export function isAvailable(
  task: TaskFields,
  byId: Map<number, TaskFields>,
  children: Map<number, TaskFields[]>,
): boolean {
  if (task.status !== 'ready' || task.author) return false;
  if (!task.depends_on.every((d) => byId.get(d)?.status === 'done')) return false;
  const open = (children.get(task.id) ?? []).some((c) => c.status !== 'done' && c.status !== 'archived');
  return !open;
}

/** Priority high to low, then oldest created, then lowest id: the order `claim --next` uses. */
export function byUrgency(a: TaskFields, b: TaskFields): number {
  return b.priority - a.priority || compareStamps(a.created, b.created) || a.id - b.id;
}

/** One rule for every key: first what comes first (lowest id, oldest time), priority most urgent first. */
const COMPARE: Record<SortKey, (a: TaskFields, b: TaskFields) => number> = {
  id: (a, b) => a.id - b.id,
  priority: byUrgency,
  created: (a, b) => compareStamps(a.created, b.created) || a.id - b.id,
  updated: (a, b) => compareStamps(a.updated, b.updated) || a.id - b.id,
};

/** Open work: what a listing shows unless it names statuses or asks for --all. */
export function isOpen(status: Status): boolean {
  return status !== 'done' && status !== 'archived';
}

export function selectTasks<T extends TaskFields>(tasks: T[], q: ListQuery): T[] {
  // Only --available looks at other tasks (dependencies, open subtasks).
  const byId = new Map<number, TaskFields>();
  const children = new Map<number, TaskFields[]>();
  if (q.available) {
    for (const t of tasks) {
      byId.set(t.id, t);
      if (!t.parent) continue;
      const siblings = children.get(t.parent);
      if (siblings) siblings.push(t);
      else children.set(t.parent, [t]);
    }
  }
  const picked = tasks.filter((t) => {
    if (q.statuses?.length) {
      if (!q.statuses.includes(t.status)) return false;
    } else if (!q.all && !isOpen(t.status)) return false;
    if (q.author !== undefined && t.author !== q.author) return false;
    if (q.tag !== undefined && !t.tags.includes(q.tag)) return false;
    if (q.parent !== undefined && t.parent !== q.parent) return false;
    if (q.available && !isAvailable(t, byId, children)) return false;
    return true;
  });
  const compare = COMPARE[q.sort ?? (q.available ? 'priority' : 'id')];
  picked.sort(q.reverse ? (a, b) => compare(b, a) : compare);
  return q.limit !== undefined ? picked.slice(0, q.limit) : picked;
}

export interface NextQuery {
  author: string;
  tag?: string;
  parent?: number;
}

/**
 * Candidates for `claim --next`, best first: tasks handed to this agent, then priority high to
 * low, then oldest. The caller claims the first that is still available under its lock.
 */
export function nextCandidates<T extends TaskFields>(tasks: T[], q: NextQuery): T[] {
  const available = selectTasks(tasks, {
    available: true,
    ...(q.tag !== undefined ? { tag: q.tag } : {}),
    ...(q.parent !== undefined ? { parent: q.parent } : {}),
  });
  const mine = (t: TaskFields) => (t.handoff_to === q.author ? 0 : 1);
  return available.sort((a, b) => mine(a) - mine(b) || byUrgency(a, b));
}

export interface StuckTask<T> {
  task: T;
  reason: 'lease expired' | 'no recent checkpoint';
  since: string; // when the lease ran out, or the time of the last sign of life
}

/** In-progress tasks whose lease ran out, or with no checkpoint (nor claim) for `olderThanMs`. */
export function stuckTasks<T extends TaskFields & { lastActivity: string }>(
  tasks: T[],
  now: Date,
  olderThanMs: number,
): StuckTask<T>[] {
  const out: StuckTask<T>[] = [];
  for (const task of tasks) {
    if (task.status !== 'in_progress') continue;
    if (task.lease_until && Date.parse(task.lease_until) <= now.getTime()) {
      out.push({ task, reason: 'lease expired', since: task.lease_until });
      continue;
    }
    const lastSign = task.lastActivity;
    if (now.getTime() - Date.parse(lastSign) >= olderThanMs)
      out.push({ task, reason: 'no recent checkpoint', since: lastSign });
  }
  return out.sort((a, b) => compareStamps(a.since, b.since) || a.task.id - b.task.id);
}

/** Newest activity: the latest checkpoint, History line or update. */
export function lastActivity(task: Task): string {
  let latest = task.updated;
  for (const at of [task.checkpoints.at(-1)?.at, task.history.at(-1)?.at])
    if (at !== undefined && at > latest) latest = at;
  return latest;
}

export interface SearchHit {
  task: Task;
  where: Array<'title' | 'description' | 'checkpoint'>;
  checkpoints: number[]; // indexes of matching checkpoints
}

/** Case-insensitive search of titles, descriptions and checkpoints; newest activity first. */
export function searchTasks(tasks: Task[], text: string): SearchHit[] {
  const needle = text.toLowerCase();
  const hits: SearchHit[] = [];
  for (const task of tasks) {
    const where: SearchHit['where'] = [];
    if (task.title.toLowerCase().includes(needle)) where.push('title');
    if (task.description.toLowerCase().includes(needle)) where.push('description');
    const checkpoints = task.checkpoints.flatMap((c, i) => (c.text.toLowerCase().includes(needle) ? [i] : []));
    if (checkpoints.length) where.push('checkpoint');
    if (where.length) hits.push({ task, where, checkpoints });
  }
  const activity = new Map(hits.map((h) => [h, lastActivity(h.task)]));
  return hits.sort((a, b) => compareStamps(activity.get(b)!, activity.get(a)!) || a.task.id - b.task.id);
}
