// Whole-file writes through a temp file and rename in the same directory: a process killed at any
// moment leaves either the old file or the new one, never a torn one.

import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

let counter = 0;

export function tempPathFor(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.${++counter}.tmp`);
}

export function writeFileAtomic(file: string, text: string | Buffer): void {
  const temp = tempPathFor(file);
  try {
    writeFileSync(temp, text, { flag: 'wx' });
    renameSync(temp, file);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}
