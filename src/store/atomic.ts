// Whole-file writes through a temp file and rename in the same directory: a process killed at any
// moment leaves either the old file or the new one, never a torn one.

import { chmodSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InvalidDataError } from '../core/errors.js';
import { shellWord } from '../core/shell.js';
import { uniqueHex } from './unique.js';

/** The temp files hzl writes beside a file: `.<name>.<pid>.<unique>.tmp` (see `tempPathFor`). */
export const TEMP_NAME = /^\.(.+)\.\d+\.([0-9a-f]{12}|\d+)\.tmp$/; // the counter form: older versions

/**
 * A temp name no other process can hold. The pid alone is not enough: in containers every run
 * may be pid 1, and a write killed there leaves its temp file behind for the next one.
 */
export function tempPathFor(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.${uniqueHex()}.tmp`);
}

/** `name` is the file as messages show it. */
export function writeFileAtomic(file: string, text: string | Buffer, name = file): void {
  const mode = modeToKeep(file, name);
  for (let attempt = 1; ; attempt++) {
    const temp = tempPathFor(file);
    try {
      // Created with the old mode (never readable by more than the old file), then set exactly.
      writeFileSync(temp, text, { flag: 'wx', ...(mode !== undefined ? { mode } : {}) });
    } catch (err) {
      // 48 random bits make a clash all but impossible; a few more tries make it harmless.
      // (An existing temp file is another writer's: never remove it.)
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
        if (attempt < 5) continue;
        throw err;
      }
      rmSync(temp, { force: true }); // ours, half written (disk full, say)
      throw err;
    }
    try {
      if (mode !== undefined) chmodSync(temp, mode);
      renameSync(temp, file);
      return;
    } catch (err) {
      rmSync(temp, { force: true });
      throw err;
    }
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
    // The full path: the command works from any folder the user is in.
    throw new InvalidDataError(
      `${name} is read-only; to let hzl write it, run chmod u+w ${shellWord(file)} and try again`,
    );
  }
  return mode;
}
