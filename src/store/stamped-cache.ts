// A rebuildable cache with one row per task file, each trusted only while its file has the same
// size, inode, mtime and ctime (every hzl write renames a new file into place, so the inode
// changes; any other write or touch changes the ctime, which cannot be set back). A missing,
// corrupt or foreign cache is simply rebuilt. Rows are decoded by a typed schema (`columns`):
// a row that does not fit it (a hand-edited cache, another version's) is as good as none.

import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from './atomic.js';
import { readRegularFile } from './regular-file.js';

/** What a task file's row is checked against. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}

export type Row = unknown[];

/** How a cache file is read and written; the default is `{"version": V, "rows": [...]}`. */
export interface Codec {
  read(path: string): Row[];
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

export const col = {
  number: ((v) => typeof v === 'number') as Column<number>,
  string: ((v) => typeof v === 'string') as Column<string>,
  strings: ((v) => Array.isArray(v) && v.every((x) => typeof x === 'string')) as Column<string[]>,
  numbers: ((v) => Array.isArray(v) && v.every((x) => typeof x === 'number')) as Column<number[]>,
  any: ((_v) => true) as Column<unknown>,
  /** `null` where the value is absent (or, for a few, the same as another column's). */
  orNull: <T>(column: Column<T>): Column<T | null> => ((v) => v === null || column(v)) as Column<T | null>,
};

export type Decoded<S extends readonly Column<unknown>[]> = {
  [K in keyof S]: S[K] extends Column<infer T> ? T : never;
};

/** The payload of `row` (what follows the stamp) as `columns` type it, or undefined when it does not fit. */
export function decodeRow<S extends readonly Column<unknown>[]>(row: Row, columns: S): Decoded<S> | undefined {
  if (row.length !== STAMP_COLUMNS + columns.length) return undefined;
  for (let i = 0; i < columns.length; i++) if (!columns[i]!(row[STAMP_COLUMNS + i])) return undefined;
  return row.slice(STAMP_COLUMNS) as Decoded<S>;
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

/** Rows `[name, size, mtimeMs, ctimeMs or null (= mtimeMs), ino, ...payload]`, one per task file. */
export class StampedCache<S extends readonly Column<unknown>[]> {
  private rows = new Map<string, Row>();
  private readonly racy = new Set<string>();
  private dirty = false;
  private used = 0; // rows found good or put in this run: when that is all of them, none is stale
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
    private readonly fits: (payload: Decoded<S>) => boolean = () => true,
  ) {
    this.stampedAt = now();
    this.path = join(cacheDir, file);
    try {
      for (const row of codec.read(this.path)) {
        if (Array.isArray(row) && typeof row[0] === 'string') this.rows.set(row[0], row);
      }
    } catch {
      // Missing or corrupt: start empty, rebuilt as files are read.
    }
  }

  /** The payload of `name`'s row if its file still has this stamp and the row fits the schema. */
  protected row(name: string, stamp: FileStamp): Decoded<S> | undefined {
    const r = this.rows.get(name);
    if (!r || r[1] !== stamp.size || r[2] !== stamp.mtimeMs || (r[3] ?? r[2]) !== stamp.ctimeMs || r[4] !== stamp.ino) {
      return undefined;
    }
    const payload = decodeRow(r, this.columns);
    if (!payload || !this.fits(payload)) return undefined;
    this.used++;
    return payload;
  }

  /** The payload of the row for `name` that `row` just found good. */
  protected found(name: string): Decoded<S> | undefined {
    const r = this.rows.get(name);
    return r && decodeRow(r, this.columns);
  }

  /** Takes back a row that `row` found good but whose payload turned out unreadable. */
  protected forget(name: string): void {
    if (this.rows.delete(name)) this.used--;
    this.dirty = true;
  }

  /** A new row for `name`, whose row was missing or stale. */
  protected put(name: string, stamp: FileStamp, payload: Decoded<S>): void {
    this.used++;
    // ctime is null when it equals mtime, as it does after most writes: fewer bytes to parse.
    const ctime = stamp.ctimeMs === stamp.mtimeMs ? null : stamp.ctimeMs;
    this.rows.set(name, [name, stamp.size, stamp.mtimeMs, ctime, stamp.ino, ...payload]);
    if (stampIsRacy(stamp, this.stampedAt)) this.racy.add(name);
    else this.racy.delete(name);
    this.dirty = true;
  }

  /**
   * Drops the rows of files not in `present` (gone, or no longer regular files), then saves if
   * anything changed, without the racy rows. Each file is looked up once a run, so when every
   * row was used, none is stale. A failed save is harmless.
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
      if (this.dirty) {
        const rows = [...this.rows.values()].filter((r) => !this.racy.has(r[0] as string));
        mkdirSync(dirname(this.path), { recursive: true }); // a worktree's own folder, made on first use
        writeFileAtomic(this.path, this.codec.encode(rows));
      }
      this.dirty = false;
    } catch {
      // Read-only state dir, disk full: the next run rebuilds.
    } finally {
      this.codec.close?.();
    }
  }
}
