// The shared shape of every write to one task: validate, lock, re-read, change, write, report.

import type { Task } from '../../core/task.js';
import { ConflictError } from '../../core/errors.js';
import { shellCommand } from '../../core/shell.js';
import { type Lease, displayTime, stampAfter } from '../../core/time.js';
import { type Act, claimOfOther, withHistoryNote } from '../../core/transitions.js';
import { parseTaskId } from '../../core/validate.js';
import { taskJson } from '../../output/json.js';
import type { StoredTask, WriteResult } from '../../store/task-store.js';
import type { RemoteRefs } from '../../git/remote-refs.js';
import { defaultActor, explicitActor, runningPerson } from '../actor.js';
import { commitIfAsked, describeChange } from '../commit-mode.js';
import { type Ctx, type Output, type Workspace, openWorkspace } from '../context.js';
import { type EarlyAnswer, type TakeMode, followClaim, remoteOf } from '../remote-coordination.js';
import { takeBackClaim } from '../remote-takebacks.js';
import { visible } from '../../output/visible.js';
import { type EarlyClaim, earlyFits, startClaim, takeBack } from '../remote-early.js';
import { isOffline, rememberOfflineClaim } from '../offline-work.js';

export interface WriteSpec {
  action: string;
  /** Writes to a claimed task default to its holder as actor; claims do not. */
  actorIsHolder: boolean;
  /** What to learn before the task's lock is taken (other tasks' files: no listing under a lock). */
  prepare?(id: number, ws: Workspace): void;
  /** Checkpoints: the holder comes before config's author (the natural default for a note). */
  holderBeforeConfig?: boolean;
  /** Ends or moves the holder's claim: someone named who does not hold a live claim needs --force. */
  endsClaim?: EndsClaim;
  change(current: StoredTask, act: Act, ws: Workspace): Task;
  message(result: WriteResult): string;
  /** How a claim held in another clone may be taken over (steal); else it is refused. */
  takeMode?: TakeMode;
  /** A claim: the lease it takes, so that the remote claim is pushed while the file is read. */
  claimLease?(ws: Workspace): Lease;
}

export interface EndsClaim {
  /** How the refusal says it: 'complete', 'release', 'hand off', 'archive'. */
  verb: string;
  force: boolean;
  /** The command again, without --author and --force (which the refusal adds). */
  retry: string[];
}

export async function writeTask(ctx: Ctx, idArg: unknown, spec: WriteSpec): Promise<Output> {
  const id = parseTaskId(idArg);
  const ws = openWorkspace(ctx);
  // Named: --author, HZL_AUTHOR, or config's author (which comes after the holder for checkpoints).
  // Asking git for user.name runs a process: when it may be needed (nobody named: as the actor,
  // or to say who ran hzl for the holder), ask before taking the lock, so other writers do not
  // wait on it. (A task that is missing or broken is left for `update` to report.)
  const config = ws.project.config.author;
  const named = explicitActor(ctx) ?? (spec.holderBeforeConfig ? undefined : config);
  const peek = named === undefined ? ws.store.find(id) : undefined;
  const askGit = peek && !(spec.holderBeforeConfig && spec.actorIsHolder && (peek.author || config));
  const person = askGit ? await runningPerson(ws.project, ctx.env) : undefined;
  const remote = remoteOf(ws.project, ctx.env);
  spec.prepare?.(id, ws);
  const claimer = named ?? person;
  const at = ctx.now();
  const early =
    remote && spec.claimLease && claimer !== undefined
      ? startClaim(
          remote,
          ws.project,
          { id, holder: claimer, at, lease_until: claimUntil(spec.claimLease(ws), at) },
          () => holds(ws, id, claimer),
        )
      : undefined;
  let settled = early === undefined;
  const warnings: string[] = [];
  let pushed: { before: Task; after: Task } | undefined;
  try {
    let now = at;
    const change = async (current: StoredTask): Promise<Task> => {
      const before = current.doc.task;
      const holder = spec.actorIsHolder ? before.author : undefined;
      const later = spec.holderBeforeConfig ? config : undefined;
      const actor = named ?? holder ?? later ?? person ?? (await defaultActor(ws.project, ctx.env));
      // With an early claim, its record's time is the write's: file and remote say the same.
      now = early ? at : ctx.now();
      const act = { actor, now };
      // Acting for the holder: History also names who ran hzl (checkpoints stay the holder's).
      const runBy = named === undefined && !spec.holderBeforeConfig && holder && person && person !== holder;
      const note = runBy ? `run by ${person}` : spec.endsClaim && overrideNote(before, act, spec.endsClaim, ctx);
      const changed = spec.change(current, act, ws);
      return note ? withHistoryNote(before, changed, note) : changed;
    };
    // The remote follows once the file's new text is rendered: the rendering overlaps the push.
    const beforeWrite = async (current: StoredTask, task: Task): Promise<void> => {
      const before = current.doc.task;
      const answer = early && (await answerOf(ctx, remote!, ws, early, { before, after: task }));
      settled = true;
      const mode = spec.takeMode ?? 'free';
      const warning = remote && followClaim(remote, ws.project, before, task, mode, now, answer);
      if (remote) pushed = { before, after: task };
      if (isOffline(ws.project, ctx.env)) rememberOfflineClaim(ws.project, ctx.env, before, task);
      if (warning) warnings.push(warning);
    };
    const update = ws.store.update(id, change, beforeWrite);
    const result = await update.catch((err: unknown) => {
      // The remote took the claim, but the file was not written: nobody may keep waiting on it.
      if (remote && pushed) {
        const { before, after } = pushed;
        const undo = () => takeBackClaim(remote, ws.project, before, after);
        warnNow(ctx, quietly(undo));
      }
      throw err;
    });
    return await reported(ctx, ws, spec, result, warnings);
  } finally {
    // Refused here (missing, not claimable, locked) after the remote said yes: no claim stays there.
    if (early && !settled) warnNow(ctx, await takeBack(remote!, ws.project, early));
  }
}

/** Whether the task's file, read before the lock, shows `holder` holding it. */
function holds(ws: Workspace, id: number, holder: string): boolean {
  const task = ws.store.find(id);
  return task !== undefined && (task.status === 'in_progress' || task.status === 'blocked') && task.author === holder;
}

function claimUntil(lease: Lease, at: Date): string {
  return stampAfter(at, lease.ms, 'lease');
}

/** The early claim's answer when the write is that claim; else it is taken back (undefined). */
export async function answerOf(
  ctx: Ctx,
  remote: RemoteRefs,
  ws: Workspace,
  early: EarlyClaim,
  write: { before: Task; after: Task },
): Promise<EarlyAnswer | undefined> {
  if (earlyFits(early, write.before, write.after)) return { oid: early.oid, result: await early.answer };
  warnNow(ctx, await takeBack(remote, ws.project, early));
  return undefined;
}

async function reported(
  ctx: Ctx,
  ws: Workspace,
  spec: WriteSpec,
  result: WriteResult,
  warnings: string[],
): Promise<Output> {
  const committed = result.changed
    ? await commitIfAsked(
        ctx,
        ws.project,
        [result.before.path],
        describeChange(spec.action, result.before.doc.task, result.task, result.before.doc.source.original),
      )
    : { commit: null };
  return {
    kind: 'task',
    json: {
      action: spec.action,
      changed: result.changed,
      task: taskJson(result.before, result.task),
      commit: committed.commit,
    },
    message: [spec.message(result), committed.message].filter(Boolean).join('\n'),
    warnings: [...warnings, ...(committed.warning ? [committed.warning] : [])],
  };
}

/** Taking a claim back is a courtesy on the way out: the write's own error is the one to report. */
function quietly(undo: () => string | undefined): string | undefined {
  try {
    return undo();
  } catch {
    return undefined; // The lease ends it anyway.
  }
}

/** A warning that cannot wait for the command's output: an error follows, or may. */
export function warnNow(ctx: Ctx, warning: string | undefined): void {
  if (warning) ctx.io.stderr.write(`hzl: warning: ${visible(warning)}\n`);
}

/**
 * What History says when `act.actor` ends someone else's claim: whose it was and why that was
 * allowed. A live claim needs --force; without it the write is refused with the command to run.
 */
function overrideNote(task: Task, act: Act, ends: EndsClaim, ctx: Ctx): string | undefined {
  const other = claimOfOther(task, act.actor, act.now);
  if (!other) return undefined;
  if (!other.live) return `claim of ${other.holder}, lease expired`;
  if (ends.force) return `claim of ${other.holder}, --force`;
  const commit = ctx.commit === undefined ? [] : [ctx.commit ? '--commit' : '--no-commit'];
  const retry = shellCommand(['hzl', ...ends.retry, ...commit, '--author', act.actor, '--force']);
  throw new ConflictError(
    `task #${task.id} is claimed by ${other.holder} ` +
      `(lease until ${displayTime(task.lease_until!)}), not by ${act.actor}; ` +
      `to ${ends.verb} it anyway (History will say so), run: ${retry}`,
  );
}
