import type { Status } from '../../core/task.js';
import { parseDuration } from '../../core/time.js';
import { claim } from '../../core/transitions.js';
import { displayTime } from '../../core/time.js';
import { HzlError } from '../../core/errors.js';
import { defineCommand } from '../spec.js';
import { writeTask } from './write.js';

interface Args {
  id: string;
  lease?: string;
  force?: boolean;
}

export const claimCommand = defineCommand<Args>({
  command: 'claim <id>',
  describe: 'Take a task: it becomes in_progress and yours until the lease runs out',
  positionals: {
    id: 'task id, like 1 or #1',
  },
  options: {
    lease: { type: 'string', describe: 'how long the claim lasts: 90s, 30m, 2h, 1d (default from config)' },
    force: { type: 'boolean', describe: 'claim even though dependencies are unfinished' },
  },
  examples: [
    ['$0 task claim 1 --author claude-code', 'claim task 1 for claude-code'],
    ['$0 task claim 1 --author claude-code --lease 30m', 'a short claim'],
  ],
  run: (args, ctx) => {
    const leaseText = args.lease ?? undefined;
    const lease = leaseText === undefined ? undefined : { ms: parseDuration(leaseText, 'lease'), text: leaseText.trim() };
    return writeTask(ctx, args.id, {
      action: 'claim',
      actorIsHolder: false,
      change: ({ doc }, act, ws) => {
        const text = lease?.text ?? ws.project.config.lease;
        const unfinished: Array<{ id: number; status: Status | 'missing' }> = [];
        for (const dep of doc.task.depends_on) {
          let status: Status | undefined;
          try {
            status = ws.store.read(dep).doc.task.status;
          } catch (err) {
            if (!(err instanceof HzlError)) throw err;
          }
          if (status !== 'done') unfinished.push({ id: dep, status: status ?? 'missing' });
        }
        return claim(doc.task, {
          ...act,
          lease: lease ?? { ms: parseDuration(text, 'lease'), text },
          unfinished,
          force: args.force === true,
        });
      },
      message: ({ task }) =>
        `Claimed #${task.id} for ${task.author}` + (task.lease_until ? `, lease until ${displayTime(task.lease_until)}` : ''),
    });
  },
});
