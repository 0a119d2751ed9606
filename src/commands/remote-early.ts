// Pushes started before the local work they guard, so that the network and the local reading
// run at once: a claim's creation before the task's file is read, an id's reservation before the
// ids seen in history are. Nothing is written locally before the remote answered yes; what was
// pushed for a write that then did not happen is taken back by compare-and-swap on its record.

import type { RemoteRefs, SwapResult } from '../git/remote-refs.js';
import type { Task } from '../core/task.js';
import { toStamp } from '../core/time.js';
import type { Project } from '../store/project.js';
import { claimLeft } from './remote-takebacks.js';
import { CLAIMS, IDS, cloneName, holderOf, idRecord, pushedByUs, reserveId } from './remote-coordination.js';

/**
 * A claim's creation pushed before the task's file is read: its record follows from the command
 * line (who, when, the lease, this clone), so the push runs while the file is read and checked,
 * and the file is written only once the remote said yes. None for a renewal (the holder claims
 * again): one swap on the record this clone pushed, as ever.
 */
export interface EarlyClaim {
  id: number;
  holder: string;
  lease_until: string;
  oid: string;
  answer: Promise<SwapResult>;
}

export function startClaim(
  remote: RemoteRefs,
  project: Project,
  claim: { id: number; holder: string; at: Date; lease_until: string },
  holdsIt: () => boolean,
): EarlyClaim | undefined {
  const { id, holder, at, lease_until } = claim;
  // A record of ours is there and the file says so: a renewal, whose one swap needs no early push.
  if (pushedByUs(project, id, holder) && holdsIt()) return undefined;
  const fields = { author: holder, since: toStamp(at), lease_until, clone: cloneName(project) };
  const oid = remote.record(`hzl claim #${id}`, fields);
  const answer = remote.swapLater(`${CLAIMS}${id}`, oid, '');
  answer.catch(() => undefined); // awaited later; no unhandled rejection meanwhile
  return { id, holder, lease_until, oid, answer };
}

/** Whether the write turned out to be the claim that was pushed early. */
export function earlyFits(early: EarlyClaim, before: Task, after: Task): boolean {
  const holder = holderOf(after);
  return holder === early.holder && holderOf(before) !== holder && after.lease_until === early.lease_until;
}

/**
 * Takes back a claim pushed early for a write that was refused here: deleted by compare-and-swap
 * on the record pushed, so a claim someone took meanwhile is left alone. When it was created but
 * could not be deleted (the remote went out of reach, or refused), the warning to print.
 */
export async function takeBack(remote: RemoteRefs, project: Project, early: EarlyClaim): Promise<string | undefined> {
  const answer = await early.answer.catch(() => 'lost' as const);
  if (answer !== 'done') return undefined;
  try {
    remote.drop(`${CLAIMS}${early.id}`, early.oid);
    return undefined;
  } catch (err) {
    const { id, oid, holder, lease_until } = early;
    return claimLeft(project, remote, { id, oid, holder, lease_until }, err);
  }
}

/** An id's reservation pushed before the ids seen in history are read (see reserveIdAfter). */
export interface EarlyId {
  id: number;
  record: string;
  answer: Promise<SwapResult>;
}

export function startIdReservation(remote: RemoteRefs, project: Project, candidate: number, at: Date): EarlyId {
  const record = idRecord(remote, project, at);
  const answer = remote.swapLater(`${IDS}${candidate}`, record, '');
  answer.catch(() => undefined); // awaited later; no unhandled rejection meanwhile
  return { id: candidate, record, answer };
}

/**
 * The id to create, as reserveId gives it, starting from the early push when it was for
 * `candidate`; an early push of another id (history had a higher one) is taken back first.
 */
export async function reserveIdAfter(
  remote: RemoteRefs,
  project: Project,
  candidate: number,
  at: Date,
  early: EarlyId,
): Promise<number> {
  if (early.id !== candidate) {
    await takeBackId(remote, early);
    return reserveId(remote, project, candidate, at);
  }
  return reserveId(remote, project, candidate, at, { record: early.record, result: await early.answer });
}

/** Takes back an early reservation of an id that will not be created here: best effort. */
export async function takeBackId(remote: RemoteRefs, early: EarlyId): Promise<void> {
  if ((await early.answer.catch(() => 'lost' as const)) !== 'done') return;
  try {
    remote.drop(`${IDS}${early.id}`, early.record);
  } catch {
    // Out of reach now: the id stays reserved and unused, as ids skipped by a lost race do.
  }
}
