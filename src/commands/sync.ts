// `hzl sync`: fetch the claims on the shared remote and report what changed elsewhere since the
// last sync of this clone (claims taken, moved, released, expired); first, take back the claims
// refused commands left there (remote-takebacks.ts), and reconcile the work done offline
// (offline-work.ts). Needs `remote` in the config.

import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConflictError, UsageError } from '../core/errors.js';
import { printable } from '../core/validate.js';
import { mergeBase } from '../git/merge-base-branch.js';
import type { Project } from '../store/project.js';
import { displayTime } from '../core/time.js';
import { writeFileAtomic } from '../store/atomic.js';
import { type Ctx, type Output, openWorkspace } from './context.js';
import { type ClaimSeen, remoteClaims, remoteOf } from './remote-coordination.js';
import { reconcile } from './offline-work.js';
import { takeBackLeft } from './remote-takebacks.js';
import { type CacheKey, cacheKey } from './remote-claims-file.js';
import { explicitActor } from './actor.js';
import { defineCommand } from './spec.js';

interface Args {
  base?: string;
}

export const syncCommand = defineCommand<Args>({
  command: 'sync',
  describe: 'Fetch the claims held on the shared remote and say what changed since the last sync',
  options: {
    base: {
      type: 'string',
      describe: 'instead: merge this base branch into the current one with the hzl driver, and commit',
    },
  },
  examples: [
    ['$0 sync', 'who holds what in every clone, and what was taken or released since last time'],
    ['$0 sync --base origin/main', 'before pushing a pull request: nothing left under .hzl/ for the host to merge'],
  ],
  run: (args, ctx) => {
    if (args.offline) throw new UsageError('sync reaches the remote, and --offline forbids it: drop --offline');
    const ws = openWorkspace(ctx);
    if (args.base !== undefined) return syncBase(String(args.base), ws.project, ctx);
    const remote = remoteOf(ws.project, { ...ctx.env, HZL_OFFLINE: undefined }); // sync is how offline work goes online
    if (!remote) throw new UsageError("no remote to sync with: run 'hzl init --remote origin' (see docs/clones.md)");
    const now = ctx.now();
    const takenBack = takeBackLeft(remote, ws.project, ws.store);
    const reconciled = reconcile(remote, ws.project, ws.store, explicitActor(ctx) ?? 'hzl-sync', now);
    const claims = remoteClaims(remote, now);
    const seenFile = join(ws.project.stateDir, 'remote-claims-seen.json');
    const key = cacheKey(ws.project, remote, ctx.env);
    const changes = [...takenBack, ...reconciled, ...changesSince(readSeen(seenFile, key), claims)];
    mkdirSync(ws.project.stateDir, { recursive: true });
    writeFileAtomic(seenFile, `${JSON.stringify({ ...key, claims })}\n`);
    const lease = (c: ClaimSeen) =>
      c.lease_until ? `, lease ${c.expired ? 'expired' : 'until'} ${displayTime(c.lease_until)}` : '';
    const line = (c: ClaimSeen) => `#${c.id} ${c.author} in ${c.clone}${lease(c)}`;
    const text = claims.length ? `${claims.map(line).join('\n')}\n` : '';
    return {
      kind: 'sync',
      json: { remote: remote.remote, claims, changes },
      text,
      message: [...changes, `${claims.length} claim${claims.length === 1 ? '' : 's'} on '${remote.remote}'`].join('\n'),
    };
  },
});

function syncBase(base: string, project: Project, ctx: Ctx): Output {
  if (!project.worktreeRoot) throw new UsageError('--base needs a git repository');
  if (base === '' || base.startsWith('-'))
    throw new UsageError(`--base '${printable(base)}' is not a branch name; pass one like origin/main`);
  const result = mergeBase(project.worktreeRoot, base, ctx.env);
  if (result.conflicts.length) {
    const files = result.conflicts.map((f) => printable(f)).join(', ');
    throw new ConflictError(
      `merging ${printable(base)} left conflicts in ${files}: resolve them, git add them, then git commit`,
    );
  }
  return {
    kind: 'sync',
    json: { base, merged: result.merged },
    message: result.merged
      ? `Merged ${base} into this branch: the host has nothing left to merge under .hzl/`
      : `Already up to date with ${base}`,
  };
}

/** The claims the last sync saw, if it was of the same remote and URL (an older hzl kept the list alone). */
function readSeen(file: string, key: CacheKey): ClaimSeen[] | undefined {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as ClaimSeen[] | (CacheKey & { claims: ClaimSeen[] });
    if (Array.isArray(data)) return data;
    return data.remote === key.remote && data.url === key.url && Array.isArray(data.claims) ? data.claims : undefined;
  } catch {
    return undefined; // the first sync of this clone: everything is news, nothing is reported as changed
  }
}

function changesSince(before: ClaimSeen[] | undefined, after: ClaimSeen[]): string[] {
  if (!before) return [];
  const old = new Map(before.map((c) => [c.id, c]));
  const changes: string[] = [];
  for (const c of after) {
    const was = old.get(c.id);
    if (!was) changes.push(`#${c.id} claimed by ${c.author} in ${c.clone}`);
    else if (was.author !== c.author || was.clone !== c.clone)
      changes.push(`#${c.id} taken over by ${c.author} in ${c.clone} (from ${was.author})`);
    else if (c.expired && !was.expired) changes.push(`#${c.id} lease of ${c.author} expired`);
    old.delete(c.id);
  }
  for (const was of old.values()) changes.push(`#${was.id} released by ${was.author}`);
  return changes;
}
