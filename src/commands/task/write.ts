// The shared shape of every write to one task: validate, lock, re-read, change, write, report.

import type { Task } from '../../core/task.js';
import type { Act } from '../../core/transitions.js';
import { parseTaskId } from '../../core/validate.js';
import { taskJson } from '../../output/json.js';
import type { StoredTask, WriteResult } from '../../store/task-store.js';
import { defaultActor, explicitActor, resolveActor } from '../actor.js';
import { commitIfAsked, describeChange } from '../commit-mode.js';
import { type Ctx, type Output, type Workspace, openWorkspace } from '../context.js';
import { type TakeMode, followClaim, remoteOf } from '../remote-coordination.js';
import { isOffline, rememberOfflineClaim } from '../offline-work.js';

export interface WriteSpec {
  action: string;
  /** Writes to a claimed task default to its holder as actor; claims do not. */
  actorIsHolder: boolean;
  change(current: StoredTask, act: Act, ws: Workspace): Task;
  message(result: WriteResult): string;
  /** How a claim held in another clone may be taken over (steal); else it is refused. */
  takeMode?: TakeMode;
}

export async function writeTask(ctx: Ctx, idArg: unknown, spec: WriteSpec): Promise<Output> {
  const id = parseTaskId(idArg);
  const ws = openWorkspace(ctx);
  // Asking git for user.name runs a process: when it may be needed (no --author or HZL_AUTHOR,
  // and no holder when we look), ask before taking the lock, so other writers do not wait on it.
  // (A task that is missing or broken is left for `update` to report.)
  const explicit = explicitActor(ctx);
  const peek = explicit === undefined ? ws.store.find(id) : undefined;
  const fallback = peek && !(spec.actorIsHolder && peek.author) ? await defaultActor(ws.project, ctx.env) : undefined;
  const remote = remoteOf(ws.project, ctx.env);
  const warnings: string[] = [];
  const result = await ws.store.update(id, async (current) => {
    const holder = spec.actorIsHolder ? current.doc.task.author : undefined;
    const actor = explicit ?? holder ?? fallback ?? (await resolveActor(ctx, ws.project, holder));
    const act = { actor, now: ctx.now() };
    const task = spec.change(current, act, ws);
    const warning = remote && followClaim(remote, ws.project, current.doc.task, task, spec.takeMode ?? 'free', act.now);
    if (isOffline(ws.project, ctx.env)) rememberOfflineClaim(ws.project, current.doc.task, task);
    if (warning) warnings.push(warning);
    return task;
  });
  const committed = result.changed
    ? await commitIfAsked(ctx, ws.project, [result.before.path], describeChange(spec.action, result.before.doc.task, result.task, result.before.doc.source.original))
    : { commit: null };
  return {
    kind: 'task',
    json: { action: spec.action, changed: result.changed, task: taskJson(result.before, result.task), commit: committed.commit },
    message: [spec.message(result), committed.message].filter(Boolean).join('\n'),
    warnings: [...warnings, ...(committed.warning ? [committed.warning] : [])],
  };
}
