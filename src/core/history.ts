// A History line as a typed event: what happened (`kind`), who (`actor`), when (`at`), and the
// rest of the line (`details`). The file keeps the line's text as written (format/sections.ts
// reads and writes `- [at] author: text`); this is the one place that turns that text into an
// event and an event into that text. Text that starts with no known verb is an `other` event
// whose details are the whole text, so hand-written lines read as they always did.

import type { Entry } from './task.js';

/** The verb each kind of line starts with, as hzl has always written it. */
const VERBS = {
  created: 'created',
  claimed: 'claimed',
  renewed: 'claim renewed',
  stolen: 'stole claim',
  handoff: 'handed off',
  completed: 'completed',
  released: 'released',
  unblocked: 'unblocked',
  blocked: 'blocked',
  reopened: 'reopened',
  archived: 'archived',
  updated: 'updated',
  renumbered: 'renumbered',
  cleared: 'cleared',
  merged: 'merge kept',
} as const;

export type HistoryKind = keyof typeof VERBS | 'other';

export interface HistoryEvent {
  at: string;
  actor: string;
  kind: HistoryKind;
  /** What follows the verb (`(ready → in_progress, lease 2h)`), or the whole text of an `other` line. */
  details: string;
}

// Longest verb first, so that no verb is taken for a shorter one it starts with.
const MATCHERS = (Object.entries(VERBS) as Array<[keyof typeof VERBS, string]>)
  .sort((a, b) => b[1].length - a[1].length)
  .map(([kind, verb]) => ({ kind, verb, re: new RegExp(`^${verb}\\b\\s*`) }));

/** The kind and details of a line's text. Whatever follows the verb stays in the details. */
export function parseHistoryText(text: string): { kind: HistoryKind; details: string } {
  for (const m of MATCHERS) {
    const found = m.re.exec(text);
    if (found) return { kind: m.kind, details: text.slice(found[0].length) };
  }
  return { kind: 'other', details: text };
}

/** The text of a line: the verb, a space, the details (an `other` line is its details). */
export function renderHistoryText(kind: HistoryKind, details: string): string {
  if (kind === 'other') return details;
  return details ? `${VERBS[kind]} ${details}` : VERBS[kind];
}

export function historyEvent(entry: Entry): HistoryEvent {
  return { at: entry.at, actor: entry.author, ...parseHistoryText(entry.text) };
}

export function historyEntry(event: HistoryEvent): Entry {
  return { at: event.at, author: event.actor, text: renderHistoryText(event.kind, event.details) };
}

/** Kinds that give the task to their actor: a claim, its renewal, a takeover. */
export const TAKES_CLAIM: ReadonlySet<HistoryKind> = new Set(['claimed', 'renewed', 'stolen']);

/** Kinds after which no one holds the task. */
export const ENDS_CLAIM: ReadonlySet<HistoryKind> = new Set([
  'released',
  'handoff',
  'completed',
  'reopened',
  'archived',
]);

/** The lease length a line names at its end (`… lease 2h)`), as a claim writes it. */
export function leaseNamed(event: HistoryEvent): string | undefined {
  return /\blease (\d+[smhd])\)$/.exec(event.details)?.[1];
}
