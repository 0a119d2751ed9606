// The claims on the shared remote as reads see them (`show`, `list`, `stuck`): fetched at most
// once per `remote_cache` (config, default 30s) and kept in <state dir>/remote-claims.json, so
// that reading stays fast. A remote out of reach makes it unknown, with a warning, never an error.

import { hostname } from 'node:os';
import { GitError } from '../core/errors.js';
import { parseDuration } from '../core/time.js';
import type { Project } from '../store/project.js';
import type { TaskFields } from '../core/task.js';
import { type ClaimsCache, type Fetched, cacheKey, readClaimsCache, saveFetched } from './remote-claims-file.js';
import { type ClaimSeen, remoteClaims, remoteOf } from './remote-coordination.js';

export interface CachedClaims {
  claims: ClaimSeen[];
  warning?: string;
}

/** The claims on the remote, at most `remote_cache` old; undefined without a remote. */
export function cachedClaims(project: Project, env: NodeJS.ProcessEnv, at: Date): CachedClaims | undefined {
  const remote = remoteOf(project, env);
  if (!remote) return undefined;
  const maxAge = parseDuration(project.config.remote_cache ?? '30s', 'remote_cache');
  const key = cacheKey(project, remote, env);
  const cache = readClaimsCache(project, key);
  const lease = parseDuration(project.config.lease, 'lease');
  if (cache && at.getTime() - cache.fetched >= 0 && at.getTime() - cache.fetched < maxAge)
    return seen(cache, at, lease);
  const now = at.getTime();
  const startedAt = cache?.changes ?? 0;
  let fetched: Fetched;
  try {
    fetched = { fetched: now, claimsFetched: now, claims: remoteClaims(remote, at) };
  } catch (err) {
    if (!(err instanceof GitError)) throw err;
    // A remote out of reach is tried again once this is stale, not at every read. The claims
    // known keep the time they were fetched, so they age out rather than live on.
    const { claims = [], claimsFetched = now } = cache ?? {};
    fetched = { fetched: now, claimsFetched, claims, error: err.message };
  }
  return seen(saveFetched(project, env, key, startedAt, fetched), at, lease);
}

/** Claims fetched longer than a lease ago are not known any more: any of them would have needed a renewal. */
function seen(cache: ClaimsCache, at: Date, lease: number): CachedClaims {
  const known = at.getTime() - cache.claimsFetched < lease ? cache.claims : [];
  const claims = expiredAt(known, at);
  return cache.error ? { claims, warning: `claims in other clones are not known: ${cache.error}` } : { claims };
}

/** A cached claim's lease may have run out since it was fetched. */
function expiredAt(claims: ClaimSeen[], at: Date): ClaimSeen[] {
  return claims.map((c) => {
    const until = Date.parse(c.lease_until);
    return { ...c, expired: Number.isFinite(until) && until <= at.getTime() };
  });
}

const cloneHere = (project: Project) => `${hostname()}:${project.worktreeRoot ?? project.root}`;

/** Whether a claim on the remote is not the one this clone's file shows: another clone's or author's. */
function heldByOther(here: string, claim: ClaimSeen, holder: string | undefined): boolean {
  return !(claim.clone === here && claim.author === holder);
}

/** A live claim on the remote held by someone other than this clone's holder of the task. */
export function claimElsewhere(
  project: Project,
  claims: ClaimSeen[],
  id: number,
  holder: string | undefined,
): ClaimSeen | undefined {
  const claim = claims.find((c) => c.id === id && !c.expired);
  return claim && heldByOther(cloneHere(project), claim, holder) ? claim : undefined;
}

/**
 * Tasks as the whole team sees them: where the remote names another holder (live or expired,
 * as a local claim would stay until stolen), that holder and its lease replace
 * what this clone's file says, and an open task the file shows unclaimed is in progress there.
 * Done and archived tasks stay as the file says. The file itself is not touched.
 */
export function withClaimsElsewhere<T extends TaskFields>(project: Project, claims: ClaimSeen[], tasks: T[]) {
  const here = cloneHere(project);
  const byId = new Map(claims.map((c) => [c.id, c]));
  const elsewhere = new Map<number, ClaimSeen>();
  const seen = tasks.map((task): T => {
    const claim = byId.get(task.id);
    if (!claim || task.status === 'done' || task.status === 'archived' || !heldByOther(here, claim, task.author))
      return task;
    elsewhere.set(task.id, claim);
    const status = task.status === 'blocked' ? 'blocked' : 'in_progress';
    return { ...task, status, author: claim.author, lease_until: claim.lease_until || undefined };
  });
  return { tasks: seen, elsewhere };
}

export interface TeamView<T> {
  tasks: T[];
  /** Tasks whose claim is held in another clone (or by another author), with that claim. */
  elsewhere: Map<number, ClaimSeen>;
  warning?: string;
}

/**
 * `tasks` as the whole team sees them, from the cached claims (fetched only once stale, as for
 * `list`); as they are, with nothing elsewhere, without a remote.
 */
export function teamView<T extends TaskFields>(project: Project, env: NodeJS.ProcessEnv, at: Date, tasks: T[]) {
  const seen = cachedClaims(project, env, at);
  if (!seen) return { tasks, elsewhere: new Map() } as TeamView<T>;
  const view: TeamView<T> = withClaimsElsewhere(project, seen.claims, tasks);
  return seen.warning ? { ...view, warning: seen.warning } : view;
}
