// `hzl prime --stop-hook`: what an agent's stop hook runs (Claude Code's Stop, Cursor's stop,
// Gemini CLI's AfterAgent). When the agent holds a task and
// there is work since that task's last checkpoint (commits since, or files changed since), it
// asks the agent once to checkpoint before it stops; otherwise it says nothing.

import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Task } from '../core/task.js';
import { claimedSince } from '../core/transitions.js';
import { workSince } from '../git/work.js';
import type { Ctx, Workspace } from './context.js';
import { type HookAgent, askedAlready } from './hook-answers.js';

/** The moment the agent last told the ledger where it stands: its newest checkpoint, or the claim. */
function lastWordAt(task: Task): string {
  const claimed = claimedSince(task);
  const checkpoint = task.checkpoints.at(-1)?.at;
  return checkpoint && checkpoint > claimed ? checkpoint : claimed;
}

/** Files changed since `since`: committed after it, or modified after it and not committed. */
async function workAfter(ctx: Ctx, since: string): Promise<string[]> {
  const state = await workSince(ctx.dir, ctx.env, since);
  if (!state) return [];
  const after = Date.parse(since) + 1000; // whole seconds: the checkpoint's own second is before it
  const touched = state.uncommitted.filter((f) => {
    try {
      return statSync(join(state.root, f)).mtimeMs >= after;
    } catch {
      return false; // deleted: when is not known
    }
  });
  return [...new Set([...state.committed, ...touched])];
}

/** The reminder for an agent's stop hook, or undefined when there is nothing to record. */
export async function stopReminder(
  ctx: Ctx,
  ws: Workspace,
  author: string | undefined,
  agent: HookAgent,
): Promise<string | undefined> {
  if (author === undefined || askedAlready(agent, await ctx.io.readStdin())) return undefined;
  const held = ws.store.summaries().tasks.filter((t) => t.author === author && t.status === 'in_progress');
  const pending: string[] = [];
  for (const summary of held) {
    const task = ws.store.read(summary.id).doc.task;
    const files = await workAfter(ctx, lastWordAt(task));
    if (files.length)
      pending.push(
        `#${task.id} (${files.length} file${files.length > 1 ? 's' : ''} changed since its last checkpoint)`,
      );
  }
  if (pending.length === 0) return undefined;
  const first = pending[0]!.split(' ')[0]!.slice(1);
  return (
    `hzl: you hold ${pending.join(', ')}. Before stopping, record where it stands: ` +
    `hzl task checkpoint ${first} --files "done; next; decisions", ` +
    `or finish it (hzl task complete ${first}) or hand it off (hzl task handoff ${first} "…").`
  );
}
