// Claims pushed for a write that did not happen, and that could not be taken back then (the
// remote went out of reach, or refused the deletion): remembered in <state dir>/remote-takebacks.json
// and said in one line, so that `hzl sync` takes them back later, rather than other clones seeing
// the task claimed until its lease ends.

import { GitError } from '../core/errors.js';
import { displayTime } from '../core/time.js';
import type { RemoteRefs } from '../git/remote-refs.js';
import type { Project } from '../store/project.js';
import { changeStateJson, readStateJson } from '../store/state-file.js';
import type { TaskStore } from '../store/task-store.js';
import type { Task } from '../core/task.js';
import { cacheKey, noteOwnClaim } from './remote-claims-file.js';
import { CLAIMS, holderOf, pushedByUs } from './remote-coordination.js';
import { pushedFor, rememberPushed } from './remote-pushed.js';

export interface LeftClaim {
  id: number;
  /** The record pushed: only that one is taken back, never a claim anyone took since. */
  oid: string;
  holder: string;
  lease_until: string;
}

const FILE = 'remote-takebacks.json';

function readLeft(project: Project): LeftClaim[] {
  const data = readStateJson(project, FILE);
  return Array.isArray(data) ? (data as LeftClaim[]) : [];
}

function changeLeft(project: Project, env: NodeJS.ProcessEnv, change: (left: LeftClaim[]) => LeftClaim[]): void {
  changeStateJson(project, env, FILE, 'the claims to take back', () => change(readLeft(project)));
}

/** Remembers a claim that could not be taken back; the warning to print (the command's error stays its own). */
export function claimLeft(project: Project, remote: RemoteRefs, left: LeftClaim, err: unknown): string {
  try {
    changeLeft(project, remote.env, (all) => [...all.filter((l) => l.id !== left.id || l.oid !== left.oid), left]);
  } catch {
    // Not remembered: the lease still ends it.
  }
  const until = left.lease_until ? ` (${displayTime(left.lease_until)})` : '';
  return (
    `the claim on #${left.id} pushed to '${remote.remote}' could not be taken back (${whyOf(err)}); ` +
    `other clones see it until its lease ends${until}: run 'hzl sync' later to take it back`
  );
}

/**
 * Undoes a claim `followClaim` took for `after` when the local write then failed: the record
 * just pushed is dropped by compare-and-swap, so a claim anyone took since stays. The warning
 * to print when the remote could not be reached for it.
 */
export function takeBackClaim(remote: RemoteRefs, project: Project, before: Task, after: Task): string | undefined {
  const holder = holderOf(after);
  if (!holder || holder === holderOf(before) || !pushedByUs(project, after.id, holder)) return undefined;
  const oid = pushedFor(project, after.id).oid!;
  try {
    remote.drop(`${CLAIMS}${after.id}`, oid);
  } catch (err) {
    if (!(err instanceof GitError)) throw err;
    return claimLeft(project, remote, { id: after.id, oid, holder, lease_until: after.lease_until ?? '' }, err);
  }
  rememberPushed(project, remote.env, after.id, undefined);
  noteOwnClaim(project, remote.env, cacheKey(project, remote, remote.env), after.id, undefined);
  return undefined;
}

/** What git said, without the advice for a write that the take-back is not. */
function whyOf(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return /remote '[^']*' \((.*)\); check the network/.exec(text)?.[1] ?? text;
}

/**
 * For `hzl sync`: takes back every claim remembered, one compare-and-swap each on its own
 * record; what changes it made. One the file here shows held again is simply forgotten.
 */
export function takeBackLeft(remote: RemoteRefs, project: Project, store: TaskStore): string[] {
  const lines: string[] = [];
  for (const left of readLeft(project)) {
    const task = store.find(left.id);
    const heldAgain = task?.author === left.holder && (task.status === 'in_progress' || task.status === 'blocked');
    if (!heldAgain) {
      try {
        if (remote.drop(`${CLAIMS}${left.id}`, left.oid) === 'done') {
          lines.push(`took back the claim on #${left.id} that a refused command left on '${remote.remote}'`);
          forgetOwn(remote, project, left);
        }
      } catch (err) {
        if (err instanceof GitError) continue; // still out of reach: kept for the next sync
        throw err;
      }
    }
    changeLeft(project, remote.env, (all) => all.filter((l) => l.id !== left.id || l.oid !== left.oid));
  }
  return lines;
}

/** This clone's memory of a claim it took back: what it pushed, and the claims cache. */
function forgetOwn(remote: RemoteRefs, project: Project, left: LeftClaim): void {
  if (pushedFor(project, left.id).oid === left.oid) rememberPushed(project, remote.env, left.id, undefined);
  noteOwnClaim(project, remote.env, cacheKey(project, remote, remote.env), left.id, undefined);
}
