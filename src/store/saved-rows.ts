// A cache file's rows, looked up by file name. A listing asks for the names in the order of the
// folder, which is the order the rows were saved in, so each lookup is first tried at the row
// after the last one found: at 10,000 files that is a string comparison each instead of a map of
// every name (built only at the first name found elsewhere, as after a file was added or removed).

import type { Row } from './stamped-cache.js';

/** Rows by position, as a codec read them: a list of rows, or columns (column-codec.ts). */
export interface RowSource {
  readonly length: number;
  /** Whether row `i` is the row of the file `name`. */
  isNamed(i: number, name: string): boolean;
  nameAt(i: number): string;
  /**
   * Row `i`, `[name, size, mtimeMs, ctimeMs or null, ino, ...payload]`, whose name `isNamed` said
   * is `name`. It may be one array refilled at every call: copy it to keep it.
   */
  rowAt(i: number, name: string): Row;
}

/** Rows read as a list, each starting with its file's name. */
export function rowList(rows: Row[]): RowSource {
  return {
    length: rows.length,
    isNamed: (i, name) => rows[i]![0] === name,
    nameAt: (i) => rows[i]![0] as string,
    rowAt: (i) => rows[i]!,
  };
}

export class SavedRows {
  private next = 0;
  private byName: Map<string, number> | undefined;
  /** A name was found before the row of the one found last: the rows are not in listing order. */
  reordered = false;

  constructor(readonly source: RowSource) {}

  find(name: string): Row | undefined {
    const i = this.next;
    if (i < this.source.length && this.source.isNamed(i, name)) {
      this.next++;
      return this.source.rowAt(i, name);
    }
    const at = this.positions().get(name);
    if (at === undefined) return undefined;
    if (at < this.next) this.reordered = true;
    this.next = at + 1;
    return this.source.rowAt(at, name);
  }

  /** Moves past the row of `name` if it is the next one: a name whose row is not needed, in order. */
  pass(name: string): void {
    if (this.next < this.source.length && this.source.isNamed(this.next, name)) this.next++;
  }

  /** Starts again from the first row, for another pass in listing order. */
  rewind(): void {
    this.next = 0;
  }

  private positions(): Map<string, number> {
    if (!this.byName) {
      this.byName = new Map();
      // The first row of a name, as `find` in order would meet it.
      for (let i = this.source.length - 1; i >= 0; i--) this.byName.set(this.source.nameAt(i), i);
    }
    return this.byName;
  }
}
