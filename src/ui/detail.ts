// The detail view's text: a task's fields, description, dependencies and every checkpoint, as
// lines the ink view draws and scrolls. Pure, so the layout is easy to test and reason about.

import type { Status, Task } from '../core/task.js';
import { displayTime } from '../core/time.js';
import type { BoardTask } from './model.js';
import { oneLine } from './model.js';
import { visible } from '../output/visible.js';

export interface DetailLine {
  text: string;
  bold?: boolean;
  dim?: boolean;
  status?: Status;
}

export function detailLines(task: Task, byId: Map<number, BoardTask>): DetailLine[] {
  const lines: DetailLine[] = [];
  const field = (name: string, value: string) => lines.push({ text: `${name}: ${value}` });
  lines.push({ text: `#${task.id} ${oneLine(task.title)}`, bold: true });
  lines.push({ text: `Status: ${task.status}`, status: task.status });
  if (task.author) field('Author', oneLine(task.author));
  if (task.handoff_to) field('Handoff to', oneLine(task.handoff_to));
  if (task.priority !== 0) field('Priority', String(task.priority));
  if (task.tags.length) field('Tags', oneLine(task.tags.join(', ')));
  if (task.lease_until) field('Lease until', displayTime(task.lease_until));
  if (task.parent) field('Parent', related(task.parent, byId));
  lines.push({ text: '' });
  lines.push({ text: 'Depends on:', bold: true });
  if (task.depends_on.length === 0) lines.push({ text: '  (nothing)', dim: true });
  for (const dep of task.depends_on) lines.push({ text: `  ${related(dep, byId)}` });
  lines.push({ text: '' });
  lines.push({ text: 'Description:', bold: true });
  if (!task.description) lines.push({ text: '  (none)', dim: true });
  for (const line of task.description ? task.description.split('\n') : []) lines.push({ text: `  ${safe(line)}` });
  lines.push({ text: '' });
  lines.push({ text: `Checkpoints (${task.checkpoints.length}):`, bold: true });
  if (task.checkpoints.length === 0) lines.push({ text: '  (none yet)', dim: true });
  for (const c of task.checkpoints) {
    const [first, ...rest] = c.text.split('\n');
    lines.push({ text: `  [${displayTime(c.at)}] ${oneLine(c.author)}: ${safe(first ?? '')}` });
    for (const more of rest) lines.push({ text: `      ${safe(more)}` });
  }
  return lines;
}

/**
 * The lines that fit in `height` rows from `scroll` on, counting a long line as the rows it
 * wraps to, and how many lines are left below.
 */
export function fitLines(
  lines: DetailLine[],
  scroll: number,
  width: number,
  height: number,
): { shown: DetailLine[]; more: number } {
  const start = Math.min(Math.max(0, scroll), Math.max(0, lines.length - 1));
  const shown: DetailLine[] = [];
  let used = 0;
  for (let i = start; i < lines.length; i++) {
    const rows = Math.max(1, Math.ceil([...lines[i]!.text].length / Math.max(1, width)));
    const room = i === lines.length - 1 ? height : height - 1; // keep a row for "… more"
    if (used + rows > room) break;
    shown.push(lines[i]!);
    used += rows;
  }
  return { shown, more: lines.length - start - shown.length };
}

function related(id: number, byId: Map<number, BoardTask>): string {
  const t = byId.get(id);
  return t ? `#${id} (${t.status}) ${oneLine(t.title)}` : `#${id} (missing)`;
}

/**
 * A line of free text with tabs kept as spaces (ink counts a tab as one column), other control characters made
 * visible.
 */
function safe(line: string): string {
  return visible(line, { multiline: true }).replace(/\t/g, '  ');
}
