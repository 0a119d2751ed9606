// Which tasks a listing shows, and in what order. Pure: tasks in, tasks out.

import type { Status, Task } from './task.js';

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
  limit?: number;
}

/** Ready, every dependency done, unclaimed, and not a parent with open subtasks. */
export function isAvailable(task: Task, byId: Map<number, Task>, children: Map<number, Task[]>): boolean {
  if (task.status !== 'ready' || task.author) return false;
  if (!task.depends_on.every((d) => byId.get(d)?.status === 'done')) return false;
  const open = (children.get(task.id) ?? []).some((c) => c.status !== 'done' && c.status !== 'archived');
  return !open;
}

/** Priority high to low, then oldest created, then lowest id: the order `claim --next` uses. */
export function byUrgency(a: Task, b: Task): number {
  return b.priority - a.priority || a.created.localeCompare(b.created) || a.id - b.id;
}

const COMPARE: Record<SortKey, (a: Task, b: Task) => number> = {
  id: (a, b) => a.id - b.id,
  priority: byUrgency,
  created: (a, b) => a.created.localeCompare(b.created) || a.id - b.id,
  updated: (a, b) => b.updated.localeCompare(a.updated) || a.id - b.id,
};

export function selectTasks(tasks: Task[], q: ListQuery): Task[] {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const children = new Map<number, Task[]>();
  for (const t of tasks) if (t.parent) children.set(t.parent, [...(children.get(t.parent) ?? []), t]);
  const picked = tasks.filter((t) => {
    if (q.statuses?.length) {
      if (!q.statuses.includes(t.status)) return false;
    } else if (!q.all && t.status === 'archived') return false;
    if (q.author !== undefined && t.author !== q.author) return false;
    if (q.tag !== undefined && !t.tags.includes(q.tag)) return false;
    if (q.parent !== undefined && t.parent !== q.parent) return false;
    if (q.available && !isAvailable(t, byId, children)) return false;
    return true;
  });
  picked.sort(COMPARE[q.sort ?? (q.available ? 'priority' : 'id')]);
  return q.limit !== undefined ? picked.slice(0, q.limit) : picked;
}
