// The file that caches the claims on the shared remote (<state dir>/remote-claims.json): what
// reads last fetched, of which remote (its name and URL), and when. This clone's own claim
// writes keep it current, and a listing's fetch that started before one of them keeps it too.

import type { RemoteRefs } from '../git/remote-refs.js';
import { remoteUrl } from '../git/remote-url.js';
import type { Project } from '../store/project.js';
import { changeStateJson, readStateJson } from '../store/state-file.js';
import type { ClaimSeen } from './remote-coordination.js';

/** Which remote a cache is of: the name alone would outlive `git remote set-url`. */
export interface CacheKey {
  remote: string;
  url?: string;
}

export interface ClaimsCache extends CacheKey {
  fetched: number; // ms since the epoch: of the last try, whether or not it reached the remote
  /** When `claims` were fetched: a failed try carries them forward, still as old as they are. */
  claimsFetched: number;
  claims: ClaimSeen[];
  /** Why the last try failed: the claims are older ones, and nothing is tried until it is stale. */
  error?: string;
  /** How many own changes were noted: a fetch remembers the count it started at. */
  changes?: number;
  /** Own changes (the claim, or null: dropped) that a fetch started before them did not see. */
  own?: Record<string, { change: number; claim: ClaimSeen | null }>;
}

/** What a fetch learnt, before it is merged with the own changes noted meanwhile. */
export type Fetched = Omit<ClaimsCache, keyof CacheKey | 'changes' | 'own'>;

const FILE = 'remote-claims.json';

export function cacheKey(project: Project, remote: RemoteRefs, env: NodeJS.ProcessEnv): CacheKey {
  const where = { cwd: project.worktreeRoot ?? project.root, commonDir: project.gitCommonDir };
  const url = remoteUrl(remote.remote, where, env);
  return url === undefined ? { remote: remote.remote } : { remote: remote.remote, url };
}

/** The cache of that remote; undefined when there is none, it is unreadable, or of another remote or URL. */
export function readClaimsCache(project: Project, key: CacheKey): ClaimsCache | undefined {
  const data = readStateJson(project, FILE) as Partial<ClaimsCache> | undefined;
  if (!data || typeof data !== 'object' || data.remote !== key.remote || data.url !== key.url) return undefined;
  if (typeof data.fetched !== 'number' || !Array.isArray(data.claims)) return undefined;
  return { ...data, claimsFetched: data.claimsFetched ?? data.fetched } as ClaimsCache;
}

/**
 * Every read-merge-write holds the file's short lock (state-file.ts), so that two writers never
 * lose each other's change. A cache: when it cannot be written, the next read asks the remote again.
 */
function changeCache(project: Project, env: NodeJS.ProcessEnv, change: () => ClaimsCache): ClaimsCache | undefined {
  try {
    return changeStateJson(project, env, FILE, 'the claims cache', change);
  } catch {
    return undefined;
  }
}

/**
 * Saves what a fetch learnt. Own changes noted since it started (`startedAt`: the count of
 * changes then) are newer than what it saw, so they stay on top; older ones it saw itself.
 */
export function saveFetched(
  project: Project,
  env: NodeJS.ProcessEnv,
  key: CacheKey,
  startedAt: number,
  fetched: Fetched,
): ClaimsCache {
  const merged = changeCache(project, env, () => {
    const current = readClaimsCache(project, key);
    const own = Object.fromEntries(Object.entries(current?.own ?? {}).filter(([, o]) => o.change > startedAt));
    let claims = fetched.claims;
    for (const [id, o] of Object.entries(own)) claims = withClaim(claims, Number(id), o.claim);
    return { ...key, ...fetched, claims, changes: current?.changes ?? 0, own };
  });
  return merged ?? { ...key, ...fetched };
}

/**
 * This clone just changed task `id`'s claim on the remote (taken, renewed, moved: `claim`;
 * dropped: undefined): the cache says so at once, rather than show the old claim until it is
 * stale, and keeps saying so through a fetch that started before the change.
 */
export function noteOwnClaim(
  project: Project,
  env: NodeJS.ProcessEnv,
  key: CacheKey,
  id: number,
  claim: ClaimSeen | undefined,
): void {
  changeCache(project, env, () => {
    // Nothing cached yet: an empty cache that is already stale, so the next read fetches.
    const cache = readClaimsCache(project, key) ?? { ...key, fetched: 0, claimsFetched: 0, claims: [] };
    const change = (cache.changes ?? 0) + 1;
    const own = { ...cache.own, [String(id)]: { change, claim: claim ?? null } };
    return { ...cache, claims: withClaim(cache.claims, id, claim ?? null), changes: change, own };
  });
}

function withClaim(claims: ClaimSeen[], id: number, claim: ClaimSeen | null): ClaimSeen[] {
  const others = claims.filter((c) => c.id !== id);
  return claim ? [...others, claim].sort((a, b) => a.id - b.id) : others;
}
