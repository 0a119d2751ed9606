// The branch's changes (what `hzl changes` reports), search results, and error pages.

import { displayTime } from '../core/time.js';
import { type Html, html, shown } from './html.js';
import { page, statusBadge } from './layout.js';
import type { ChangedTask, ChangesView, SearchHit } from './source.js';

function changeEvent(e: ChangedTask['events'][number]): Html {
  const kind = e.kind === 'checkpoint' ? 'checkpoint: ' : '';
  const firstLine = shown(e.text.split('\n')[0]!);
  return html`<li><span class="when">${displayTime(e.at)}</span> ${shown(e.author)} · ${kind}${firstLine}</li>`;
}

function changedTask(t: ChangedTask): Html {
  const origin = `${t.created ? ' · new on this branch' : ''}${t.removed ? ' · removed on this branch' : ''}`;
  const title = html`<a href="/task/${t.id}">#${t.id}</a> ${shown(t.title)} ${statusBadge(t.status)}${origin}`;
  return html`<section class="card s-${t.status}"><div class="title">${title}</div>
<ul class="meta">${t.events.map(changeEvent)}</ul></section>`;
}

export function renderChangesPage(view: ChangesView): string {
  const rows = view.tasks.map(changedTask);
  const main = html`<h1>Changes since ${shown(view.base)}</h1>
<p class="meta">merge-base ${view.mergeBase.slice(0, 7)} · committed task files only</p>
${view.warnings.map((w) => html`<p class="warn">${shown(w)}</p>`)}
${rows.length ? rows : html`<p class="empty">No task changes on this branch.</p>`}`;
  const baseField = html`<label>Compare with <input name="base" value="${view.base}"></label>`;
  const above = html`<form class="filters" method="get" action="/changes">${baseField}<button>Show</button></form>`;
  return page({ title: `Changes since ${shown(view.base)}`, above, main });
}

function searchResult(h: SearchHit): Html {
  const title = html`#${h.id} ${shown(h.title)} ${statusBadge(h.status)}`;
  const checkpoints = h.checkpoints
    .slice(-3)
    .map((c) => html`<div class="last">${displayTime(c.at)} ${shown(c.text.split('\n')[0]!)}</div>`);
  return html`<a class="card s-${h.status}" href="/task/${h.id}"><div class="title">${title}</div>
<div class="detail">${h.author ? shown(h.author) : 'unclaimed'} · matched ${h.matched.join(', ')}</div>
${checkpoints}</a>`;
}

export function renderSearchPage(query: string, hits: SearchHit[] | undefined, warnings: string[]): string {
  const body =
    hits === undefined
      ? html`<p class="empty">Type a word or phrase: titles, descriptions and checkpoints are searched.</p>`
      : hits.length
        ? hits.map(searchResult)
        : html`<p class="empty">No task mentions “${query}”.</p>`;
  const main = html`<h1>${query ? html`Search: ${query}` : 'Search'}</h1>
${warnings.map((w) => html`<p class="warn">skipped ${shown(w)}</p>`)}${body}`;
  return page({ title: query ? `Search: ${query}` : 'Search', main, query });
}

export function renderErrorPage(title: string, message: string, back = '/'): string {
  const said = html`<p class="notice error text">${shown(message, true)}</p>`;
  const backLink = html`<p><a href="${back}">Back</a></p>`;
  return page({ title, main: html`<h1>${title}</h1>${said}${backLink}` });
}
