// Whole-file writes through a temp file and rename in the same directory: a process killed at any
// moment leaves either the old file or the new one, never a torn one.

import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** The temp files hzl writes beside a file: `.<name>.<pid>.<unique>.tmp` (see `tempPathFor`). */
export const TEMP_NAME = /^\..+\.\d+\.[0-9a-z]+\.tmp$/;

/**
 * A temp name no other process can hold. The pid alone is not enough: in containers every run
 * may be pid 1, and a write killed there leaves its temp file behind for the next one.
 */
export function tempPathFor(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

export function writeFileAtomic(file: string, text: string | Buffer): void {
  for (let attempt = 1; ; attempt++) {
    const temp = tempPathFor(file);
    try {
      writeFileSync(temp, text, { flag: 'wx' });
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
      renameSync(temp, file);
      return;
    } catch (err) {
      rmSync(temp, { force: true });
      throw err;
    }
  }
}
