import { stuckTasks } from '../../core/query.js';
import { displayTime, parseDuration } from '../../core/time.js';
import { summaryJson } from '../../output/json.js';
import { visible } from '../../output/visible.js';
import { defineCommand } from '../spec.js';
import { openWorkspace } from '../context.js';
import { cachedClaims, withClaimsElsewhere } from '../remote-claims-cache.js';

interface Args {
  olderThan?: string;
}

export const stuckCommand = defineCommand<Args>({
  command: 'stuck',
  describe: 'In-progress tasks whose lease expired or with no checkpoint for a while',
  options: {
    'older-than': { type: 'string', describe: 'no checkpoint for this long counts as stuck (default 2h)' },
  },
  examples: [
    ['$0 task stuck', 'expired leases, and no checkpoint for 2h'],
    ['$0 task stuck --older-than 30m', 'a stricter idea of quiet'],
  ],
  run: (args, ctx) => {
    const olderThan = parseDuration(args.olderThan ?? '2h', '--older-than');
    const { store, project } = openWorkspace(ctx);
    const { tasks: inFiles, problems } = store.summaries({ notes: true });
    // A lease held in another clone counts as that clone's: expired there, stuck here too. Its
    // checkpoints stay in that clone, so only its lease can tell whether it is stuck.
    const seen = cachedClaims(project, ctx.env, ctx.now());
    const { tasks, elsewhere } = seen
      ? withClaimsElsewhere(project, seen.claims, inFiles)
      : { tasks: inFiles, elsewhere: undefined };
    const stuck = stuckTasks(tasks, ctx.now(), olderThan).filter(
      (s) => !elsewhere?.has(s.task.id) || s.reason === 'lease expired',
    );
    const holder = (t: (typeof tasks)[number]) =>
      t.author === undefined ? '-' : `${visible(t.author)}${elsewhere?.has(t.id) ? ' (other clone)' : ''}`;
    const lines = stuck.map(
      ({ task, reason, since }) =>
        `${task.id}\t${holder(task)}\t${reason} (${displayTime(since)})\t${visible(task.title)}\n`,
    );
    return {
      kind: 'task-stuck',
      json: {
        tasks: stuck.map(({ task, reason, since }) => ({
          ...summaryJson(task),
          stuck: { reason, since },
          ...(elsewhere ? { remote_claim: elsewhere.get(task.id) ?? null } : {}),
        })),
      },
      text: lines.join(''),
      ...(stuck.length === 0 ? { message: 'No stuck tasks.' } : {}),
      warnings: [...(seen?.warning ? [seen.warning] : []), ...problems.map((p) => `skipped ${p.message}`)],
    };
  },
});
