// Temp files that a killed write left beside the files hzl writes (see atomic.ts). They do no
// harm to later writes, but they are litter in the working tree: `hzl doctor` finds them.

import { lstatSync, readdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { TEMP_NAME } from './atomic.js';
import type { Project } from './project.js';

/** A write takes milliseconds; a temp file this old belongs to no write still running. */
export const ORPHAN_AGE_MS = 60_000;

/** What a killed hzl can leave in the lock folder: staged locks and breakers, locks moved aside. */
export const LOCK_LITTER_NAME = /\.\d+-[0-9a-f]{12}\.(new|stale|tmp)$/;

/** The orphan temp files in these folders (each listed once), oldest first. */
export function findOrphanTemps(
  folders: string[],
  now = Date.now(),
  pattern = TEMP_NAME,
  foldersToo = false,
): string[] {
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
        if ((stat.isFile() || (foldersToo && stat.isDirectory())) && now - stat.mtimeMs > ORPHAN_AGE_MS)
          found.push({ path, mtime: stat.mtimeMs });
      } catch {
        // Renamed into place meanwhile: it was no orphan.
      }
    }
  }
  return found.sort((a, b) => a.mtime - b.mtime).map((f) => f.path);
}

/** The files hzl writes in the repository's top folder: only their temp files are hzl's there. */
const TOP_FILES = new Set(['.gitattributes', 'AGENTS.md', 'CLAUDE.md', 'GEMINI.md']);

/** hzl's temp files: in its own folders any, in the top folder only those of the files it writes. */
function hzlTemps(project: Project): string[] {
  const caches = project.cacheDir === project.stateDir ? [] : [project.cacheDir]; // a linked worktree's own
  const own = findOrphanTemps([project.tasksDir, project.hzlDir, project.stateDir, ...caches]);
  const top = findOrphanTemps([project.root, ...(project.worktreeRoot ? [project.worktreeRoot] : [])]).filter((path) =>
    TOP_FILES.has(TEMP_NAME.exec(basename(path))?.[1] ?? ''),
  );
  return [...new Set([...own, ...top])];
}

/** What interrupted hzl processes left behind: temp files of writes, then litter in the lock folder. */
export function hzlLitter(project: Project): Array<{ path: string; kind: 'temp' | 'lock-litter' }> {
  // A linked worktree's folder index has its lock in that worktree's own cache folder.
  const lockDirs = [project.stateDir, ...(project.cacheDir === project.stateDir ? [] : [project.cacheDir])];
  const locks = findOrphanTemps(
    lockDirs.map((dir) => join(dir, 'locks')),
    Date.now(),
    LOCK_LITTER_NAME,
    true,
  );
  return [
    ...hzlTemps(project).map((path) => ({ path, kind: 'temp' as const })),
    ...locks.map((path) => ({ path, kind: 'lock-litter' as const })),
  ];
}

/** `doctor --fix`: litter goes (a lock folder's staged breaker can be a folder). */
export function removeLitter(path: string): void {
  rmSync(path, { recursive: true, force: true });
}
