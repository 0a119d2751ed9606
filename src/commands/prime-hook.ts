// `hzl prime --hook`: what a session-start hook puts into an agent's context. Short and bounded
// (at most HOOK_BUDGET characters, about 1,000 tokens, however many tasks): the three commands
// of the workflow with the agent's name quoted for a shell, then the tasks it holds or that were
// handed to it, each with its newest checkpoint and handoff note, cut to a line.

import { shellWord } from '../core/shell.js';
import type { Entry } from '../core/task.js';
import { displayTime } from '../core/time.js';
import { visible } from '../output/visible.js';
import type { TaskSummary } from '../store/summary-index.js';
import type { ClaimSeen } from './remote-coordination.js';

export const HOOK_BUDGET = 4000;
/** What the line of claims in other clones may take of it. */
const ELSEWHERE_BUDGET = 600;

/** One entry on one line: its time, its first line, cut at `max` characters. */
function oneLine(entry: Entry, max: number): string {
  const first = entry.text.split('\n')[0]!;
  const cut = first.length > max ? `${first.slice(0, max - 1)}…` : first;
  return `[${displayTime(entry.at)}] ${visible(entry.author)}: ${visible(cut)}`;
}

function taskLines(task: TaskSummary, author: string): string[] {
  const handed = task.handoff_to === author && task.status === 'ready';
  const title = task.title.length > 100 ? `${task.title.slice(0, 99)}…` : task.title;
  const lines = [`- #${task.id} ${visible(title)} (${task.status}${handed ? ', handed to you: claim it' : ''})`];
  const handoff = task.lastHandoff;
  const newest = task.lastCheckpoint;
  if (newest && newest !== handoff && newest.at !== handoff?.at) lines.push(`  newest: ${oneLine(newest, 200)}`);
  if (handoff) lines.push(`  handoff: ${oneLine(handoff, 300)}`);
  if (!newest) lines.push('  (no checkpoint yet)');
  return lines;
}

function header(author: string | undefined): string[] {
  const you = author === undefined ? 'NAME' : shellWord(author);
  return [
    "hzl tracks this repository's tasks in .hzl/tasks. Your checkpoints are what the next session starts from.",
    `Resume: hzl task show N. Take work: hzl task claim --next --author ${you}.`,
    'Record progress: hzl task checkpoint N "done; next; decisions; files". Finish: hzl task complete N. ' +
      'Stop early: hzl task handoff N "…".',
    ...(author === undefined
      ? ['Set HZL_AUTHOR (or pass --author NAME) so that hzl knows which tasks are yours.']
      : []),
  ];
}

/** Tasks claimed in other clones, on one bounded line: who holds each, and the lease. */
function claimedElsewhereLine(claims: ClaimSeen[]): string {
  const parts: string[] = [];
  let used = 0;
  for (const [i, c] of claims.entries()) {
    const lease = c.lease_until ? ` (lease ${c.expired ? 'expired' : 'until'} ${displayTime(c.lease_until)})` : '';
    const part = `#${c.id} by ${visible(c.author.length > 40 ? `${c.author.slice(0, 39)}…` : c.author)}${lease}`;
    if (used + part.length > ELSEWHERE_BUDGET) {
      parts.push(`… and ${claims.length - i} more: hzl task list`);
      break;
    }
    parts.push(part);
    used += part.length + 2;
  }
  return `Claimed in other clones: ${parts.join('; ')}`;
}

/** The hook's text, never longer than HOOK_BUDGET characters. */
export function renderHook(
  author: string | undefined,
  mine: TaskSummary[],
  available: number,
  elsewhere: ClaimSeen[] = [],
): string {
  const lines = header(author);
  if (author !== undefined) {
    lines.push(
      '',
      mine.length ? `Your open tasks (${visible(author)}):` : `You hold no task. ${available} ready to claim.`,
    );
    if (elsewhere.length) lines.splice(lines.length - 1, 0, claimedElsewhereLine(elsewhere));
    let used = lines.join('\n').length;
    for (const [i, task] of mine.entries()) {
      const block = taskLines(task, author).join('\n');
      const rest = `… and ${mine.length - i} more: hzl task list --author ${shellWord(author)}`;
      if (used + block.length + rest.length + 2 > HOOK_BUDGET) {
        lines.push(rest);
        break;
      }
      lines.push(block);
      used += block.length + 1;
    }
  }
  return `${lines.join('\n')}\n`;
}
