// What the board shows, as pure functions: which tasks go in which column, in what order, and
// the short labels on a card. No ink here: the plain-text board (piped output) uses it too, and
// it is bundled into dist/main.js.

import { byUrgency } from '../core/query.js';
import type { Entry, Status, TaskFields } from '../core/task.js';
import { ago } from '../core/time.js';

/** One column per status, in workflow order; archived tasks are not on the board. */
export const BOARD_STATUSES = [
  'backlog',
  'ready',
  'in_progress',
  'blocked',
  'done',
] as const satisfies readonly Status[];

export const COLUMN_TITLES: Record<(typeof BOARD_STATUSES)[number], string> = {
  backlog: 'Backlog',
  ready: 'Ready',
  in_progress: 'In progress',
  blocked: 'Blocked',
  done: 'Done',
};

/** A task as a card: its fields and its newest checkpoint (the whole task is read on Enter). */
export interface BoardTask extends TaskFields {
  lastCheckpoint?: Entry;
  /** The clone whose claim on the shared remote the card shows, when it is not this one. */
  elsewhere?: string;
}

export interface BoardFilter {
  text?: string;
  author?: string;
}

export interface Column {
  status: (typeof BOARD_STATUSES)[number];
  title: string;
  tasks: BoardTask[];
}

/** Text: id (`12`, `#12`), title, tags, author or the newest checkpoint. Author: part of the name. */
export function matchesFilter(task: BoardTask, filter: BoardFilter): boolean {
  const author = filter.author?.trim().toLowerCase();
  if (author && !(task.author ?? '').toLowerCase().includes(author)) return false;
  const text = filter.text?.trim().toLowerCase();
  if (!text) return true;
  if (`#${task.id}` === text || `${task.id}` === text) return true;
  const haystack = [task.title, task.author ?? '', ...task.tags, task.lastCheckpoint?.text ?? '']
    .join('\n')
    .toLowerCase();
  return haystack.includes(text);
}

/** The columns, each ordered as `claim --next` would pick: priority, then oldest, then id. */
export function columnsOf(tasks: BoardTask[], filter: BoardFilter = {}): Column[] {
  return BOARD_STATUSES.map((status) => ({
    status,
    title: COLUMN_TITLES[status],
    tasks: tasks.filter((t) => t.status === status && matchesFilter(t, filter)).sort(byUrgency),
  }));
}

/** `now`, `5m`, `3h`, `2d`, `6w`, `4mo`, `2y`: how long ago `stamp` was (the one rule, core/time.ts). */
export { ago as age } from '../core/time.js';

/** The second line of a card: who holds it and how old its newest checkpoint is. */
export function cardDetail(task: BoardTask, now: Date): string {
  const open = task.status === 'ready' || task.status === 'backlog';
  const holder = task.author && task.elsewhere ? `${task.author} (other clone)` : task.author;
  const who = holder ?? (task.handoff_to ? `→ ${task.handoff_to}` : open ? 'unclaimed' : 'no author');
  const when = task.lastCheckpoint ? ago(task.lastCheckpoint.at, now) : undefined;
  const last = when === undefined ? 'no checkpoint' : when === 'now' ? 'just now' : `${when} ago`;
  return `${who} · ${last}`;
}

/** One line of text safe to draw (a hand-edited file could hold an escape sequence): the shared rule. */
export { visible as oneLine } from '../output/visible.js';
