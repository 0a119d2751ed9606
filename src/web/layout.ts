// The frame around every page: header with navigation and search, the live part, and what
// follows it (forms, which live updates leave alone).

import { type Html, html } from './html.js';

export interface PageFrame {
  title: string;
  above?: Html; // filters: kept as the user left them
  main: Html; // replaced by live updates
  below?: Html; // forms and notes, kept as the user left them
  notice?: { text: string; error?: boolean };
  query?: string; // the search box's text
}

export function page({ title, above, main, below, notice, query = '' }: PageFrame): string {
  return `<!doctype html>\n${html`<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · hzl</title>
<link rel="stylesheet" href="/assets/style.css">
<script src="/assets/app.js" defer></script>
</head><body>
<header><a class="brand" href="/">hzl</a>
<nav><a href="/">Board</a><a href="/changes">Changes</a><a href="/search">Search</a></nav>
<span class="live"></span>
<form action="/search" method="get" role="search">${searchBox(query)}<button class="quiet">Search</button></form>
</header>
${notice ? noticeBox(notice) : ''}
${above ? html`<div class="below">${above}</div>` : ''}
<main id="live">${main}</main>
${below ? html`<div class="below">${below}</div>` : ''}
</body></html>`}\n`;
}

function searchBox(query: string): Html {
  return html`<input type="search" name="q" value="${query}" placeholder="Search tasks" aria-label="Search tasks">`;
}

function noticeBox(notice: NonNullable<PageFrame['notice']>): Html {
  const kind = notice.error ? ' error' : '';
  return html`<div class="below"><p class="notice${kind}" role="status">${notice.text}</p></div>`;
}

export function statusBadge(status: string): Html {
  return html`<span class="status ${status}">${status.replace('_', ' ')}</span>`;
}

/** `?a=1&b=2` from the filters that are set. */
export function queryString(params: Record<string, string | undefined>): string {
  const set = Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '');
  return set.length ? `?${new URLSearchParams(set).toString()}` : '';
}
