// `hzl doctor` on a project with links on hzl's own paths: reports every one of them and stops
// there, since reading the tasks would mean following the links it refuses.

import { InvalidDataError } from '../core/errors.js';
import { findProjectRoot, linkedPathMessage, linkedPaths } from '../store/project.js';
import type { Ctx } from './context.js';

export function reportLinkedPaths(ctx: Ctx): void {
  const root = findProjectRoot(ctx.dir);
  if (!root) return; // openWorkspace says what is missing
  const links = linkedPaths(root);
  if (links.length === 0) return;
  const problems = links.map((l) => ({ code: 'linked-path', file: l.label, message: linkedPathMessage(l), fixed: false }));
  if (ctx.json) ctx.io.stdout.write(`${JSON.stringify({ schemaVersion: 1, kind: 'doctor', problems, notes: [] }, null, 2)}\n`);
  else ctx.io.stdout.write(problems.map((p) => `problem: ${p.message}\n`).join(''));
  throw new InvalidDataError(`${problems.length} problem${problems.length > 1 ? 's' : ''} found: see above`);
}
