// The doctor check for temp files left by interrupted writes: reported, removed by --fix.

import { rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { LOCK_LITTER_NAME, findOrphanTemps } from '../store/orphan-temps.js';
import type { Project } from '../store/project.js';

export interface TempFileFinding {
  code: 'orphan-temp';
  message: string;
  file: string;
  fixed: boolean;
}

/** Every folder hzl writes files into through a temp file. */
function foldersWritten(project: Project): string[] {
  return [project.tasksDir, project.hzlDir, project.stateDir, project.root, ...(project.worktreeRoot ? [project.worktreeRoot] : [])];
}

export function orphanTempFiles(project: Project, fix: boolean): TempFileFinding[] {
  const temps = findOrphanTemps(foldersWritten(project)).map((path) => ({ path, why: 'a temp file left by an interrupted write (no task data is missing: writes replace the file whole)' }));
  const litter = findOrphanTemps([join(project.stateDir, 'locks')], Date.now(), LOCK_LITTER_NAME, true).map((path) => ({ path, why: 'left in the lock folder by a killed hzl process (no lock is held by it)' }));
  return [...temps, ...litter].map(({ path, why }) => {
    const file = relative(project.root, path).split('\\').join('/');
    if (fix) rmSync(path, { recursive: true, force: true });
    const what = `${file}: ${why}`;
    return { code: 'orphan-temp', file, fixed: fix, message: fix ? `${what}; removed` : `${what}: run 'hzl doctor --fix' to remove it` };
  });
}
