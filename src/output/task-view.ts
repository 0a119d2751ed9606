// Human forms: `show` follows the seed's layout; `list` is an aligned table on a terminal and
// tab-separated lines when piped.

import type { Entry, Status, Task, TaskFields } from '../core/task.js';
import { displayTime, localZone, roughSpan } from '../core/time.js';
import { currentHandoff } from '../core/transitions.js';
import type { Style } from './style.js';
import { type UnreadableTask, unreadableRow } from './unreadable.js';
import { visible } from './visible.js';

/** Multi-line text from a file, escaped, as lines to lay out. */
function linesOf(text: string): string[] {
  return visible(text, { multiline: true }).split('\n');
}

export interface Related {
  id: number;
  status?: Status; // undefined: the task does not exist
  title?: string;
}

export interface ShowContext {
  style: Style;
  dependencies: Related[];
  subtasks?: Related[];
  parent?: Related;
  /** The time of this run: a lease that has run out says so. */
  now?: Date;
}

export function renderShow(task: Task, { style, dependencies, subtasks = [], parent, now }: ShowContext): string {
  const out: string[] = [];
  out.push(style.bold(`Task #${task.id}: ${visible(task.title)}`));
  out.push(`Status: ${style.status(task.status)}`);
  if (task.author) out.push(`Author: ${visible(task.author)}`);
  if (task.handoff_to) out.push(`Handoff to: ${visible(task.handoff_to)}`);
  if (task.priority !== 0) out.push(`Priority: ${task.priority}`);
  if (task.tags.length) out.push(`Tags: ${task.tags.map((t) => visible(t)).join(', ')}`);
  if (dependencies.length) out.push(`Depends on: ${dependencies.map((d) => related(d, style)).join(', ')}`);
  if (task.lease_until)
    out.push(`Lease until: ${displayTime(task.lease_until)}${now ? expiredNote(task.lease_until, now, style) : ''}`);
  if (parent) out.push(`Parent: ${related(parent, style)}${parent.title ? ` ${visible(parent.title)}` : ''}`);
  if (task.description) {
    const lines = linesOf(task.description);
    out.push(
      lines.length === 1 ? `Description: ${lines[0]}` : ['Description:', ...lines.map((l) => indent(l, 2))].join('\n'),
    );
  }
  if (subtasks.length)
    out.push('Subtasks:', ...subtasks.map((s) => `  ${related(s, style)} ${visible(s.title ?? '')}`.trimEnd()));
  const handoff = currentHandoff(task);
  if (handoff) {
    // The next agent reads this first, while it is the newest news about the task.
    const [first, ...rest] = linesOf(handoff.text.replace(/^HANDOFF:\s*/, ''));
    const to = task.handoff_to ? ` → ${visible(task.handoff_to)}` : '';
    out.push(
      '',
      `${style.bold(`Handoff from ${visible(handoff.author)}${to} (${displayTime(handoff.at)}):`)} ${first}`,
    );
    out.push(...rest.map((l) => indent(l, 2)));
  }
  out.push('', 'Checkpoints:');
  if (task.checkpoints.length === 0) out.push(style.dim('  (none yet)'));
  for (const c of task.checkpoints) out.push(renderCheckpoint(c, task.author, style));
  const zone = now ? localZone(now) : undefined;
  if (zone) out.push('', style.dim(`(times are ${zone})`));
  return `${out.join('\n')}\n`;
}

function renderCheckpoint(entry: Entry, holder: string | undefined, style: Style): string {
  const who = entry.author !== holder ? ` (${visible(entry.author)})` : '';
  const [first, ...rest] = linesOf(entry.text);
  const head = `  ${style.dim(`[${displayTime(entry.at)}]`)}${who} ${first}`;
  return [head, ...rest.map((l) => indent(l, 4))].join('\n');
}

/** ` (expired 2h ago)` for a lease that ran out before `now`; nothing for a running one. */
function expiredNote(leaseUntil: string, now: Date, style: Style): string {
  const ago = now.getTime() - Date.parse(leaseUntil);
  return ago > 0 ? ` ${style.dim(`(expired ${roughSpan(ago)} ago)`)}` : '';
}

function related(r: Related, style: Style): string {
  return `#${r.id} (${r.status ? style.status(r.status) : 'missing'})`;
}

function indent(line: string, n: number): string {
  return line === '' ? '' : `${' '.repeat(n)}${line}`;
}

export function renderHistory(task: Task, style: Style): string {
  const lines = task.history.map((h) => {
    const [first, ...rest] = linesOf(h.text);
    return [
      `${style.dim(`[${displayTime(h.at)}]`)} ${visible(h.author)}: ${first}`,
      ...rest.map((l) => indent(l, 4)),
    ].join('\n');
  });
  return lines.length ? `${lines.join('\n')}\n` : '';
}

const COLUMNS = ['ID', 'STATUS', 'PRI', 'AUTHOR', 'TITLE'];

/**
 * `branches`, when given, adds a BRANCH column (last, so the first five stay in place).
 * Unreadable task files come last, with status `unreadable` and their first problem as title.
 */
export function renderList(
  tasks: TaskFields[],
  tty: boolean,
  style: Style,
  branches?: string[],
  unreadable: UnreadableTask[] = [],
): string {
  if (tasks.length === 0 && unreadable.length === 0) return '';
  if (!tty) return tabSeparated(tasks, branches, unreadable);
  const columns = branches ? [...COLUMNS, 'BRANCH'] : COLUMNS;
  const rows = tasks.map((t, i) => [
    `${t.id}`,
    t.status,
    `${t.priority}`,
    t.author === undefined ? '-' : visible(t.author),
    visible(t.title),
    ...(branches ? [visible(branches[i]!)] : []),
  ]);
  rows.push(...unreadable.map((u) => [...unreadableRow(u), ...(branches ? ['-'] : [])]));
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[], paint: (cell: string, i: number) => string) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? paint(cell, i) : paint(cell.padEnd(widths[i]!), i)))
      .join('  ')
      .trimEnd();
  const header = line([...columns], (c) => style.bold(c));
  const body = rows.map((r, n) =>
    line(r, (cell, i) => (i === 1 && tasks[n] ? style.status(tasks[n]!.status, cell) : cell)),
  );
  return `${[header, ...body].join('\n')}\n`;
}

/** The list for a pipe: one line per task, cells split by tabs, written out directly (10,000 lines). */
function tabSeparated(tasks: TaskFields[], branches: string[] | undefined, unreadable: UnreadableTask[]): string {
  const lines: string[] = new Array(tasks.length);
  for (let i = 0; i < tasks.length; i++) {
    const t = tasks[i]!;
    const author = t.author === undefined ? '-' : visible(t.author);
    const branch = branches ? `\t${visible(branches[i]!)}` : '';
    lines[i] = `${t.id}\t${t.status}\t${t.priority}\t${author}\t${visible(t.title)}${branch}\n`;
  }
  for (const u of unreadable) lines.push(`${[...unreadableRow(u), ...(branches ? ['-'] : [])].join('\t')}\n`);
  return lines.join('');
}
