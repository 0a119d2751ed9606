// Rebuildable caches of what listings and search need from each task file, so that they do not
// parse every file. They live in the never-versioned state dir. Every row is trusted only while
// its file has the same size, inode, mtime and ctime (every hzl write renames a new file into
// place, so the inode changes; any other write or touch changes the ctime, which cannot be set
// back); a missing, corrupt or foreign cache is simply rebuilt. Writes never use them: they
// re-read the file under the task's lock.
//
// Rows are JSON arrays, not objects, and the notes (last checkpoint, last handoff, extra fields)
// have a file of their own, read only by the commands that show them: at 10,000 tasks each
// halves what a plain listing parses (docs/architecture.md, "The summary index").

import { closeSync, fstatSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { type Entry, type Status, type Task, type TaskFields, taskIdOfFileName } from '../core/task.js';
import { lastActivity } from '../core/query.js';
import { latestHandoff } from '../core/transitions.js';
import type { TaskDoc } from '../format/task-file.js';
import { writeFileAtomic } from './atomic.js';
import { openRegularFile, readRegularFile } from './regular-file.js';

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
  const { description: _d, checkpoints, history: _h, ...fields } = doc.task;
  return {
    ...fields,
    file,
    extra: doc.extra,
    lastCheckpoint: checkpoints.at(-1) ?? null,
    lastHandoff: latestHandoff(doc.task) ?? null,
    lastActivity: lastActivity(doc.task),
  };
}

/** What a task file's row is checked against. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}

type Row = unknown[];

/** How a cache file is read and written; the default is `{"version": V, "rows": [...]}`. */
interface Codec {
  read(path: string): Row[];
  encode(rows: Row[]): string | Buffer;
  close?(): void; // after the save: the run is over
}

function rowsOf(json: string, version: number): Row[] {
  const doc = JSON.parse(json) as { version?: unknown; rows?: unknown };
  return doc.version === version && Array.isArray(doc.rows) ? (doc.rows as Row[]) : [];
}

const jsonCodec = (version: number): Codec => ({
  read: (path) => rowsOf(readRegularFile(path), version),
  encode: (rows) => JSON.stringify({ version, rows }),
});

/** Rows `[name, size, mtimeMs, ctimeMs or null (= mtimeMs), ino, ...payload]`, one per task file. */
class StampedCache {
  private rows = new Map<string, Row>();
  private dirty = false;
  private used = 0; // rows found good or put in this run: when that is all of them, none is stale
  private readonly path: string;

  /** `fits` tells a row of the right shape; any other (a hand-edited cache) is as good as none. */
  constructor(
    stateDir: string,
    file: string,
    private readonly codec: Codec,
    private readonly fits: (row: Row) => boolean,
  ) {
    this.path = join(stateDir, file);
    try {
      for (const row of codec.read(this.path)) {
        if (Array.isArray(row) && typeof row[0] === 'string') this.rows.set(row[0], row);
      }
    } catch {
      // Missing or corrupt: start empty, rebuilt as files are read.
    }
  }

  /** The row for `name` if its file still has this stamp. */
  protected row(name: string, stamp: FileStamp): Row | undefined {
    const r = this.rows.get(name);
    if (!r || r[1] !== stamp.size || r[2] !== stamp.mtimeMs || (r[3] ?? r[2]) !== stamp.ctimeMs || r[4] !== stamp.ino || !this.fits(r)) {
      return undefined;
    }
    this.used++;
    return r;
  }

  /** The row for `name` that `row` just found good. */
  protected found(name: string): Row | undefined {
    return this.rows.get(name);
  }

  /** Takes back a row that `row` found good but whose payload turned out unreadable. */
  protected forget(name: string): void {
    if (this.rows.delete(name)) this.used--;
    this.dirty = true;
  }

  /** A new row for `name`, whose row was missing or stale. */
  protected put(name: string, stamp: FileStamp, payload: unknown[]): void {
    this.used++;
    // ctime is null when it equals mtime, as it does after most writes: fewer bytes to parse.
    const ctime = stamp.ctimeMs === stamp.mtimeMs ? null : stamp.ctimeMs;
    this.rows.set(name, [name, stamp.size, stamp.mtimeMs, ctime, stamp.ino, ...payload]);
    this.dirty = true;
  }

  /**
   * Drops the rows of files not in `present` (gone, or no longer regular files), then saves if
   * anything changed. Each file is looked up once a run, so when every row was used, none is
   * stale. A failed save is harmless.
   */
  save(present: string[]): void {
    if (this.used !== this.rows.size) {
      const keep = new Set(present);
      for (const name of this.rows.keys()) {
        if (!keep.has(name)) {
          this.rows.delete(name);
          this.dirty = true;
        }
      }
    }
    try {
      if (this.dirty) writeFileAtomic(this.path, this.codec.encode([...this.rows.values()]));
      this.dirty = false;
    } catch {
      // Read-only state dir, disk full: the next run rebuilds.
    } finally {
      this.codec.close?.();
    }
  }
}

const entryRow = (e: Entry | null) => (e ? [e.at, e.author, e.text] : null);

function entryOf(value: unknown): Entry | null {
  if (!Array.isArray(value)) return null;
  const [at, author, text] = value as string[];
  return { at: at!, author: author!, text: text! };
}

/** `index.json`: each task's listing, for listings, `claim --next`, `stuck`, subtasks. */
export class SummaryIndex extends StampedCache {
  constructor(stateDir: string) {
    super(stateDir, 'index.json', jsonCodec(7), (r) => r.length === 18 && typeof r[5] === 'number' && typeof r[6] === 'string');
  }

  get(name: string, stamp: FileStamp, file: string): TaskListing | undefined {
    const r = this.row(name, stamp);
    if (!r) return undefined;
    const listing: TaskListing = {
      id: r[5] as number,
      title: r[6] as string,
      status: r[7] as Status,
      priority: r[8] as number,
      tags: r[9] as string[],
      depends_on: r[10] as number[],
      created: r[11] as string,
      updated: r[12] as string,
      file,
      lastActivity: (r[17] as string | null) ?? (r[12] as string),
    };
    if (r[13] !== null) listing.author = r[13] as string;
    if (r[14] !== null) listing.handoff_to = r[14] as string;
    if (r[15] !== null) listing.parent = r[15] as number;
    if (r[16] !== null) listing.lease_until = r[16] as string;
    return listing;
  }

  set(name: string, stamp: FileStamp, s: TaskListing): void {
    this.put(name, stamp, [
      s.id, s.title, s.status, s.priority, s.tags, s.depends_on, s.created, s.updated,
      s.author ?? null, s.handoff_to ?? null, s.parent ?? null, s.lease_until ?? null,
      s.lastActivity === s.updated ? null : s.lastActivity, // null: the same as updated, as it mostly is
    ]);
  }
}

/** `notes.json`: each task's notes, for `--json` listings, the board and `prime`. */
export class NotesIndex extends StampedCache {
  constructor(stateDir: string) {
    super(stateDir, 'notes.json', jsonCodec(4), (r) => r.length === 8);
  }

  get(name: string, stamp: FileStamp): TaskNotes | undefined {
    const r = this.row(name, stamp);
    if (!r) return undefined;
    return { extra: (r[5] as Record<string, unknown> | null) ?? {}, lastCheckpoint: entryOf(r[6]), lastHandoff: entryOf(r[7]) };
  }

  set(name: string, stamp: FileStamp, s: TaskNotes): void {
    this.put(name, stamp, [Object.keys(s.extra).length ? s.extra : null, entryRow(s.lastCheckpoint), entryRow(s.lastHandoff)]);
  }
}

/** What `task search` needs of a task that matches: the whole task, as parsed. */
export type SearchRecord = Pick<TaskDoc, 'task' | 'extra'>;

/**
 * `search.cache`, for `task search`: each task's searchable text (title, description, checkpoint
 * texts, lower-cased) to rule files out, and the parsed task, so that a file that matches is not
 * read and parsed again. The file holds a line `hzl-search-cache VERSION LENGTH`, then a JSON line
 * of LENGTH bytes with the rows, each ending with the text and where its task's JSON starts in
 * the rest of the file and how long it is, then those JSONs, one a line. A search reads the rows,
 * and of the rest only the tasks that match.
 */
export class SearchIndex extends StampedCache {
  private readonly file: SearchCodec;

  constructor(stateDir: string) {
    const codec = searchCodec();
    super(stateDir, 'search.cache', codec, (r) => {
      if (r.length !== 8 || typeof r[5] !== 'string') return false;
      if (typeof r[6] === 'string') return true; // put in this run
      const [at, length] = [r[6], r[7]];
      return typeof at === 'number' && typeof length === 'number' && at >= 0 && at + length <= codec.recordsLength;
    });
    this.file = codec;
  }

  /** The searchable text of `name`, if its file still has this stamp. */
  text(name: string, stamp: FileStamp): string | undefined {
    return this.row(name, stamp)?.[5] as string | undefined;
  }

  /**
   * The task of `name`, once `text` found its row good; undefined (and the row forgotten) if its
   * record cannot be read or parsed: the caller then reads the file.
   */
  record(name: string): SearchRecord | undefined {
    const r = this.found(name);
    if (!r) return undefined;
    let record: SearchRecord | undefined;
    try {
      const json = typeof r[6] === 'string' ? r[6] : this.file.recordAt(r[6] as number, r[7] as number)?.toString('utf8');
      if (json !== undefined) record = JSON.parse(json) as SearchRecord;
    } catch {
      // Not JSON: as good as no record.
    }
    // The id the file name gives: a record read from the wrong place is not taken for this task.
    const id = taskIdOfFileName(name);
    if (id !== undefined && record?.task?.id === id && Array.isArray(record.task.checkpoints)) return record;
    this.forget(name);
    return undefined;
  }

  set(name: string, stamp: FileStamp, doc: SearchRecord): void {
    this.put(name, stamp, [searchableText(doc.task), JSON.stringify({ task: doc.task, extra: doc.extra }), 0]);
  }
}

const SEARCH_VERSION = 5;
const SEARCH_MAGIC = 'hzl-search-cache';
const NEWLINE = Buffer.from('\n');

interface SearchCodec extends Codec {
  recordsLength: number;
  /** Bytes `at` to `at + length` of the records part, or undefined when they cannot be read. */
  recordAt(at: number, length: number): Buffer | undefined;
}

/** Reads `length` bytes at `position`, or undefined when the file is shorter. */
function readAt(fd: number, position: number, length: number): Buffer | undefined {
  const buffer = Buffer.allocUnsafe(length);
  return readSync(fd, buffer, 0, length, position) === length ? buffer : undefined;
}

function searchCodec(): SearchCodec {
  let fd: number | undefined;
  let recordsStart = 0;
  const codec: SearchCodec = {
    recordsLength: 0,
    read(path) {
      fd = openRegularFile(path);
      const first = readAt(fd, 0, Math.min(64, fstatSync(fd).size)) ?? Buffer.alloc(0);
      const end = first.indexOf(0x0a);
      const m = /^(\S+) (\d+) (\d+)$/.exec(first.toString('latin1', 0, Math.max(end, 0)));
      if (!m || m[1] !== SEARCH_MAGIC || Number(m[2]) !== SEARCH_VERSION) return [];
      const head = readAt(fd, end + 1, Number(m[3]));
      if (!head) return [];
      recordsStart = end + 1 + head.length + 1;
      codec.recordsLength = Math.max(0, fstatSync(fd).size - recordsStart);
      const rows = JSON.parse(head.toString('utf8')) as unknown;
      return Array.isArray(rows) ? (rows as Row[]) : [];
    },
    recordAt: (at, length) => (fd === undefined ? undefined : readAt(fd, recordsStart + at, length)),
    encode(rows) {
      const old = codec.recordAt(0, codec.recordsLength) ?? Buffer.alloc(0); // one read, not one a row
      const chunks: Buffer[] = [];
      let at = 0;
      const heads: Row[] = [];
      for (const r of rows) {
        const json = typeof r[6] === 'string' ? Buffer.from(r[6]) : old.subarray(r[6] as number, (r[6] as number) + (r[7] as number));
        chunks.push(json, NEWLINE);
        heads.push([...r.slice(0, 6), at, json.length]);
        at += json.length + 1;
      }
      const head = Buffer.from(JSON.stringify(heads));
      return Buffer.concat([Buffer.from(`${SEARCH_MAGIC} ${SEARCH_VERSION} ${head.length}\n`), head, NEWLINE, ...chunks]);
    },
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
  return codec;
}

/**
 * The text `task search` looks in, lower-cased field by field (as `searchTasks` compares), joined
 * by NUL, which no argument can hold, so a phrase never matches across two fields.
 */
export function searchableText(task: Task): string {
  const { title, description, checkpoints } = task;
  return [title, description, ...checkpoints.map((c) => c.text)].map((t) => t.toLowerCase()).join('\0');
}
