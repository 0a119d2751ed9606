// The branch's changes (what `hzl changes` reports), search results, and error pages.

import { displayTime } from '../core/time.js';
import { html, shown } from './html.js';
import { page, statusBadge } from './layout.js';
import type { ChangesView, SearchHit } from './source.js';

export function renderChangesPage(view: ChangesView): string {
  const rows = view.tasks.map(
    (t) => html`<section class="card s-${t.status}"><div class="title"><a href="/task/${t.id}">#${t.id}</a> ${shown(t.title)} ${statusBadge(t.status)}${t.created ? ' · new on this branch' : ''}${t.removed ? ' · removed on this branch' : ''}</div>
<ul class="meta">${t.events.map((e) => html`<li><span class="when">${displayTime(e.at)}</span> ${shown(e.author)} · ${e.kind === 'checkpoint' ? 'checkpoint: ' : ''}${shown(e.text.split('\n')[0]!)}</li>`)}</ul></section>`,
  );
  const main = html`<h1>Changes since ${shown(view.base)}</h1>
<p class="meta">merge-base ${view.mergeBase.slice(0, 7)} · committed task files only</p>
${view.warnings.map((w) => html`<p class="warn">${shown(w)}</p>`)}
${rows.length ? rows : html`<p class="empty">No task changes on this branch.</p>`}`;
  const above = html`<form class="filters" method="get" action="/changes"><label>Compare with <input name="base" value="${view.base}"></label><button>Show</button></form>`;
  return page({ title: `Changes since ${shown(view.base)}`, above, main });
}

export function renderSearchPage(query: string, hits: SearchHit[] | undefined, warnings: string[]): string {
  const result = (h: SearchHit) => html`<a class="card s-${h.status}" href="/task/${h.id}"><div class="title">#${h.id} ${shown(h.title)} ${statusBadge(h.status)}</div>
<div class="detail">${h.author ? shown(h.author) : 'unclaimed'} · matched ${h.matched.join(', ')}</div>
${h.checkpoints.slice(-3).map((c) => html`<div class="last">${displayTime(c.at)} ${shown(c.text.split('\n')[0]!)}</div>`)}</a>`;
  const body =
    hits === undefined
      ? html`<p class="empty">Type a word or phrase: titles, descriptions and checkpoints are searched.</p>`
      : hits.length
        ? hits.map(result)
        : html`<p class="empty">No task mentions “${query}”.</p>`;
  const main = html`<h1>${query ? html`Search: ${query}` : 'Search'}</h1>
${warnings.map((w) => html`<p class="warn">skipped ${shown(w)}</p>`)}${body}`;
  return page({ title: query ? `Search: ${query}` : 'Search', main, query });
}

export function renderErrorPage(title: string, message: string, back = '/'): string {
  return page({ title, main: html`<h1>${title}</h1><p class="notice error text">${shown(message, true)}</p><p><a href="${back}">Back</a></p>` });
}
