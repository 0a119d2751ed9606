// What happened to a task between two versions of its file (for `hzl changes`): the checkpoints
// and History lines the newer one has and the older one does not. Pure: tasks in, events out.

import { parseHistoryText } from './history.js';
import type { Entry, Status, Task } from './task.js';
import { compareStamps } from './time.js';

export const CHANGE_KINDS = [
  'created',
  'claimed',
  'renewed',
  'stolen',
  'checkpoint',
  'blocked',
  'unblocked',
  'handoff',
  'released',
  'completed',
  'reopened',
  'archived',
  'updated',
  'other',
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export interface ChangeEvent {
  at: string;
  author: string;
  kind: ChangeKind;
  /** The checkpoint's text, or the History line's text. */
  text: string;
}

export interface TaskChange {
  id: number;
  title: string;
  status: Status;
  author?: string;
  /** New on this branch (not in the base version). */
  created: boolean;
  /** In the base version but gone now. */
  removed: boolean;
  events: ChangeEvent[];
}

/** Kinds that start something: at the same second, they come before a checkpoint. */
const OPENING = new Set<ChangeKind>(['created', 'claimed', 'renewed', 'stolen', 'unblocked', 'reopened']);

const HISTORY_CHANGES: ReadonlySet<string> = new Set(CHANGE_KINDS.filter((k) => k !== 'checkpoint' && k !== 'other'));

/** A History line as a change: its kind and what follows the verb; a kind `hzl changes` does not name is `other`. */
function historyChange(text: string): { kind: ChangeKind; detail: string } {
  const { kind, details } = parseHistoryText(text);
  return HISTORY_CHANGES.has(kind) ? { kind: kind as ChangeKind, detail: details } : { kind: 'other', detail: text };
}

export function historyKind(text: string): ChangeKind {
  return historyChange(text).kind;
}

/** A History line's text after its verb: `claimed (ready → in_progress)` → `(ready → in_progress)`. */
export function historyDetail(text: string): string {
  return historyChange(text).detail;
}

/**
 * Entries of `after` that `before` does not have. Compared as a multiset of (time, author, text),
 * not by position: a merge of the base into the branch can interleave lines from both sides.
 */
export function newEntries(before: Entry[], after: Entry[]): Entry[] {
  const key = (e: Entry) => `${e.at}\u0000${e.author}\u0000${e.text}`;
  const seen = new Map<string, number>();
  for (const e of before) seen.set(key(e), (seen.get(key(e)) ?? 0) + 1);
  return after.filter((e) => {
    const n = seen.get(key(e)) ?? 0;
    if (n === 0) return true;
    seen.set(key(e), n - 1);
    return false;
  });
}

/** The change from `before` (the base's version, if any) to `after` (HEAD's, if any). */
export function taskChange(before: Task | undefined, after: Task | undefined): TaskChange | undefined {
  const now = after ?? before;
  if (!now) return undefined;
  const checkpoints = newEntries(before?.checkpoints ?? [], after?.checkpoints ?? []).map(
    (e): ChangeEvent => ({ ...e, kind: 'checkpoint' }),
  );
  const history = newEntries(before?.history ?? [], after?.history ?? []).map(
    (e): ChangeEvent => ({ ...e, kind: historyKind(e.text) }),
  );
  const rank = (e: ChangeEvent) => (e.kind === 'checkpoint' ? 1 : OPENING.has(e.kind) ? 0 : 2);
  const events = [...checkpoints, ...history]
    .map((e, i) => ({ e, i }))
    .sort((a, b) => compareStamps(a.e.at, b.e.at) || rank(a.e) - rank(b.e) || a.i - b.i)
    .map(({ e }) => e);
  const created = before === undefined && after !== undefined;
  const removed = after === undefined;
  if (!created && !removed && events.length === 0) return undefined;
  return {
    id: now.id,
    title: now.title,
    status: now.status,
    ...(now.author !== undefined ? { author: now.author } : {}),
    created,
    removed,
    events,
  };
}

export interface ChangeSummary {
  tasks: number;
  created: number;
  claimed: number;
  checkpoints: number;
  handoffs: number;
  completed: number;
}

export function summarizeChanges(changes: TaskChange[]): ChangeSummary {
  const count = (kind: ChangeKind) => changes.reduce((n, c) => n + c.events.filter((e) => e.kind === kind).length, 0);
  return {
    tasks: changes.length,
    created: changes.filter((c) => c.created).length,
    claimed: count('claimed'),
    checkpoints: count('checkpoint'),
    handoffs: count('handoff'),
    completed: count('completed'),
  };
}
