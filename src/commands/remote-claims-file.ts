// The file that caches the claims on the shared remote (<state dir>/remote-claims.json): what
// reads last fetched, of which remote, and when. This clone's own claim writes keep it current.

import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../store/atomic.js';
import type { Project } from '../store/project.js';
import type { ClaimSeen } from './remote-coordination.js';

export interface ClaimsCache {
  /** The remote the claims came from: a cache of another one is not used. */
  remote: string;
  fetched: number; // ms since the epoch: of the last try, whether or not it reached the remote
  /** When `claims` were fetched: a failed try carries them forward, still as old as they are. */
  claimsFetched: number;
  claims: ClaimSeen[];
  /** Why the last try failed: the claims are older ones, and nothing is tried until it is stale. */
  error?: string;
}

const fileOf = (project: Project) => join(project.stateDir, 'remote-claims.json');

/** The cache of `remote`'s claims; undefined when there is none, it is unreadable, or of another remote. */
export function readClaimsCache(project: Project, remote: string): ClaimsCache | undefined {
  try {
    const data = JSON.parse(readFileSync(fileOf(project), 'utf8')) as Partial<ClaimsCache>;
    if (data.remote !== remote || typeof data.fetched !== 'number' || !Array.isArray(data.claims)) return undefined;
    return { ...data, claimsFetched: data.claimsFetched ?? data.fetched } as ClaimsCache;
  } catch {
    return undefined;
  }
}

export function writeClaimsCache(project: Project, cache: ClaimsCache): void {
  try {
    mkdirSync(project.stateDir, { recursive: true });
    writeFileAtomic(fileOf(project), `${JSON.stringify(cache)}\n`);
  } catch {
    // A cache: without it the next read asks the remote again.
  }
}

/**
 * This clone just changed task `id`'s claim on `remote` (taken, renewed, moved: `claim`; dropped:
 * undefined): the cache says so at once, rather than show the old claim until it is stale.
 */
export function noteOwnClaim(project: Project, remote: string, id: number, claim: ClaimSeen | undefined): void {
  const cache = readClaimsCache(project, remote);
  if (!cache) return; // nothing cached: the next read fetches anyway
  const others = cache.claims.filter((c) => c.id !== id);
  const claims = claim ? [...others, claim].sort((a, b) => a.id - b.id) : others;
  writeClaimsCache(project, { ...cache, claims });
}
