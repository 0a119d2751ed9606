import { stuckTasks } from '../../core/query.js';
import { displayTime, parseDuration } from '../../core/time.js';
import { summaryJson } from '../../output/json.js';
import { visible } from '../../output/visible.js';
import { defineCommand } from '../spec.js';
import { openWorkspace } from '../context.js';

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
    const { store } = openWorkspace(ctx);
    const { tasks, problems } = store.summaries({ notes: true });
    const stuck = stuckTasks(tasks, ctx.now(), olderThan);
    const lines = stuck.map(
      ({ task, reason, since }) =>
        `${task.id}\t${task.author === undefined ? '-' : visible(task.author)}\t` +
        `${reason} (${displayTime(since)})\t${visible(task.title)}\n`,
    );
    return {
      kind: 'task-stuck',
      json: {
        tasks: stuck.map(({ task, reason, since }) => ({ ...summaryJson(task), stuck: { reason, since } })),
      },
      text: lines.join(''),
      ...(stuck.length === 0 ? { message: 'No stuck tasks.' } : {}),
      warnings: problems.map((p) => `skipped ${p.message}`),
    };
  },
});
