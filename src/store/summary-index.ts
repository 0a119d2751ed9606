// Rebuildable caches of what listings need from each task file, so that they do not parse every
// file (stamped-cache.ts says when a row is trusted). They live in this worktree's git dir.
// Writes never use them: they re-read the file under the task's lock.
//
// Rows are JSON arrays, not objects (index.json holds them in columns: column-codec.ts), and the
// notes (last checkpoint, last handoff, extra fields) have a file of their own, read only by the
// commands that show them: at 10,000 tasks each halves what a plain listing parses
// (docs/architecture.md, "The summary index").

import { type Entry, type Task, type TaskFields, isStatus } from '../core/task.js';
import { lastActivity } from '../core/query.js';
import { latestHandoff } from '../core/transitions.js';
import type { TaskDoc } from '../format/task-file.js';
import { columnCodec } from './column-codec.js';
import { type Column, type FileStamp, StampedCache, col, jsonCodec } from './stamped-cache.js';

export type { FileStamp } from './stamped-cache.js';

/** What listings, `claim --next`, `stuck` and subtasks need of a task. */
export interface TaskListing extends TaskFields {
  file: string;
  lastActivity: string;
}

/** The rest of a summary: what `--json`, the board and `prime` show besides. */
export interface TaskNotes {
  extra: Record<string, unknown>;
  lastCheckpoint: Entry | null;
  lastHandoff: Entry | null;
}

export type TaskSummary = TaskListing & TaskNotes;

export function summarize(doc: Pick<TaskDoc, 'task' | 'extra'>, file: string): TaskSummary {
  const t = doc.task;
  return Object.assign(listingOf(t, file), {
    extra: doc.extra,
    lastCheckpoint: t.checkpoints.at(-1) ?? null,
    lastHandoff: latestHandoff(t) ?? null,
  });
}

/**
 * What a listing keeps of a task, field by field (a rest spread costs several times as much at
 * 10,000 files), its longer texts copied out of the file text they were cut from: V8 keeps a
 * cut string's whole source alive, and a listing holding 10,000 file texts spends its time in GC.
 */
export function listingOf(t: Task, file: string): TaskListing {
  const listing: TaskListing = {
    id: t.id,
    title: detached(t.title),
    status: t.status,
    priority: t.priority,
    tags: t.tags,
    depends_on: t.depends_on,
    created: detached(t.created),
    updated: detached(t.updated),
    file,
    lastActivity: detached(lastActivity(t)),
  };
  if (t.author !== undefined) listing.author = detached(t.author);
  if (t.handoff_to !== undefined) listing.handoff_to = detached(t.handoff_to);
  if (t.parent !== undefined) listing.parent = t.parent;
  if (t.lease_until !== undefined) listing.lease_until = detached(t.lease_until);
  return listing;
}

/** A copy of `s` on its own (V8 copies strings under 13 characters when cutting them anyway). */
function detached(s: string): string {
  return s.length < 13 ? s : ` ${s}`.slice(1);
}

const entryRow = (e: Entry | null): EntryRow | null => (e ? [e.at, e.author, e.text] : null);

type EntryRow = [string, string, string];
const entryColumn = ((v) =>
  Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'string')) as Column<EntryRow>;
const entryOf = (row: EntryRow | null): Entry | null => (row ? { at: row[0], author: row[1], text: row[2] } : null);
const status = ((v) => isStatus(v)) as Column<TaskListing['status']>;
const record = ((v) => typeof v === 'object' && v !== null && !Array.isArray(v)) as Column<Record<string, unknown>>;

/** A listing's row: each field in order; null where it is absent. */
const LISTING = [
  col.number, // id
  col.string, // title
  status,
  col.number, // priority
  col.strings, // tags
  col.numbers, // depends_on
  col.string, // created
  col.string, // updated
  col.orNull(col.string), // author
  col.orNull(col.string), // handoff_to
  col.orNull(col.number), // parent
  col.orNull(col.string), // lease_until
  col.orNull(col.string), // last activity; null: the same as updated, as it mostly is
] as const;

/** `index.json`: each task's listing, for listings, `claim --next`, `stuck`, subtasks. */
export class SummaryIndex extends StampedCache<typeof LISTING> {
  constructor(cacheDir: string, now?: () => number) {
    super(cacheDir, 'index.json', columnCodec(9, LISTING.length), LISTING, now);
  }

  get(name: string, stamp: FileStamp, file: string): TaskListing | undefined {
    const r = this.row(name, stamp);
    if (!r) return undefined;
    // By index, typed by the schema (the stamp's five columns first): array destructuring goes
    // through the iterator protocol, several times slower in code that runs once.
    const updated = r[12];
    const listing: TaskListing = {
      id: r[5],
      title: r[6],
      status: r[7],
      priority: r[8],
      tags: r[9],
      depends_on: r[10],
      created: r[11],
      updated,
      file,
      lastActivity: r[17] ?? updated,
    };
    if (r[13] !== null) listing.author = r[13];
    if (r[14] !== null) listing.handoff_to = r[14];
    if (r[15] !== null) listing.parent = r[15];
    if (r[16] !== null) listing.lease_until = r[16];
    return listing;
  }

  set(name: string, stamp: FileStamp, s: TaskListing): void {
    this.put(name, stamp, [
      s.id,
      s.title,
      s.status,
      s.priority,
      s.tags,
      s.depends_on,
      s.created,
      s.updated,
      s.author ?? null,
      s.handoff_to ?? null,
      s.parent ?? null,
      s.lease_until ?? null,
      s.lastActivity === s.updated ? null : s.lastActivity,
    ]);
  }
}

/** A task's notes: extra fields (null: none), last checkpoint, last handoff. */
const NOTES = [col.orNull(record), col.orNull(entryColumn), col.orNull(entryColumn)] as const;

/** `notes.json`: each task's notes, for `--json` listings, the board and `prime`. */
export class NotesIndex extends StampedCache<typeof NOTES> {
  constructor(cacheDir: string, now?: () => number) {
    super(cacheDir, 'notes.json', jsonCodec(5), NOTES, now);
  }

  get(name: string, stamp: FileStamp): TaskNotes | undefined {
    const r = this.row(name, stamp);
    if (!r) return undefined;
    return { extra: r[5] ?? {}, lastCheckpoint: entryOf(r[6]), lastHandoff: entryOf(r[7]) }; // after the stamp
  }

  set(name: string, stamp: FileStamp, s: TaskNotes): void {
    this.put(name, stamp, [
      Object.keys(s.extra).length ? s.extra : null,
      entryRow(s.lastCheckpoint),
      entryRow(s.lastHandoff),
    ]);
  }
}
