// Status changes as pure functions: Task in, Task out, with the History line added.
// No files, no clock, no git: callers pass who acts and when.

import { ConflictError } from './errors.js';
import { type HistoryKind, TAKES_CLAIM, historyEntry, historyEvent } from './history.js';
import type { Entry, Status, Task } from './task.js';
import { displayTime, stampAfter, toStamp, compareStamps } from './time.js';

export interface Act {
  actor: string;
  now: Date;
}

export interface ClaimOptions extends Act {
  lease: { ms: number; text: string };
  /** Dependencies that are not done yet; refused unless `force`. */
  unfinished: Array<{ id: number; status: Status | 'missing' }>;
  force?: boolean;
}

function stamp(act: Act): string {
  return toStamp(act.now);
}

function entry(act: Act, text: string): Entry {
  return { at: stamp(act), author: act.actor, text };
}

/** The new task with `updated` set and one History line appended: `kind` then `details`. */
export function withHistory(task: Task, act: Act, kind: HistoryKind, details: string): Task {
  const line = historyEntry({ at: stamp(act), actor: act.actor, kind, details });
  return { ...task, updated: line.at, history: [...task.history, line] };
}

function refuse(task: Task, verb: string, hint: string): never {
  throw new ConflictError(`cannot ${verb} task #${task.id}: it is ${task.status.replace('_', ' ')}; ${hint}`);
}

/** When the current holder took the claim: the newest claim-like History line by them. */
export function claimedSince(task: Task): string {
  for (let i = task.history.length - 1; i >= 0; i--) {
    const event = historyEvent(task.history[i]!);
    if (event.actor === task.author && TAKES_CLAIM.has(event.kind)) return event.at;
  }
  return task.updated;
}

export function claim(task: Task, opts: ClaimOptions): Task {
  const until = stampAfter(opts.now, opts.lease.ms, 'lease');
  if (task.status === 'in_progress') {
    if (task.author !== opts.actor) {
      const lease = task.lease_until ? `, lease until ${displayTime(task.lease_until)}` : '';
      const expired = task.lease_until !== undefined && Date.parse(task.lease_until) <= opts.now.getTime();
      throw new ConflictError(
        `task #${task.id} is already claimed by ${task.author ?? 'someone'} ` +
          `since ${displayTime(claimedSince(task))}${lease}: ` +
          `pick another task, or take it over with 'hzl task steal ${task.id} ${expired ? '--if-expired' : '--force'}'`,
      );
    }
    return withHistory({ ...task, lease_until: until }, opts, 'renewed', `(lease ${opts.lease.text})`);
  }
  if (task.status !== 'ready' && task.status !== 'backlog') {
    const hint =
      task.status === 'blocked' ? `run 'hzl task unblock ${task.id}' first` : `run 'hzl task reopen ${task.id}' first`;
    refuse(task, 'claim', hint);
  }
  if (opts.unfinished.length > 0 && !opts.force) {
    const list = opts.unfinished.map((d) => `#${d.id} (${d.status})`).join(', ');
    throw new ConflictError(
      `cannot claim task #${task.id}: it depends on unfinished ${list}; finish those first or pass --force`,
    );
  }
  const { handoff_to: _handedTo, ...rest } = task;
  return withHistory(
    { ...rest, status: 'in_progress', author: opts.actor, lease_until: until },
    opts,
    'claimed',
    `(${task.status} → in_progress, lease ${opts.lease.text})`,
  );
}

/** Appends a checkpoint; extends the lease when the writer holds the claim. */
export function checkpoint(task: Task, act: Act, text: string, lease?: { ms: number }): Task {
  if (task.status === 'archived') refuse(task, 'checkpoint', `run 'hzl task reopen ${task.id}' first`);
  const next: Task = { ...task, updated: stamp(act), checkpoints: [...task.checkpoints, entry(act, text)] };
  if (lease && task.status === 'in_progress' && task.author === act.actor && task.lease_until) {
    next.lease_until = stampAfter(act.now, lease.ms, 'lease');
  }
  return next;
}

/** `openSubtasks`: subtasks not done or archived; completing the parent is refused unless `force`. */
export function complete(task: Task, act: Act, openSubtasks: number[] = [], force = false): Task {
  if (task.status === 'done') return task;
  if (task.status === 'archived') refuse(task, 'complete', `run 'hzl task reopen ${task.id}' first`);
  if (openSubtasks.length > 0 && !force) {
    const list = openSubtasks.map((id) => `#${id}`).join(', ');
    throw new ConflictError(
      `cannot complete task #${task.id}: subtasks ${list} are still open; finish them or pass --force`,
    );
  }
  const { lease_until: _lease, ...rest } = task;
  return withHistory({ ...rest, status: 'done' }, act, 'completed', `(${task.status} → done)`);
}

export function release(task: Task, act: Act): Task {
  if (task.status !== 'in_progress' && task.status !== 'blocked') {
    refuse(task, 'release', 'only in-progress or blocked tasks hold a claim');
  }
  const { author: _author, lease_until: _lease, ...rest } = task;
  return withHistory({ ...rest, status: 'ready' }, act, 'released', `(${task.status} → ready)`);
}

export function block(task: Task, act: Act, reason: string): Task {
  if (task.status !== 'ready' && task.status !== 'in_progress')
    refuse(task, 'block', 'only ready or in-progress tasks can be blocked');
  const noted = checkpoint(task, act, `BLOCKED: ${reason}`);
  return withHistory({ ...noted, status: 'blocked' }, act, 'blocked', `(${task.status} → blocked)`);
}

export function unblock(task: Task, act: Act): Task {
  if (task.status !== 'blocked') refuse(task, 'unblock', 'only blocked tasks can be unblocked');
  const to: Status = task.author ? 'in_progress' : 'ready';
  return withHistory({ ...task, status: to }, act, 'unblocked', `(blocked → ${to})`);
}

export function reopen(task: Task, act: Act): Task {
  if (task.status !== 'done' && task.status !== 'archived')
    refuse(task, 'reopen', 'only done or archived tasks can be reopened');
  const { author: _author, lease_until: _lease, ...rest } = task;
  return withHistory({ ...rest, status: 'ready' }, act, 'reopened', `(${task.status} → ready)`);
}

export function archive(task: Task, act: Act): Task {
  if (task.status === 'archived') return task;
  const { lease_until: _lease, ...rest } = task;
  return withHistory({ ...rest, status: 'archived' }, act, 'archived', `(${task.status} → archived)`);
}

export interface StealOptions extends Act {
  lease: { ms: number; text: string };
  /** `--if-expired`: only when the lease has run out. `--force`: any claim. */
  mode: 'if-expired' | 'force';
}

/**
 * Someone else's claim that a write by `actor` would end or move: the holder of an in-progress or
 * blocked task, and whether the lease still runs (no lease counts as run out, as for steal).
 */
export function claimOfOther(task: Task, actor: string, now: Date): { holder: string; live: boolean } | undefined {
  if (!task.author || task.author === actor) return undefined;
  if (task.status !== 'in_progress' && task.status !== 'blocked') return undefined;
  return { holder: task.author, live: task.lease_until !== undefined && Date.parse(task.lease_until) > now.getTime() };
}

/** `after` with `(note)` after each History line it added to `before`: `completed (…) (run by X)`. */
export function withHistoryNote(before: Task, after: Task, note: string): Task {
  if (after.history.length <= before.history.length) return after;
  const added = after.history.slice(before.history.length).map((h) => ({ ...h, text: `${h.text} (${note})` }));
  return { ...after, history: [...after.history.slice(0, before.history.length), ...added] };
}

/** Takes over another agent's claim; History records who had it. */
export function steal(task: Task, opts: StealOptions): Task {
  if (task.status !== 'in_progress' || !task.author) {
    refuse(task, 'steal', `only claimed tasks can be taken over; use 'hzl task claim ${task.id}'`);
  }
  if (task.author === opts.actor) {
    throw new ConflictError(`task #${task.id} is already yours; 'hzl task claim ${task.id}' renews the lease`);
  }
  const expired = !task.lease_until || Date.parse(task.lease_until) <= opts.now.getTime();
  if (opts.mode === 'if-expired' && !expired) {
    throw new ConflictError(
      `task #${task.id} is claimed by ${task.author} until ${displayTime(task.lease_until!)} (lease not expired): ` +
        `wait, ask them, or take it anyway: 'hzl task steal ${task.id} --force'`,
    );
  }
  const until = stampAfter(opts.now, opts.lease.ms, 'lease');
  const why = expired ? 'lease expired' : 'forced';
  return withHistory(
    { ...task, author: opts.actor, lease_until: until },
    opts,
    'stolen',
    `from ${task.author} (${why}, lease ${opts.lease.text})`,
  );
}

/** Writes a `HANDOFF:` checkpoint, then releases the claim; `to` names who should take it next. */
export function handoff(task: Task, act: Act, note: string, to?: string): Task {
  if (task.status !== 'in_progress') refuse(task, 'hand off', `only in-progress tasks can be handed off`);
  const noted = checkpoint(task, act, `HANDOFF: ${note}`);
  const { author: _author, lease_until: _lease, handoff_to: _to, ...rest } = noted;
  const target = to ? `, to ${to}` : '';
  return withHistory(
    { ...rest, status: 'ready', ...(to ? { handoff_to: to } : {}) },
    act,
    'handoff',
    `(in_progress → ready${target})`,
  );
}

/** The newest `HANDOFF:` checkpoint, which the next agent should read first. */
export function latestHandoff(task: Task): Entry | undefined {
  for (let i = task.checkpoints.length - 1; i >= 0; i--) {
    if (task.checkpoints[i]!.text.startsWith('HANDOFF:')) return task.checkpoints[i];
  }
  return undefined;
}

/**
 * The handoff note while it is still the newest news: the last checkpoint, with nothing recorded
 * after it (no claim, completion or other change in History; its own release has its time).
 * Once the task was picked up again or finished, it is just a checkpoint in the list.
 */
export function currentHandoff(task: Task): Entry | undefined {
  const last = task.checkpoints.at(-1);
  if (!last?.text.startsWith('HANDOFF:')) return undefined;
  const later = task.history.some((h) => compareStamps(h.at, last.at) > 0);
  return later ? undefined : last;
}
