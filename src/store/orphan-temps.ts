// Temp files that a killed write left beside the files hzl writes (see atomic.ts). They do no
// harm to later writes, but they are litter in the working tree: `hzl doctor` finds them.

import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TEMP_NAME } from './atomic.js';

/** A write takes milliseconds; a temp file this old belongs to no write still running. */
export const ORPHAN_AGE_MS = 60_000;

/** What a killed hzl can leave in the lock folder: staged locks and breakers, locks moved aside. */
export const LOCK_LITTER_NAME = /\.\d+-[0-9a-f]{12}\.(new|stale|tmp)$/;

/** The orphan temp files in these folders (each listed once), oldest first. */
export function findOrphanTemps(folders: string[], now = Date.now(), pattern = TEMP_NAME, foldersToo = false): string[] {
  const found: { path: string; mtime: number }[] = [];
  for (const folder of new Set(folders)) {
    let names: string[];
    try {
      names = readdirSync(folder);
    } catch {
      continue; // no such folder: nothing left there
    }
    for (const name of names) {
      if (!pattern.test(name)) continue;
      const path = join(folder, name);
      try {
        const stat = lstatSync(path);
        if ((stat.isFile() || (foldersToo && stat.isDirectory())) && now - stat.mtimeMs > ORPHAN_AGE_MS) found.push({ path, mtime: stat.mtimeMs });
      } catch {
        // Renamed into place meanwhile: it was no orphan.
      }
    }
  }
  return found.sort((a, b) => a.mtime - b.mtime).map((f) => f.path);
}
