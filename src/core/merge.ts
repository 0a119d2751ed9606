// Merging two versions of one task (the git merge driver), as a pure function.
// Checkpoints and History merge as multisets of lines, front-matter fields three-way, and the
// description through a text merge the caller supplies (git merge-file: core runs no git).

import { ExitCode, HzlError } from './errors.js';
import { historyEntry } from './history.js';
import { oneLineRecord } from './printable.js';
import type { Entry, Task, TaskFields } from './task.js';

/** Front-matter keys hzl does not know, as parsed (see TaskDoc.extra). */
export type Extra = Record<string, unknown>;

/** A line-based three-way text merge; `clean: false` when `text` holds conflict markers. */
export type MergeText = (base: string, ours: string, theirs: string) => { text: string; clean: boolean };

export interface MergeSides<T> {
  base: T | undefined;
  ours: T;
  theirs: T;
}

export interface TaskMerge {
  task: Task;
  extra: Extra;
  /** Fields (known or unknown keys) both sides changed differently, settled by the later `updated`. */
  conflicts: string[];
  /** The descriptions clashed: the merged description holds conflict markers. */
  descriptionClash: boolean;
}

/** Who writes the History lines that record a value the merge dropped. */
export const MERGE_ACTOR = 'hzl-merge';

// Every field of TaskFields, checked by the compiler; `updated` is merged on its own.
const FIELD_SET = {
  id: true,
  title: true,
  status: true,
  priority: true,
  author: true,
  handoff_to: true,
  tags: true,
  depends_on: true,
  parent: true,
  lease_until: true,
  created: true,
  updated: true,
} satisfies Record<keyof TaskFields, true>;
const FIELDS = (Object.keys(FIELD_SET) as Array<keyof TaskFields>).filter((k) => k !== 'updated');

/** The merge driver's exit when a clash is left for a person: git then reports a conflict. */
export class MergeConflictError extends HzlError {
  readonly exitCode = ExitCode.unexpected;
  readonly code = 'merge_conflict';
}

export function mergeTasks(
  base: Task | undefined,
  ours: Task,
  theirs: Task,
  extras: MergeSides<Extra>,
  mergeText: MergeText,
): TaskMerge {
  // Both changed a field differently: the side updated later wins (ties: ours).
  const theirsLater = theirs.updated > ours.updated;
  const updated = theirsLater ? theirs.updated : ours.updated;
  const conflicts: string[] = [];
  const notes: Entry[] = [];
  const pick = (name: string, b: unknown, o: unknown, t: unknown, hasBase: boolean): unknown => {
    if (same(o, t)) return o;
    if (hasBase && same(b, o)) return t;
    if (hasBase && same(b, t)) return o;
    const [kept, lost] = theirsLater ? [t, o] : [o, t];
    conflicts.push(name);
    const keptText = isEmpty(kept) ? `no ${name}` : `${name} ${describe(kept)}`;
    const lostText = isEmpty(lost) ? 'none' : describe(lost);
    const details = `${keptText} (from the later side); the other side had ${lostText}`;
    notes.push(historyEntry({ at: updated, actor: MERGE_ACTOR, kind: 'merged', details }));
    return kept;
  };

  const fields: Record<string, unknown> = { updated };
  for (const key of FIELDS) {
    const value = pick(key, base?.[key], ours[key], theirs[key], base !== undefined);
    if (value !== undefined) fields[key] = value;
  }

  const extraKeys = [
    ...new Set([...Object.keys(extras.ours), ...Object.keys(extras.theirs), ...Object.keys(extras.base ?? {})]),
  ];
  const extraEntries: Array<[string, unknown]> = [];
  for (const key of extraKeys) {
    const value = pick(
      key,
      own(extras.base, key),
      own(extras.ours, key),
      own(extras.theirs, key),
      extras.base !== undefined,
    );
    if (value !== undefined) extraEntries.push([key, value]);
  }

  const description = mergeDescription(base?.description, ours.description, theirs.description, mergeText);
  const task = {
    ...(fields as unknown as TaskFields),
    description: description.text,
    checkpoints: mergeEntries(base?.checkpoints ?? [], ours.checkpoints, theirs.checkpoints),
    history: sortByTime([...mergeEntries(base?.history ?? [], ours.history, theirs.history), ...notes]),
  };
  // fromEntries, not assignment: a key named `__proto__` stays a key.
  return { task, extra: Object.fromEntries(extraEntries), conflicts, descriptionClash: !description.clean };
}

/**
 * Entries as multisets: an entry (same time, author and text) appears ours + theirs − base times,
 * so a line both sides inherited stays once and lines each side added all arrive. Base order first,
 * then what ours added, then what theirs added; then a stable sort by time.
 */
export function mergeEntries(base: Entry[], ours: Entry[], theirs: Entry[]): Entry[] {
  const count = (list: Entry[]) => {
    const counts = new Map<string, number>();
    for (const e of list) counts.set(keyOf(e), (counts.get(keyOf(e)) ?? 0) + 1);
    return counts;
  };
  const [inBase, inOurs, inTheirs] = [count(base), count(ours), count(theirs)];
  const left = new Map<string, number>();
  for (const key of new Set([...inOurs.keys(), ...inTheirs.keys()])) {
    left.set(key, (inOurs.get(key) ?? 0) + (inTheirs.get(key) ?? 0) - (inBase.get(key) ?? 0));
  }
  const out: Entry[] = [];
  const take = (list: Entry[], skipFirst: (key: string) => number) => {
    const seen = new Map<string, number>();
    for (const e of list) {
      const key = keyOf(e);
      const n = (seen.get(key) ?? 0) + 1;
      seen.set(key, n);
      if (n <= skipFirst(key) || (left.get(key) ?? 0) <= 0) continue;
      left.set(key, left.get(key)! - 1);
      out.push(e);
    }
  };
  take(base, () => 0);
  // A side's first occurrences of a key are the ones it inherited from base.
  take(ours, (key) => inBase.get(key) ?? 0);
  take(theirs, (key) => inBase.get(key) ?? 0);
  return sortByTime(out);
}

function mergeDescription(base: string | undefined, ours: string, theirs: string, mergeText: MergeText) {
  if (ours === theirs || base === theirs) return { text: ours, clean: true };
  if (base === ours) return { text: theirs, clean: true };
  const merged = mergeText(base ?? '', ours, theirs);
  return { text: merged.text.replace(/^\n+/, '').replace(/\s+$/, ''), clean: merged.clean };
}

function sortByTime(entries: Entry[]): Entry[] {
  // Array.prototype.sort is stable; stamps of one format compare as strings.
  return [...entries].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

function keyOf(e: Entry): string {
  return JSON.stringify([e.at, e.author, e.text]);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function own(fields: Extra | undefined, key: string): unknown {
  return fields && Object.hasOwn(fields, key) ? fields[key] : undefined;
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (Array.isArray(value) && value.length === 0);
}

/** A value for one History line, on one line: newlines and control characters as `\uXXXX`. */
function describe(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(describe).join(', ')}]`;
  return oneLineRecord(typeof value === 'object' ? JSON.stringify(value) : String(value));
}
