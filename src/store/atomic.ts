// Whole-file writes through a temp file and rename in the same directory: a process killed at any
// moment leaves either the old file or the new one, never a torn one.

import { chmodSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InvalidDataError } from '../core/errors.js';

let counter = 0;

export function tempPathFor(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.${++counter}.tmp`);
}

/** `name` is the file as messages show it. */
export function writeFileAtomic(file: string, text: string | Buffer, name = file): void {
  const mode = modeToKeep(file, name);
  const temp = tempPathFor(file);
  try {
    // Created with the old mode (never readable by more than the old file), then set exactly.
    writeFileSync(temp, text, { flag: 'wx', ...(mode !== undefined ? { mode } : {}) });
    if (mode !== undefined) chmodSync(temp, mode);
    renameSync(temp, file);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}

/**
 * The mode of the file a write replaces, so the rename keeps it (0600 stays 0600). A file its owner
 * may not write is refused rather than silently replaced: someone made it read-only on purpose.
 */
function modeToKeep(file: string, name: string): number | undefined {
  let mode: number;
  try {
    mode = statSync(file).mode & 0o7777;
  } catch {
    return undefined; // a new file: the usual mode
  }
  if ((mode & 0o200) === 0) {
    throw new InvalidDataError(`${name} is read-only; run 'chmod u+w ${name}' to let hzl write it, then try again`);
  }
  return mode;
}
