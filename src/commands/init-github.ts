// `hzl init --github`: a workflow that runs `hzl doctor --ci` on pull requests. Written only
// when absent: a workflow someone edited is theirs.

import { lstatSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GITHUB_WORKFLOW } from './doctor-ci.js';

export const WORKFLOW_PATH = '.github/workflows/hzl.yml';

/** Whether the workflow was written. */
export function writeGithubWorkflow(root: string): boolean {
  const path = join(root, WORKFLOW_PATH);
  if (lstatSync(path, { throwIfNoEntry: false })) return false;
  mkdirSync(join(root, '.github', 'workflows'), { recursive: true });
  writeFileSync(path, GITHUB_WORKFLOW, { flag: 'wx' });
  return true;
}
