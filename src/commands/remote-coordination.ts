// The thin layer between task commands and the remote's refs (src/git/remote-refs.ts), used only
// when `.hzl/config.yml` names a `remote`: ids are reserved as creation-only refs
// refs/hzl/ids/<n>, and a claim is the ref refs/hzl/claims/<id>, taken, moved and dropped by
// compare-and-swap, so that of N clones racing for one task exactly one wins.

import { hostname } from 'node:os';
import { ConflictError } from '../core/errors.js';
import type { Task } from '../core/task.js';
import { displayTime, toStamp } from '../core/time.js';
import { RemoteRefs, type RemoteRecord, type SwapResult } from '../git/remote-refs.js';
import type { Project } from '../store/project.js';
import { cacheKey, noteOwnClaim } from './remote-claims-file.js';
import { pushedFor, rememberPushed } from './remote-pushed.js';

export const IDS = 'refs/hzl/ids/';
export const CLAIMS = 'refs/hzl/claims/';
/** Enough for every clone of a busy team to take one id in between; then something is wrong. */
const MAX_ATTEMPTS = 100;

/** The remote to coordinate through; none when unset, or offline (--offline, HZL_OFFLINE=1: see offline-work.ts). */
export function remoteOf(project: Project, env: NodeJS.ProcessEnv): RemoteRefs | undefined {
  const name = project.config.remote;
  if (!name || !project.worktreeRoot || env.HZL_OFFLINE === '1') return undefined;
  return new RemoteRefs(name, project.worktreeRoot, env, project.gitCommonDir);
}

/** Names this clone in records: the host and the checkout's path. */
export function cloneName(project: Project): string {
  return `${hostname()}:${project.worktreeRoot ?? project.root}`;
}

/**
 * The id to create: `candidate` (the next free one here) if the remote has not handed it out,
 * else the next one the remote has not. A lost race moves past the highest id the remote has.
 */
export function reserveId(
  remote: RemoteRefs,
  project: Project,
  candidate: number,
  at: Date,
  first?: { record: string; result: SwapResult },
): number {
  const record = first?.record ?? idRecord(remote, project, at);
  let id = candidate;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const result = attempt === 0 && first ? first.result : remote.swap(`${IDS}${id}`, record, '');
    if (result === 'done') return id;
    let highest = id;
    for (const ref of remote.list(`${IDS}*`).keys()) highest = Math.max(highest, Number(ref.slice(IDS.length)) || 0);
    id = highest + 1;
  }
  throw new ConflictError(
    `could not reserve a task id on the remote '${remote.remote}' after ${MAX_ATTEMPTS} tries; run the command again`,
  );
}

/** Whether `id` itself could be reserved for this clone (taken by another clone: false). */
export function tryReserveId(remote: RemoteRefs, project: Project, id: number, at: Date): boolean {
  return remote.swap(`${IDS}${id}`, idRecord(remote, project, at), '') === 'done';
}

/** A record of an id reservation, unique to this call: pushing a commit the ref already holds would "succeed" for a second adder. */
export function idRecord(remote: RemoteRefs, project: Project, at: Date): string {
  const nonce = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  return remote.record('hzl task id', { clone: cloneName(project), at: toStamp(at), nonce });
}

/**
 * The new number for a task whose id is duplicated, the same in every clone that fixes it: the
 * first fixer reserves an id and records it under refs/hzl/renumbered/<old>/<created>; the others
 * read that record. Also the time of the fix, so that every clone writes the same History line.
 */
export function agreedRenumber(
  remote: RemoteRefs,
  project: Project,
  task: { oldId: number; created: string; candidate: number },
  act: { actor: string; at: Date },
): { id: number; at: Date; actor: string } {
  const { oldId, created, candidate } = task;
  const { actor, at } = act;
  const prefix = `refs/hzl/renumbered/${oldId}/`;
  const key = created.replace(/[^0-9A-Za-z]/g, '');
  const agreed = () => {
    const record = remote.fetchRecords(prefix).get(key);
    const id = Number(record?.fields.id);
    if (!record || !Number.isSafeInteger(id) || id <= 0) return undefined;
    return { id, at: new Date(record.fields.at ?? at.toISOString()), actor: record.fields.by ?? actor };
  };
  const earlier = agreed();
  if (earlier) return earlier;
  const id = reserveId(remote, project, candidate, at);
  const record = remote.record(`hzl renumbered #${oldId}`, {
    id: String(id),
    at: toStamp(at),
    by: actor,
    clone: cloneName(project),
  });
  if (remote.swap(`${prefix}${key}`, record, '') === 'done') return { id, at, actor };
  const other = agreed(); // another clone fixed it first: its number stands (ours stays unused)
  if (!other)
    throw new ConflictError(
      `could not agree on a new number for #${oldId} on '${remote.remote}': run hzl doctor --fix again`,
    );
  return other;
}

/** Who holds the claim a task's file shows, if any. */
export function holderOf(task: Task): string | undefined {
  return task.status === 'in_progress' || task.status === 'blocked' ? task.author : undefined;
}

export type TakeMode = 'free' | 'if-expired' | 'force';

/**
 * Makes the remote claim follow a local write: taken when the task gets a holder, moved when
 * it changes hands, dropped when it has none. Runs under the task's local lock, before the file
 * is written: a refusal or an unreachable remote leaves the file as it was. A holder's longer
 * lease (a checkpoint) is pushed lazily, at most once per half lease, and a failure to push it
 * is a warning: checkpoints never wait on, or fail for, the network.
 */
export function followClaim(
  remote: RemoteRefs,
  project: Project,
  before: Task,
  after: Task,
  mode: TakeMode,
  at: Date,
  early?: EarlyAnswer,
): string | undefined {
  const was = holderOf(before);
  const now = holderOf(after);
  if (now && now !== was) takeClaim(remote, project, after, now, mode, at, early);
  else if (!now && was) return dropClaim(remote, project, before.id, was, at);
  else if (now && after.lease_until !== before.lease_until && renewalDue(project, after, at)) {
    try {
      takeClaim(remote, project, after, now, 'own', at);
    } catch (err) {
      if (!(err instanceof Error)) throw err;
      return `the lease on the remote '${remote.remote}' was not renewed: ${err.message}`;
    }
  }
  return undefined;
}

/** Whether the lease last pushed for this task runs out within half the new lease. */
function renewalDue(project: Project, task: Task, at: Date): boolean {
  const pushed = pushedFor(project, task.id).until;
  const wanted = Date.parse(task.lease_until ?? '') - at.getTime();
  return pushed === undefined || Date.parse(pushed) - at.getTime() < wanted / 2;
}

function takeClaim(
  remote: RemoteRefs,
  project: Project,
  task: Task,
  holder: string,
  mode: TakeMode | 'own',
  at: Date,
  early?: EarlyAnswer,
): void {
  const fields = { author: holder, since: toStamp(at), lease_until: task.lease_until ?? '', clone: cloneName(project) };
  const oid = early?.oid ?? remote.record(`hzl claim #${task.id}`, fields);
  pushClaim(remote, project, { task, holder, oid, mode, at, first: early?.result });
  rememberPushed(project, remote.env, task.id, {
    until: task.lease_until ?? '',
    oid,
    author: holder,
    clone: fields.clone,
  });
  const seen = { id: task.id, ...fields, expired: false };
  noteOwnClaim(project, remote.env, cacheKey(project, remote, remote.env), task.id, seen);
}

/** Points the task's claim ref at our record `oid`, or throws when another holder keeps it. */
function pushClaim(
  remote: RemoteRefs,
  project: Project,
  claim: { task: Task; holder: string; oid: string; mode: TakeMode | 'own'; at: Date; first?: SwapResult },
): void {
  const { task, holder, oid, mode, at, first } = claim;
  const ref = `${CLAIMS}${task.id}`;
  // Our own record still there (a renewal, or its holder claiming again): one swap moves it.
  const own = first === undefined && pushedByUs(project, task.id, holder);
  if (own && remote.swap(ref, oid, pushedFor(project, task.id).oid!) === 'done') return;
  // The creation pushed early (startClaim) answered already: no second push of the same.
  if ((first ?? remote.swap(ref, oid, '')) === 'done') return;
  const current = remote.fetchRecords(CLAIMS).get(String(task.id));
  if (!current) {
    // Dropped between our two looks: it is free again.
    if (remote.swap(ref, oid, '') === 'done') return;
    throw claimedElsewhere(task.id, remote.fetchRecords(CLAIMS).get(String(task.id)), at);
  }
  // The same name in another clone is another agent (ten containers may all be "claude").
  const ours = current.fields.author === holder && current.fields.clone === cloneName(project);
  const allowed = ours || mode === 'force' || (mode === 'if-expired' && isExpired(current, at));
  if (!allowed) throw claimedElsewhere(task.id, current, at);
  if (remote.swap(ref, oid, current.oid) === 'lost')
    throw claimedElsewhere(task.id, remote.fetchRecords(CLAIMS).get(String(task.id)), at);
}

/** What an early claim's push answered, for followClaim: the record pushed and 'done' or 'lost'. */
export interface EarlyAnswer {
  oid: string;
  result: SwapResult;
}

/** Whether this clone remembers pushing a record of `holder`'s claim on task `id`. */
export function pushedByUs(project: Project, id: number, holder: string): boolean {
  const last = pushedFor(project, id);
  return last.oid !== undefined && last.author === holder && last.clone === cloneName(project);
}

/**
 * Drops the remote claim of a task that has no holder here any more: only a record this clone
 * pushed. The same author name in another clone is another agent (ten containers may all be
 * "claude"), whose claim stays; the warning says so.
 */
function dropClaim(remote: RemoteRefs, project: Project, id: number, holder: string, at: Date): string | undefined {
  const ref = `${CLAIMS}${id}`;
  // Still the record we pushed: one swap drops it, no fetch.
  const dropped = pushedByUs(project, id, holder) && remote.drop(ref, pushedFor(project, id).oid!) === 'done';
  let left: RemoteRecord | undefined;
  if (!dropped) {
    const current = remote.fetchRecords(CLAIMS).get(String(id));
    // Someone else's claim now (they stole it in their clone): theirs to drop, not ours.
    if (current?.fields.author === holder && current.fields.clone === cloneName(project)) remote.drop(ref, current.oid);
    else left = current;
  }
  rememberPushed(project, remote.env, id, undefined);
  noteOwnClaim(project, remote.env, cacheKey(project, remote, remote.env), id, left && seenOf(id, left, at));
  if (left?.fields.author !== holder) return undefined;
  const until = left.fields.lease_until ? ` (until ${displayTime(left.fields.lease_until)})` : '';
  return (
    `the claim on #${id} on '${remote.remote}' is ${holder}'s in another clone (${left.fields.clone ?? '?'}): ` +
    `left there; it ends with its lease${until} or a release in that clone`
  );
}

/** Ids of tasks whose claim on the remote is live and held in another clone: one fetch. */
export function heldElsewhere(remote: RemoteRefs, project: Project, at: Date): Set<number> {
  const held = new Set<number>();
  for (const [name, record] of remote.fetchRecords(CLAIMS)) {
    if (record.fields.clone !== cloneName(project) && !isExpired(record, at)) held.add(Number(name));
  }
  return held;
}

export interface ClaimSeen {
  id: number;
  author: string;
  clone: string;
  lease_until: string;
  expired: boolean;
  /** When the record was last pushed (taken or renewed); absent in caches of an older hzl. */
  since?: string;
}

/** Every claim on the remote, freshly fetched, by task id. */
export function remoteClaims(remote: RemoteRefs, at: Date): ClaimSeen[] {
  const claims: ClaimSeen[] = [];
  for (const [name, record] of remote.fetchRecords(CLAIMS)) claims.push(seenOf(Number(name), record, at));
  return claims.filter((c) => Number.isSafeInteger(c.id) && c.id > 0).sort((a, b) => a.id - b.id);
}

function seenOf(id: number, record: RemoteRecord, at: Date): ClaimSeen {
  const { author = '', clone = '', lease_until: until = '', since = '' } = record.fields;
  return { id, author, clone, lease_until: until, expired: isExpired(record, at), since };
}

function isExpired(record: RemoteRecord, at: Date): boolean {
  const until = Date.parse(record.fields.lease_until ?? '');
  return Number.isFinite(until) && until <= at.getTime();
}

function claimedElsewhere(id: number, record: RemoteRecord | undefined, at: Date): ConflictError {
  if (!record) return new ConflictError(`task #${id} was claimed in another clone meanwhile: pick another task`);
  const { author = 'someone', lease_until: until = '', clone = 'another clone' } = record.fields;
  const lease = until ? `, lease until ${displayTime(until)}` : '';
  const how = isExpired(record, at) ? '--if-expired' : '--force';
  return new ConflictError(
    `task #${id} is claimed by ${author} in ${clone}${lease}: ` +
      `pick another task, or take it over with 'hzl task steal ${id} ${how}'`,
  );
}
