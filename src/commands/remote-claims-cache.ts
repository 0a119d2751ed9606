// The claims on the shared remote as reads see them (`task show`): fetched at most once per
// `remote_cache` (config, default 30s) and kept in <state dir>/remote-claims.json, so that
// reading stays fast. A remote out of reach makes it unknown, with a warning, never an error.

import { mkdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { GitError } from '../core/errors.js';
import { parseDuration } from '../core/time.js';
import { writeFileAtomic } from '../store/atomic.js';
import type { Project } from '../store/project.js';
import { type ClaimSeen, remoteClaims, remoteOf } from './remote-coordination.js';

interface Cache {
  fetched: number; // ms since the epoch
  claims: ClaimSeen[];
}

export interface CachedClaims {
  claims: ClaimSeen[];
  warning?: string;
}

/** The claims on the remote, at most `remote_cache` old; undefined without a remote. */
export function cachedClaims(project: Project, env: NodeJS.ProcessEnv, at: Date): CachedClaims | undefined {
  const remote = remoteOf(project, env);
  if (!remote) return undefined;
  const file = join(project.stateDir, 'remote-claims.json');
  const maxAge = parseDuration(project.config.remote_cache ?? '30s', 'remote_cache');
  const cache = readCache(file);
  if (cache && at.getTime() - cache.fetched >= 0 && at.getTime() - cache.fetched < maxAge) return { claims: cache.claims };
  try {
    const claims = remoteClaims(remote, at);
    mkdirSync(project.stateDir, { recursive: true });
    writeFileAtomic(file, `${JSON.stringify({ fetched: at.getTime(), claims })}\n`);
    return { claims };
  } catch (err) {
    if (!(err instanceof GitError)) throw err;
    return { claims: cache?.claims ?? [], warning: `claims in other clones are not known: ${err.message}` };
  }
}

/** A live claim on the remote held by someone other than this clone's holder of the task. */
export function claimElsewhere(project: Project, claims: ClaimSeen[], id: number, holder: string | undefined): ClaimSeen | undefined {
  const here = `${hostname()}:${project.worktreeRoot ?? project.root}`;
  const claim = claims.find((c) => c.id === id && !c.expired);
  return claim && !(claim.clone === here && claim.author === holder) ? claim : undefined;
}

function readCache(file: string): Cache | undefined {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as Cache;
    return typeof data.fetched === 'number' && Array.isArray(data.claims) ? data : undefined;
  } catch {
    return undefined;
  }
}
