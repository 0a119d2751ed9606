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
import { type TeamView, teamView } from './remote-claims-cache.js';
import { remoteOf } from './remote-coordination.js';
import type { Project } from '../store/project.js';

function lastWord(task: TaskSummary): string {
  const note = task.lastHandoff ?? task.lastCheckpoint;
  if (!note) return '(no checkpoint yet)';
  const first = note.text.split('\n')[0]!;
  return `[${displayTime(note.at)}] ${visible(first.length > 160 ? `${first.slice(0, 157)}…` : first)}`;
}

/** A task claimed in another clone: who, where, and the lease. */
function elsewhereLine(team: TeamView<TaskSummary>, task: TaskSummary): string {
  const claim = team.elsewhere.get(task.id)!;
  const lease = claim.lease_until
    ? `, lease ${claim.expired ? 'expired' : 'until'} ${displayTime(claim.lease_until)}`
    : '';
  const holder = `${visible(claim.author)} in ${visible(claim.clone)}`;
  return `- #${task.id} ${visible(task.title)} (${task.status}: ${holder}${lease})`;
}

/** With a remote: `claimed_elsewhere`, each task as the team sees it with its `remote_claim`. */
function claimedElsewhereJson(
  project: Project,
  env: NodeJS.ProcessEnv,
  team: TeamView<TaskSummary>,
  tasks: TaskSummary[],
) {
  if (!remoteOf(project, env)) return {};
  return { claimed_elsewhere: tasks.map((t) => ({ ...summaryJson(t), remote_claim: team.elsewhere.get(t.id) })) };
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
    const listed = ws.store.summaries({ notes: true });
    const unreadable = unreadableTasks(listed.problems);
    // As `list` shows them: a claim held in another clone (from the cached claims) is not ours.
    const team = teamView(ws.project, ctx.env, ctx.now(), listed.tasks);
    const tasks = team.tasks;
    const elsewhere = tasks.filter((task) => team.elsewhere.has(task.id));
    const mine = tasks.filter(
      (task) =>
        author !== undefined &&
        !team.elsewhere.has(task.id) &&
        ((task.author === author && (task.status === 'in_progress' || task.status === 'blocked')) ||
          (task.handoff_to === author && task.status === 'ready')),
    );
    const claims = elsewhere.map((task) => team.elsewhere.get(task.id)!);
    if (args.hook) {
      const available = author === undefined ? 0 : nextCandidates(tasks, { author }).length;
      const text = startAnswer(agent, renderHook(author, mine, available, claims));
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
    if (elsewhere.length)
      lines.push('', '## Claimed in other clones', '', ...elsewhere.map((t) => elsewhereLine(team, t)));
    // Anyone's task may be behind a file that cannot be read: listed, so that it is not lost.
    if (unreadable.length)
      lines.push('', '## Unreadable task files', '', ...unreadable.map((u) => `- ${unreadableLine(u)}`));
    const json = { author: author ?? null, guide: AGENT_GUIDE, tasks: mine.map(summaryJson), problems: unreadable };
    return {
      kind: 'prime',
      json: { ...json, ...claimedElsewhereJson(ws.project, ctx.env, team, elsewhere) },
      text: `${lines.join('\n')}\n`,
      warnings: [...(team.warning ? [team.warning] : []), ...unreadable.map(unreadableWarning)],
    };
  },
});
