// `hzl sync`: fetch the claims on the shared remote and report what changed elsewhere since the
// last sync of this clone (claims taken, moved, released, expired); first, reconcile the work
// done offline (offline-work.ts). Needs `remote` in the config.

import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../core/errors.js';
import { displayTime } from '../core/time.js';
import { writeFileAtomic } from '../store/atomic.js';
import { openWorkspace } from './context.js';
import { type ClaimSeen, remoteClaims, remoteOf } from './remote-coordination.js';
import { reconcile } from './offline-work.js';
import { explicitActor } from './actor.js';
import { defineCommand } from './spec.js';

type Args = Record<string, never>;

export const syncCommand = defineCommand<Args>({
  command: 'sync',
  describe: 'Fetch the claims held on the shared remote and say what changed since the last sync',
  examples: [['$0 sync', 'who holds what in every clone, and what was taken or released since last time']],
  run: (_args, ctx) => {
    const ws = openWorkspace(ctx);
    const remote = remoteOf(ws.project, { ...ctx.env, HZL_OFFLINE: undefined }); // sync is how offline work goes online
    if (!remote) throw new UsageError("no remote to sync with: run 'hzl init --remote origin' (see docs/clones.md)");
    const now = ctx.now();
    const reconciled = reconcile(remote, ws.project, ws.store, explicitActor(ctx) ?? 'hzl-sync', now);
    const claims = remoteClaims(remote, now);
    const seenFile = join(ws.project.stateDir, 'remote-claims-seen.json');
    const changes = [...reconciled, ...changesSince(readSeen(seenFile), claims)];
    mkdirSync(ws.project.stateDir, { recursive: true });
    writeFileAtomic(seenFile, `${JSON.stringify(claims)}\n`);
    const line = (c: ClaimSeen) =>
      `#${c.id} ${c.author} in ${c.clone}` + (c.lease_until ? `, lease ${c.expired ? 'expired' : 'until'} ${displayTime(c.lease_until)}` : '');
    const text = claims.length ? `${claims.map(line).join('\n')}\n` : '';
    return {
      kind: 'sync',
      json: { remote: remote.remote, claims, changes },
      text,
      message: [...changes, `${claims.length} claim${claims.length === 1 ? '' : 's'} on '${remote.remote}'`].join('\n'),
    };
  },
});

function readSeen(file: string): ClaimSeen[] | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ClaimSeen[];
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
    else if (was.author !== c.author || was.clone !== c.clone) changes.push(`#${c.id} taken over by ${c.author} in ${c.clone} (from ${was.author})`);
    else if (c.expired && !was.expired) changes.push(`#${c.id} lease of ${c.author} expired`);
    old.delete(c.id);
  }
  for (const was of old.values()) changes.push(`#${was.id} released by ${was.author}`);
  return changes;
}
