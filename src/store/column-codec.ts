// A cache file of columns instead of rows, for the index every listing reads:
//   {"version": V, "count": N, "names": "a.md/b.md/…", "stamps": [size, mtimeMs, ctimeMs, ino, …],
//    "columns": [[each row's first payload value], …]}
// At 100,000 files a row each is 100,000 arrays (and as many names and boxed times) that the
// collector copies while the file is parsed; here there are a few long arrays, the times stored
// unboxed, and the names one string ('/' is the one character no file name holds). A row looked
// up is one array refilled each time: no garbage either (saved-rows.ts, `rowAt`).

import { readRegularFile } from './regular-file.js';
import type { RowSource } from './saved-rows.js';
import type { Codec, Row } from './stamped-cache.js';

const EMPTY: RowSource = { length: 0, isNamed: () => false, nameAt: () => '', rowAt: () => [] };

/** A codec of `width` payload columns. */
export function columnCodec(version: number, width: number): Codec {
  return {
    read: (path) => columnsOf(JSON.parse(readRegularFile(path)), version, width),
    encode: (rows) => encodeColumns(rows, version, width),
  };
}

interface ColumnDoc {
  version?: unknown;
  count?: unknown;
  names?: unknown;
  stamps?: unknown;
  columns?: unknown;
}

/** The rows of a parsed file, or none when it is of another version or shape. */
function columnsOf(doc: ColumnDoc, version: number, width: number): RowSource {
  const { count, names, stamps, columns } = doc ?? {};
  if (doc?.version !== version || typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) return EMPTY;
  if (typeof names !== 'string' || !Array.isArray(stamps) || stamps.length !== count * 4) return EMPTY;
  if (!Array.isArray(columns) || columns.length !== width) return EMPTY;
  if (!columns.every((c) => Array.isArray(c) && c.length === count)) return EMPTY;
  const starts = nameStarts(names, count);
  if (!starts) return EMPTY;
  const payload = columns as unknown[][];
  const nameAt = (i: number) => names.slice(starts[i], starts[i + 1]! - 1);
  const row: Row = new Array(5 + width);
  return {
    length: count,
    isNamed: (i, name) => name.length === starts[i + 1]! - 1 - starts[i]! && names.startsWith(name, starts[i]),
    nameAt,
    rowAt: (i, name) => {
      row[0] = name;
      for (let k = 0; k < 4; k++) row[1 + k] = stamps[i * 4 + k];
      for (let k = 0; k < width; k++) row[5 + k] = payload[k]![i];
      return row;
    },
  };
}

/** Where each of `count` names joined by '/' starts, and past the end one more; undefined if they are not `count`. */
function nameStarts(names: string, count: number): Int32Array | undefined {
  const starts = new Int32Array(count + 1);
  let at = 0;
  for (let i = 0; i < count; i++) {
    starts[i] = at;
    const end = i === count - 1 ? names.length : names.indexOf('/', at);
    if (end < 0) return undefined;
    at = end + 1;
  }
  starts[count] = at;
  // No name more than `count` (the last holds no '/'); none at all is "", not one empty name.
  const fits = count === 0 ? names === '' : names.indexOf('/', starts[count - 1]) < 0;
  return fits ? starts : undefined;
}

function encodeColumns(rows: Row[], version: number, width: number): string {
  const kept = rows.filter((r) => !(r[0] as string).includes('/')); // no such file name; cannot be joined
  const stamps: unknown[] = [];
  for (const r of kept) stamps.push(r[1], r[2], r[3] ?? r[2], r[4]);
  const columns = Array.from({ length: width }, (_, k) => kept.map((r) => r[5 + k]));
  const names = kept.map((r) => r[0]).join('/');
  return JSON.stringify({ version, count: kept.length, names, stamps, columns });
}
