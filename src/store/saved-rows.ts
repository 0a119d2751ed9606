// A cache file's rows, looked up by file name. A listing asks for the names in the order of the
// folder, which is the order the rows were saved in, so each lookup is first tried at the row
// after the last one found: at 10,000 files that is a string comparison each instead of a map of
// every name (built only at the first name found elsewhere, as after a file was added or removed).

import type { Row } from './stamped-cache.js';

export class SavedRows {
  private next = 0;
  private byName: Map<string, number> | undefined;
  /** A name was found before the row of the one found last: the rows are not in listing order. */
  reordered = false;

  /** `rows`: each starts with its file's name. */
  constructor(readonly rows: Row[]) {}

  find(name: string): Row | undefined {
    const here = this.rows[this.next];
    if (here !== undefined && here[0] === name) {
      this.next++;
      return here;
    }
    const i = this.positions().get(name);
    if (i === undefined) return undefined;
    if (i < this.next) this.reordered = true;
    this.next = i + 1;
    return this.rows[i];
  }

  /** Starts again from the first row, for another pass in listing order. */
  rewind(): void {
    this.next = 0;
  }

  private positions(): Map<string, number> {
    if (!this.byName) {
      this.byName = new Map();
      // The first row of a name, as `find` in order would meet it.
      for (let i = this.rows.length - 1; i >= 0; i--) this.byName.set(this.rows[i]![0] as string, i);
    }
    return this.byName;
  }
}
