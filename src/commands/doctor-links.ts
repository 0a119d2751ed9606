// `hzl doctor` on a project with links on hzl's own paths: every one of them is a finding, and
// doctor stops there, since reading the tasks would mean following the links it refuses.

import { type Finding, problem } from '../core/findings.js';
import { findProjectRoot, linkedPathMessage, linkedPaths } from '../store/project.js';
import type { Ctx } from './context.js';

export function linkedPathFindings(ctx: Ctx): Finding[] {
  const root = findProjectRoot(ctx.dir);
  if (!root) return []; // openWorkspace says what is missing
  return linkedPaths(root).map((l) => problem('linked-path', linkedPathMessage(l), { file: l.label }));
}
