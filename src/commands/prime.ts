// `hzl prime`: what an agent should read at the start of a session: the workflow, then the
// tasks it holds (or that were handed to it) with their newest checkpoint.

import { HzlError } from '../core/errors.js';
import { nextCandidates } from '../core/query.js';
import { shellWord } from '../core/shell.js';
import { displayTime } from '../core/time.js';
import type { TaskSummary } from '../store/summary-index.js';
import { AGENT_GUIDE } from '../format/templates.js';
import { summaryJson } from '../output/json.js';
import { unreadableLine, unreadableTasks, unreadableWarning } from '../output/unreadable.js';
import { visible } from '../output/visible.js';
import { resolveActor } from './actor.js';
import { openWorkspace } from './context.js';
import { renderHook } from './prime-hook.js';
import { stopReminder } from './prime-stop.js';
import { HOOK_AGENTS, type HookAgent, startAnswer, stopAnswer } from './hook-answers.js';
import { defineCommand } from './spec.js';

function lastWord(task: TaskSummary): string {
  const note = task.lastHandoff ?? task.lastCheckpoint;
  if (!note) return '(no checkpoint yet)';
  const first = note.text.split('\n')[0]!;
  return `[${displayTime(note.at)}] ${visible(first.length > 160 ? `${first.slice(0, 157)}…` : first)}`;
}

export const primeCommand = defineCommand<{ hook?: boolean; stopHook?: boolean; agent?: string }>({
  command: 'prime',
  describe: 'Print a short guide for an agent starting a session, with its open tasks',
  options: {
    hook: {
      type: 'boolean',
      describe: 'the bounded text a session-start hook injects (nothing outside an hzl project)',
    },
    'stop-hook': {
      type: 'boolean',
      describe: 'for a stop hook: ask for a checkpoint when a held task has work since its last one',
    },
    agent: {
      type: 'string',
      choices: HOOK_AGENTS,
      describe: 'whose hook reads the answer: claude (plain text; the default), cursor or gemini (JSON)',
    },
  },
  examples: [
    ['HZL_AUTHOR=claude-code $0 prime', 'at the start of every session'],
    ['$0 prime --json', 'the same as data'],
    ['$0 prime --hook', 'what `hzl setup claude` runs at session start and after compaction'],
    ['$0 prime --hook --agent gemini', "the same as Gemini CLI's SessionStart hook reads it"],
  ],
  run: async (args, ctx) => {
    const agent = (args.agent ?? 'claude') as HookAgent;
    let ws: ReturnType<typeof openWorkspace>;
    try {
      ws = openWorkspace(ctx);
    } catch (err) {
      // A hook runs in every session, hzl project or not: outside one it adds nothing.
      if ((args.hook || args.stopHook) && err instanceof HzlError && err.message.startsWith('not an hzl project')) {
        const text = args.stopHook ? stopAnswer(agent, undefined) : startAnswer(agent, undefined);
        return { kind: 'prime', json: { author: null, tasks: [] }, ...(text ? { text } : {}) };
      }
      throw err;
    }
    let author: string | undefined;
    try {
      author = await resolveActor(ctx, ws.project);
    } catch (err) {
      if (!(err instanceof HzlError)) throw err;
    }
    if (args.stopHook) {
      const reminder = await stopReminder(ctx, ws, author, agent);
      const text = stopAnswer(agent, reminder);
      return { kind: 'prime-stop', json: { reminder: reminder ?? null }, ...(text ? { text } : {}) };
    }
    const { tasks, problems } = ws.store.summaries({ notes: true });
    const unreadable = unreadableTasks(problems);
    const mine = tasks.filter(
      (task) =>
        author !== undefined &&
        ((task.author === author && (task.status === 'in_progress' || task.status === 'blocked')) ||
          (task.handoff_to === author && task.status === 'ready')),
    );
    if (args.hook) {
      const available = author === undefined ? 0 : nextCandidates(tasks, { author }).length;
      const text = startAnswer(agent, renderHook(author, mine, available));
      return { kind: 'prime', json: { author: author ?? null, tasks: mine.map(summaryJson) }, text };
    }
    const you = author ?? '<you>';
    // The name goes into commands to paste: quoted for a shell (`--author 'Alice Dev'`).
    const lines = [
      AGENT_GUIDE.replaceAll('<you>', author === undefined ? you : shellWord(author)),
      `## Your open tasks (${you})`,
      '',
    ];
    if (!author) lines.push('Set HZL_AUTHOR (or pass --author) to see the tasks you hold.');
    else if (mine.length === 0) lines.push("None. Take one with 'hzl task claim --next'.");
    for (const t of mine) {
      const handed = t.handoff_to === author && t.status === 'ready' ? ', handed to you' : '';
      lines.push(`- #${t.id} ${visible(t.title)} (${t.status}${handed})`, `  ${lastWord(t)}`);
    }
    // Anyone's task may be behind a file that cannot be read: listed, so that it is not lost.
    if (unreadable.length)
      lines.push('', '## Unreadable task files', '', ...unreadable.map((u) => `- ${unreadableLine(u)}`));
    return {
      kind: 'prime',
      json: { author: author ?? null, guide: AGENT_GUIDE, tasks: mine.map(summaryJson), problems: unreadable },
      text: `${lines.join('\n')}\n`,
      warnings: unreadable.map(unreadableWarning),
    };
  },
});
