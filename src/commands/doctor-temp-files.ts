// The doctor check for temp files left by interrupted writes: reported, removed by --fix.

import { relative } from 'node:path';
import { type Finding, problem } from '../core/findings.js';
import { hzlLitter, removeLitter } from '../store/orphan-temps.js';
import type { Project } from '../store/project.js';

const WHY = {
  temp: 'a temp file left by an interrupted write (no task data is missing: writes replace the file whole)',
  'lock-litter': 'left in the lock folder by a killed hzl process (no lock is held by it)',
};

export function orphanTempFiles(project: Project, fix: boolean): Finding[] {
  return hzlLitter(project).map(({ path, kind }) => {
    const file = relative(project.root, path).split('\\').join('/');
    if (fix) removeLitter(path);
    const what = `${file}: ${WHY[kind]}`;
    return problem(
      'orphan-temp',
      fix ? `${what}; removed` : `${what}: run 'hzl doctor --fix' to remove it`,
      { file },
      fix,
    );
  });
}
