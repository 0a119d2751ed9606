// `hzl changes` for people: Markdown to paste into a pull request description. A heading per
// task, one list item per event, in time order.

import { type ChangeEvent, type ChangeSummary, type TaskChange, historyDetail } from '../core/changes.js';
import { displayTime } from '../core/time.js';
import { visible } from './visible.js';

export interface ChangesHeader {
  base: string;
  mergeBase: string;
}

const LABEL: Record<ChangeEvent['kind'], string> = {
  created: 'created',
  claimed: 'claimed',
  renewed: 'claim renewed',
  stolen: 'claim taken over',
  checkpoint: 'checkpoint',
  blocked: 'blocked',
  unblocked: 'unblocked',
  handoff: 'handed off',
  released: 'released',
  completed: 'completed',
  reopened: 'reopened',
  archived: 'archived',
  updated: 'updated',
  other: 'noted',
};

export function renderChangesMarkdown(changes: TaskChange[], summary: ChangeSummary, header: ChangesHeader): string {
  const since = `Since \`${visible(header.base)}\` (merge-base \`${header.mergeBase.slice(0, 7)}\`)`;
  const out: string[] = ['## Tasks', '', `${since}: ${summaryLine(summary)}.`];
  for (const change of changes) {
    const who = change.author ? `, ${inline(change.author)}` : '';
    const state = change.removed ? 'removed' : change.status.replace('_', ' ');
    out.push('', `### #${change.id} ${inline(change.title)} (${state}${who})`, '');
    if (change.created && !change.events.some((e) => e.kind === 'created')) out.push('- **created** on this branch');
    if (change.removed) out.push('- **removed** on this branch');
    for (const event of change.events) out.push(renderEvent(event));
  }
  return `${out.join('\n')}\n`;
}

function renderEvent(event: ChangeEvent): string {
  const when = displayTime(event.at);
  if (event.kind === 'checkpoint') {
    const [first, ...rest] = visible(event.text, { multiline: true }).split('\n');
    const more = rest.map((line) => (line === '' ? '' : `  ${line}`));
    return [`- ${when} **checkpoint** by ${inline(event.author)}: ${first ?? ''}`, ...more].join('\n');
  }
  // History lines read `claimed (ready → in_progress, lease 2h)`: keep what follows the verb.
  const rest = inline(historyDetail(event.text));
  const detail = event.kind === 'other' ? `: ${rest}` : rest ? ` ${rest}` : '';
  return `- ${when} **${LABEL[event.kind]}** by ${inline(event.author)}${detail}`;
}

function summaryLine(s: ChangeSummary): string {
  const parts = [
    [s.created, 'created'],
    [s.claimed, 'claimed'],
    [s.checkpoints, s.checkpoints === 1 ? 'checkpoint' : 'checkpoints'],
    [s.handoffs, s.handoffs === 1 ? 'handoff' : 'handoffs'],
    [s.completed, 'completed'],
  ]
    .filter(([n]) => (n as number) > 0)
    .map(([n, what]) => `${n} ${what}`);
  const tasks = `${s.tasks} task${s.tasks === 1 ? '' : 's'} changed`;
  return parts.length ? `${tasks} (${parts.join(', ')})` : tasks;
}

/** Text on one Markdown line: newlines folded, other control characters made visible. */
function inline(text: string): string {
  return visible(text.replace(/\s*\n\s*/g, ' '));
}
