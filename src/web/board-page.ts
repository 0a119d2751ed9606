// The board: one column per status, cards ordered as `claim --next` would pick. The filters
// (author, tag, status, text) live in the URL, so a view can be shared as a link.

import { BOARD_STATUSES, type BoardTask, type Column, cardDetail, columnsOf } from '../ui/model.js';
import { type Html, html, shown } from './html.js';
import { page, queryString } from './layout.js';

export interface BoardFilters {
  author?: string;
  tag?: string;
  status?: string;
  q?: string;
  all?: string; // set: every card, however many
}

/** Cards per column unless `?all=1`: at 10,000 tasks a page of every card would be megabytes. */
export const CARDS_PER_COLUMN = 100;

export function boardFilters(params: URLSearchParams): BoardFilters {
  const get = (name: string) => params.get(name)?.trim() || undefined;
  const filters: BoardFilters = {};
  for (const name of ['author', 'tag', 'status', 'q', 'all'] as const) {
    const value = get(name);
    if (value !== undefined) filters[name] = value;
  }
  return filters;
}

/** A claim whose lease ran out: anyone may steal it, which a supervisor wants to see at a glance. */
function leaseExpired(task: BoardTask, now: Date): boolean {
  return (
    task.status === 'in_progress' && task.lease_until !== undefined && Date.parse(task.lease_until) <= now.getTime()
  );
}

function card(task: BoardTask, now: Date): Html {
  const tags = task.tags.map((t) => html`<span class="tag">${shown(t)}</span>`);
  const priority = task.priority ? ` · p${task.priority}` : '';
  const expiredMark = leaseExpired(task, now) ? html` · <span class="warn">lease expired</span>` : '';
  return html`<a class="card s-${task.status}" href="/task/${task.id}" data-id="${task.id}">
<div class="title">#${task.id} ${shown(task.title)}</div>
<div class="detail">${shown(cardDetail(task, now))}${priority}${expiredMark}</div>
${tags.length ? html`<div>${tags}</div>` : ''}
${task.lastCheckpoint ? html`<div class="last">${shown(task.lastCheckpoint.text.split('\n')[0]!)}</div>` : ''}
</a>`;
}

type Label = (value: string) => string;

function filterForm(filters: BoardFilters, tags: string[], authors: string[]): Html {
  const option = (value: string, chosen: string | undefined, label = value) =>
    html`<option value="${value}"${value === (chosen ?? '') ? html` selected` : ''}>${label}</option>`;
  // One select's options: the empty choice (no filter) first, then each value.
  const options = (chosen: string | undefined, anyLabel: string, values: readonly string[], label: Label) => [
    option('', chosen, anyLabel),
    ...values.map((v) => option(v, chosen, label(v))),
  ];
  const statusLabel = (s: string) => s.replace('_', ' ');
  return html`<form class="filters" method="get" action="/">
<label>Author <select name="author">${options(filters.author, 'anyone', authors, shown)}</select></label>
<label>Tag <select name="tag">${options(filters.tag, 'any', tags, shown)}</select></label>
<label>Status <select name="status">${options(filters.status, 'all', BOARD_STATUSES, statusLabel)}</select></label>
<input type="search" name="q" value="${filters.q ?? ''}" placeholder="text or #id" aria-label="Filter text">
${filters.all ? html`<input type="hidden" name="all" value="1">` : ''}<button>Filter</button> <a href="/">clear</a>
</form>`;
}

/** Past the limit: how many cards more, and a link to the whole column. */
function moreCards(column: Column, limit: number, filters: BoardFilters): Html | string {
  if (column.tasks.length <= limit) return '';
  const more = column.tasks.length - limit;
  const wholeColumn = queryString({ ...filters, status: column.status, all: '1' });
  return html`<p class="meta">${more} more: <a href="/${wholeColumn}">show all</a>, or filter</p>`;
}

function distinct(values: string[]): string[] {
  return [...new Set(values)].sort((a, b) => a.localeCompare(b));
}

export function renderBoardPage(tasks: BoardTask[], warnings: string[], filters: BoardFilters, now: Date): string {
  const picked = tasks.filter(
    (t) => (!filters.tag || t.tags.includes(filters.tag)) && (!filters.author || t.author === filters.author),
  );
  const columns = columnsOf(picked, { ...(filters.q ? { text: filters.q } : {}) }).filter(
    (c) => !filters.status || c.status === filters.status,
  );
  const limit = filters.all ? Infinity : CARDS_PER_COLUMN;
  // A shared link may name an author or tag no task has any more: keep it selectable.
  const authors = distinct([
    ...tasks.flatMap((t) => (t.author ? [t.author] : [])),
    ...(filters.author ? [filters.author] : []),
  ]);
  const tags = distinct([...tasks.flatMap((t) => t.tags), ...(filters.tag ? [filters.tag] : [])]);
  const main = html`<h1>Board</h1>
${warnings.map((w) => html`<p class="warn">skipped ${shown(w)}</p>`)}
<div class="board">${columns.map(
    (c) => html`<section class="column" data-status="${c.status}"><h2>${c.title} (${c.tasks.length})</h2>
${c.tasks.length ? c.tasks.slice(0, limit).map((t) => card(t, now)) : html`<p class="empty">none</p>`}
${moreCards(c, limit, filters)}</section>`,
  )}</div>`;
  return page({ title: 'Board', above: filterForm(filters, tags, authors), main });
}
