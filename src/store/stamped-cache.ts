// A rebuildable cache with one row per task file, each trusted only while its file has the same
// size, inode, mtime and ctime (every hzl write renames a new file into place, so the inode
// changes; any other write or touch changes the ctime, which cannot be set back). A missing,
// corrupt or foreign cache is simply rebuilt. Rows are decoded by a typed schema (`columns`):
// a row that does not fit it (a hand-edited cache, another version's) is as good as none.

import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from './atomic.js';
import { readRegularFile } from './regular-file.js';
import { type RowSource, SavedRows, rowList } from './saved-rows.js';

/** What a task file's row is checked against. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}

export type Row = unknown[];

/**
 * How a cache file is read and written; the default is `{"version": V, "rows": [...]}`. `read`
 * gives the rows as a list or as a source by position (column-codec.ts).
 */
export interface Codec {
  read(path: string): Row[] | RowSource;
  encode(rows: Row[]): string | Buffer;
  close?(): void; // after the save: the run is over
}

function rowsOf(json: string, version: number): Row[] {
  const doc = JSON.parse(json) as { version?: unknown; rows?: unknown };
  return doc.version === version && Array.isArray(doc.rows) ? (doc.rows as Row[]) : [];
}

export const jsonCodec = (version: number): Codec => ({
  read: (path) => rowsOf(readRegularFile(path), version),
  encode: (rows) => JSON.stringify({ version, rows }),
});

/** A check on one stored value that also tells TypeScript what it is. */
export type Column<T> = (value: unknown) => value is T;

/** An array of values of one type: a loop, several times faster than `every` in code run once. */
function arrayOf(v: unknown, type: 'string' | 'number'): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== type) return false;
  return true;
}

export const col = {
  number: ((v) => typeof v === 'number') as Column<number>,
  string: ((v) => typeof v === 'string') as Column<string>,
  strings: ((v) => arrayOf(v, 'string')) as Column<string[]>,
  numbers: ((v) => arrayOf(v, 'number')) as Column<number[]>,
  any: ((_v) => true) as Column<unknown>,
  /** `null` where the value is absent (or, for a few, the same as another column's). */
  orNull: <T>(column: Column<T>): Column<T | null> => ((v) => v === null || column(v)) as Column<T | null>,
};

export type Decoded<S extends readonly Column<unknown>[]> = {
  [K in keyof S]: S[K] extends Column<infer T> ? T : never;
};

/** The payload of `row` (what follows the stamp) as `columns` type it, or undefined when it does not fit. */
export function decodeRow<S extends readonly Column<unknown>[]>(row: Row, columns: S): Decoded<S> | undefined {
  return rowFits(row, columns) ? (row.slice(STAMP_COLUMNS) as Decoded<S>) : undefined;
}

/** A row as the file holds it: the stamp, then the payload. */
export type StampedRow<S extends readonly Column<unknown>[]> = [
  name: string,
  size: number,
  mtimeMs: number,
  ctimeMs: number | null,
  ino: number,
  ...payload: Decoded<S>,
];

/** Whether the payload of `row` fits `columns` (checked in place: no copy of the row). */
export function rowFits<S extends readonly Column<unknown>[]>(row: Row, columns: S): row is StampedRow<S> {
  if (row.length !== STAMP_COLUMNS + columns.length) return false;
  for (let i = 0; i < columns.length; i++) if (!columns[i]!(row[STAMP_COLUMNS + i])) return false;
  return true;
}

const STAMP_COLUMNS = 5; // name, size, mtimeMs, ctimeMs or null (= mtimeMs), ino

/**
 * As git does for racily clean index entries: a file changed within its file system's clock tick
 * of when it was stamped may change again in that same tick, keeping size and times. Such a row
 * is used in the run that made it but never saved, so the next run reads the file again. A tick
 * is a few milliseconds where times have fractions of a second (20 ms covers two ticks of the
 * slowest Linux clock); where they are whole seconds, it may be 2 s.
 */
export function stampIsRacy(stamp: FileStamp, stampedAt: number): boolean {
  const changed = Math.max(stamp.mtimeMs, stamp.ctimeMs);
  const quietMs = stamp.mtimeMs % 1000 === 0 && stamp.ctimeMs % 1000 === 0 ? 2_000 : 20;
  return stampedAt - changed < quietMs;
}

/**
 * Rows `[name, size, mtimeMs, ctimeMs or null (= mtimeMs), ino, ...payload]`, one per task file,
 * saved in the order the listing met the files: the next run finds each where it expects it
 * (saved-rows.ts). The file is read at the first lookup, after the listing stamped every file:
 * the stamps make garbage the collector then sweeps without copying the rows along.
 */
export class StampedCache<S extends readonly Column<unknown>[]> {
  private saved: SavedRows | undefined;
  private readonly added = new Map<string, Row>(); // rows put in this run
  private readonly forgotten = new Set<string>();
  private readonly racy = new Set<string>();
  private last: Row | undefined; // the row `row` found good last, for `found`
  private used = 0; // saved rows found good in this run: when that is all of them, none is stale
  private readonly path: string;
  /** Taken before any file is stamped in this run: the earlier, the more rows count as racy. */
  private readonly stampedAt: number;

  constructor(
    cacheDir: string,
    file: string,
    private readonly codec: Codec,
    private readonly columns: S,
    now: () => number = Date.now,
    /** A check across columns, for what no single column can tell. */
    private readonly fits?: (payload: Decoded<S>) => boolean,
  ) {
    this.stampedAt = now();
    this.path = join(cacheDir, file);
  }

  private rows(): SavedRows {
    if (!this.saved) {
      let rows: RowSource = rowList([]);
      try {
        const read = this.codec.read(this.path);
        rows = Array.isArray(read) ? rowList(read.filter((r) => Array.isArray(r) && typeof r[0] === 'string')) : read;
      } catch {
        // Missing or corrupt: start empty, rebuilt as files are read.
      }
      this.saved = new SavedRows(rows);
    }
    return this.saved;
  }

  /**
   * The row of `name` if its file still has this stamp and the row fits the schema; read it at
   * once: the next lookup may refill the same array (saved-rows.ts).
   */
  protected row(name: string, stamp: FileStamp): StampedRow<S> | undefined {
    const r = this.rows().find(name);
    if (!r || r[1] !== stamp.size || r[2] !== stamp.mtimeMs || (r[3] ?? r[2]) !== stamp.ctimeMs || r[4] !== stamp.ino) {
      return undefined;
    }
    if (!rowFits(r, this.columns) || (this.fits && !this.fits(r.slice(STAMP_COLUMNS) as Decoded<S>))) return undefined;
    this.used++;
    this.last = r;
    return r;
  }

  /** The row of `name` that `row` just found good. */
  protected found(name: string): StampedRow<S> | undefined {
    const r = this.last;
    return r && r[0] === name && !this.forgotten.has(name) && rowFits(r, this.columns) ? r : undefined;
  }

  /** Takes back a row that `row` found good but whose payload turned out unreadable. */
  protected forget(name: string): void {
    if (this.last?.[0] === name && !this.forgotten.has(name)) this.used--;
    this.forgotten.add(name);
  }

  /** A new row for `name`, whose row was missing or stale. */
  protected put(name: string, stamp: FileStamp, payload: Decoded<S>): void {
    // ctime is null when it equals mtime, as it does after most writes: fewer bytes to parse.
    const ctime = stamp.ctimeMs === stamp.mtimeMs ? null : stamp.ctimeMs;
    this.added.set(name, [name, stamp.size, stamp.mtimeMs, ctime, stamp.ino, ...payload]);
    if (stampIsRacy(stamp, this.stampedAt)) this.racy.add(name);
    else this.racy.delete(name);
  }

  /**
   * Saves the rows of the files in `present` (the regular files, in listing order) if anything
   * changed: a row put, one forgotten, one of a file gone, rows out of order. Racy rows are left
   * out. Each file is looked up once a run, so when every saved row was found good, none is
   * stale. A failed save is harmless.
   */
  save(present: string[]): void {
    try {
      const saved = this.rows();
      if (this.added.size > 0 || this.forgotten.size > 0 || this.used !== saved.source.length || saved.reordered) {
        const rows = this.rowsOf(present);
        if (this.added.size > 0 || this.forgotten.size > 0 || saved.reordered || rows.length !== saved.source.length) {
          mkdirSync(dirname(this.path), { recursive: true }); // a worktree's own folder, made on first use
          writeFileAtomic(this.path, this.codec.encode(rows));
        }
      }
    } catch {
      // Read-only state dir, disk full: the next run rebuilds.
    } finally {
      this.codec.close?.();
    }
  }

  /** The row of each of `present` that is to be kept, in that order. */
  private rowsOf(present: string[]): Row[] {
    const saved = this.rows();
    saved.rewind();
    const rows: Row[] = [];
    for (const name of present) {
      const added = this.added.get(name);
      if (added) saved.pass(name); // keeps the walk in order: no map of names for a changed file
      const r = added ?? saved.find(name)?.slice(); // a copy: a source may refill one row
      if (r && !this.racy.has(name) && (added || !this.forgotten.has(name))) rows.push(r);
    }
    return rows;
  }
}
