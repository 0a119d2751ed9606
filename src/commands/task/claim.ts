import { ConflictError, UsageError } from '../../core/errors.js';
import type { RemoteRefs } from '../../git/remote-refs.js';
import type { Project } from '../../store/project.js';
import { type EarlyAnswer, followClaim, heldElsewhere, remoteOf } from '../remote-coordination.js';
import { startClaim, takeBack } from '../remote-early.js';
import { takeBackClaim } from '../remote-takebacks.js';
import { isOffline, rememberOfflineClaim } from '../offline-work.js';
import { nextCandidates } from '../../core/query.js';
import type { Status, Task } from '../../core/task.js';
import { displayTime, leaseFrom, parseDuration, stampAfter } from '../../core/time.js';
import { claim } from '../../core/transitions.js';
import { parseTaskId } from '../../core/validate.js';
import { taskJson } from '../../output/json.js';
import type { TaskStore } from '../../store/task-store.js';
import { resolveActor } from '../actor.js';
import { commitIfAsked, describeChange } from '../commit-mode.js';
import { type Ctx, type Output, openWorkspace } from '../context.js';
import { defineCommand } from '../spec.js';
import { answerOf, warnNow, writeTask } from './write.js';
import { unreadableTasks, unreadableWarning } from '../../output/unreadable.js';

interface Args {
  id?: string;
  next?: boolean;
  tag?: string;
  parent?: string;
  lease?: string;
  force?: boolean;
}

export function unfinishedDependencies(
  store: TaskStore,
  task: Task,
): Array<{ id: number; status: Status | 'missing' }> {
  const unfinished: Array<{ id: number; status: Status | 'missing' }> = [];
  for (const dep of task.depends_on) {
    const status = store.find(dep)?.status;
    if (status !== 'done') unfinished.push({ id: dep, status: status ?? 'missing' });
  }
  return unfinished;
}

const claimedMessage = (task: Task) =>
  `Claimed #${task.id} for ${task.author}${task.lease_until ? `, lease until ${displayTime(task.lease_until)}` : ''}`;

function takeBackQuietly(ctx: Ctx, undo: () => string | undefined): void {
  try {
    warnNow(ctx, undo());
  } catch {
    // The write's own error is the one to report; the lease ends the claim anyway.
  }
}

/** Someone else got there first: try the next candidate. */
class TakenMeanwhile extends Error {}

/** A candidate claimed in another clone is taken meanwhile, too. */
function takeNextOnRemote(
  remote: RemoteRefs,
  project: Project,
  task: Task,
  claimed: Task,
  now: Date,
  early?: EarlyAnswer,
): void {
  try {
    followClaim(remote, project, task, claimed, 'free', now, early);
  } catch (err) {
    if (err instanceof ConflictError) throw new TakenMeanwhile();
    throw err;
  }
}

async function claimNext(args: Args, ctx: Ctx): Promise<Output> {
  const ws = openWorkspace(ctx);
  const actor = await resolveActor(ctx, ws.project);
  const lease = leaseFrom(args.lease, ws.project.config.lease);
  const { tasks, problems } = ws.store.summaries();
  // A task whose file cannot be read may be the one to take: say so, never skip it silently.
  const unreadable = unreadableTasks(problems);
  const unreadableWarnings = unreadable.map(unreadableWarning);
  const remote = remoteOf(ws.project, ctx.env);
  const candidates = nextCandidates(tasks, {
    author: actor,
    ...(args.tag !== undefined ? { tag: String(args.tag) } : {}),
    ...(args.parent !== undefined ? { parent: parseTaskId(args.parent) } : {}),
  });
  // Claims held in other clones are skipped at once rather than lost one race at a time.
  const elsewhere = remote ? heldElsewhere(remote, ws.project, ctx.now()) : undefined;
  for (const candidate of candidates) {
    if (elsewhere?.has(candidate.id)) continue;
    const at = ctx.now();
    // The claim's creation is pushed while the task's file is read and checked under its lock, as
    // for 'task claim N'; refused here, it is taken back.
    const lease_until = stampAfter(at, lease.ms, 'lease');
    const early = remote
      ? startClaim(remote, ws.project, { id: candidate.id, holder: actor, at, lease_until }, () => false)
      : undefined;
    let settled = early === undefined;
    let pushed: { task: Task; claimed: Task } | undefined;
    try {
      const update = ws.store.update(
        candidate.id,
        ({ doc }) => {
          const task = doc.task;
          // Re-checked under the lock: another agent may have claimed it since we listed.
          if (task.status !== 'ready' || task.author || unfinishedDependencies(ws.store, task).length)
            throw new TakenMeanwhile();
          // With an early claim, its record's time is the write's: file and remote say the same.
          const claimed = claim(task, { actor, now: early ? at : ctx.now(), lease, unfinished: [] });
          if (!remote && isOffline(ws.project, ctx.env)) rememberOfflineClaim(ws.project, ctx.env, task, claimed);
          return claimed;
        },
        remote &&
          (async (current, claimed) => {
            const task = current.doc.task;
            const answer = early && (await answerOf(ctx, remote, ws, early, { before: task, after: claimed }));
            settled = true;
            takeNextOnRemote(remote, ws.project, task, claimed, early ? at : ctx.now(), answer);
            pushed = { task, claimed };
          }),
      );
      const result = await update.catch((err: unknown) => {
        // Taken on the remote, but the file was not written: give the claim back before failing.
        if (remote && pushed)
          takeBackQuietly(ctx, () => takeBackClaim(remote, ws.project, pushed!.task, pushed!.claimed));
        throw err;
      });
      const change = describeChange('claim', result.before.doc.task, result.task, result.before.doc.source.original);
      const committed = await commitIfAsked(ctx, ws.project, [result.before.path], change);
      return {
        kind: 'task',
        json: {
          action: 'claim',
          changed: true,
          task: taskJson(result.before, result.task),
          commit: committed.commit,
          problems: unreadable,
        },
        message: [claimedMessage(result.task), committed.message].filter(Boolean).join('\n'),
        warnings: [...unreadableWarnings, ...(committed.warning ? [committed.warning] : [])],
      };
    } catch (err) {
      if (!(err instanceof TakenMeanwhile)) throw err;
    } finally {
      // Refused here (taken meanwhile, or the write failed before the remote was asked): no claim stays there.
      if (early && !settled) warnNow(ctx, await takeBack(remote!, ws.project, early));
    }
  }
  return {
    kind: 'task',
    json: { action: 'claim', changed: false, task: null, problems: unreadable },
    message: 'Nothing available to claim: every ready task is claimed, waiting on a dependency, or filtered out',
    warnings: unreadableWarnings,
  };
}

export const claimCommand = defineCommand<Args>({
  command: 'claim [id]',
  describe: 'Take a task (or the best available with --next): it becomes in_progress and yours',
  positionals: { id: 'task id, like 1 or #1' },
  options: {
    next: { type: 'boolean', describe: 'take the best available task: handed to you, then priority, then oldest' },
    tag: { type: 'string', describe: 'with --next: only tasks with this tag' },
    parent: { type: 'string', describe: 'with --next: only subtasks of this task' },
    lease: { type: 'string', describe: 'how long the claim lasts: 90s, 30m, 2h, 1d (default from config)' },
    force: { type: 'boolean', describe: 'claim even though dependencies are unfinished' },
  },
  examples: [
    ['$0 task claim 1 --author claude-code', 'claim task 1 for claude-code'],
    ['$0 task claim --next --author claude-code --tag backend', 'take the most urgent available backend task'],
  ],
  run: (args, ctx) => {
    if (args.lease !== undefined) parseDuration(args.lease, 'lease'); // refuse a bad --lease before any read
    if (args.next) {
      if (args.id !== undefined) throw new UsageError('pass either a task id or --next, not both');
      return claimNext(args, ctx);
    }
    if (args.id === undefined)
      throw new UsageError('name the task to claim (hzl task claim 1), or pass --next for the best available');
    if (args.tag !== undefined || args.parent !== undefined)
      throw new UsageError('--tag and --parent choose a task for --next; drop them or add --next');
    return writeTask(ctx, args.id, {
      action: 'claim',
      actorIsHolder: false,
      change: ({ doc }, act, ws) => {
        return claim(doc.task, {
          ...act,
          lease: leaseFrom(args.lease, ws.project.config.lease),
          unfinished: unfinishedDependencies(ws.store, doc.task),
          force: args.force === true,
        });
      },
      message: ({ task }) => claimedMessage(task),
      claimLease: (ws) => leaseFrom(args.lease, ws.project.config.lease),
    });
  },
});
