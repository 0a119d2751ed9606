// `search.cache`: what `task search` needs of each task file, so that it reads no task file that
// did not change (stamped-cache.ts says when a row is trusted).

import { closeSync, fstatSync, readSync } from 'node:fs';
import { type Task, taskIdOfFileName } from '../core/task.js';
import type { TaskDoc } from '../format/task-file.js';
import { openRegularFile } from './regular-file.js';
import { type Codec, type Column, type FileStamp, type Row, StampedCache, col } from './stamped-cache.js';

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
export class SearchIndex extends StampedCache<SearchColumns> {
  private readonly file: SearchCodec;

  constructor(cacheDir: string, now?: () => number) {
    const codec = searchCodec();
    // A record must lie within the file: `at` is a number only in rows read from it.
    const inFile = ([, at, length]: readonly [string, number | string, number]) =>
      typeof at === 'string' || at + length <= codec.recordsLength;
    super(cacheDir, 'search.cache', codec, searchColumns(), now, inFile);
    this.file = codec;
  }

  /** The searchable text of `name`, if its file still has this stamp. */
  text(name: string, stamp: FileStamp): string | undefined {
    return this.row(name, stamp)?.[5]; // after the stamp
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
      const at = r[6]; // after the stamp and the text
      const length = r[7];
      const json = typeof at === 'string' ? at : this.file.recordAt(at, length)?.toString('utf8');
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

type SearchColumns = readonly [Column<string>, Column<number | string>, Column<number>];

/**
 * A row's payload: the searchable text, then where the task's JSON is in the records part and
 * how long it is (or, for a row put in this run, the JSON itself and 0).
 */
function searchColumns(): SearchColumns {
  const at = ((v) => typeof v === 'string' || (typeof v === 'number' && v >= 0)) as Column<number | string>;
  const length = ((v) => typeof v === 'number' && v >= 0) as Column<number>;
  return [col.string, at, length];
}

const SEARCH_VERSION = 6;
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
        const [record, length] = [r[6] as number | string, r[7] as number]; // as the columns checked them
        const json = typeof record === 'string' ? Buffer.from(record) : old.subarray(record, record + length);
        chunks.push(json, NEWLINE);
        heads.push([...r.slice(0, 6), at, json.length]);
        at += json.length + 1;
      }
      const head = Buffer.from(JSON.stringify(heads));
      return Buffer.concat([
        Buffer.from(`${SEARCH_MAGIC} ${SEARCH_VERSION} ${head.length}\n`),
        head,
        NEWLINE,
        ...chunks,
      ]);
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
