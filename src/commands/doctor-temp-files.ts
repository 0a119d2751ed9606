// The doctor check for temp files left by interrupted writes: reported, removed by --fix.

import { rmSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { TEMP_NAME } from '../store/atomic.js';
import { LOCK_LITTER_NAME, findOrphanTemps } from '../store/orphan-temps.js';
import type { Project } from '../store/project.js';

export interface TempFileFinding {
  code: 'orphan-temp';
  message: string;
  file: string;
  fixed: boolean;
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

export function orphanTempFiles(project: Project, fix: boolean): TempFileFinding[] {
  const temps = hzlTemps(project).map((path) => ({ path, why: 'a temp file left by an interrupted write (no task data is missing: writes replace the file whole)' }));
  const litter = findOrphanTemps([join(project.stateDir, 'locks')], Date.now(), LOCK_LITTER_NAME, true).map((path) => ({ path, why: 'left in the lock folder by a killed hzl process (no lock is held by it)' }));
  return [...temps, ...litter].map(({ path, why }) => {
    const file = relative(project.root, path).split('\\').join('/');
    if (fix) rmSync(path, { recursive: true, force: true });
    const what = `${file}: ${why}`;
    return { code: 'orphan-temp', file, fixed: fix, message: fix ? `${what}; removed` : `${what}: run 'hzl doctor --fix' to remove it` };
  });
}
