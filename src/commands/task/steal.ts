import { UsageError } from '../../core/errors.js';
import { displayTime, leaseFrom, parseDuration } from '../../core/time.js';
import { steal } from '../../core/transitions.js';
import { defineCommand } from '../spec.js';
import { writeTask } from './write.js';

interface Args {
  id: string;
  ifExpired?: boolean;
  force?: boolean;
  lease?: string;
}

export const stealCommand = defineCommand<Args>({
  command: 'steal <id>',
  describe: "Take over another agent's claim: --if-expired when its lease ran out, --force always",
  positionals: { id: 'task id, like 1 or #1' },
  options: {
    'if-expired': { type: 'boolean', describe: 'only if the current lease has expired' },
    force: { type: 'boolean', describe: 'take it even though the lease is live' },
    lease: { type: 'string', describe: 'how long the new claim lasts (default from config)' },
  },
  examples: [
    ['$0 task steal 3 --if-expired --author claude-code', 'pick up a task whose agent went quiet'],
    ['$0 task stuck', 'find such tasks first'],
  ],
  run: (args, ctx) => {
    if (args.ifExpired === args.force) {
      throw new UsageError('pass exactly one of --if-expired (only an expired lease) or --force (any claim)');
    }
    if (args.lease !== undefined) parseDuration(args.lease, 'lease'); // refuse a bad --lease before any read
    return writeTask(ctx, args.id, {
      action: 'steal',
      actorIsHolder: false,
      change: ({ doc }, act, ws) => {
        return steal(doc.task, {
          ...act,
          lease: leaseFrom(args.lease, ws.project.config.lease),
          mode: args.force ? 'force' : 'if-expired',
        });
      },
      takeMode: args.force ? 'force' : 'if-expired',
      message: ({ before, task }) =>
        `Took over #${task.id} from ${before.doc.task.author} for ${task.author}, ` +
        `lease until ${displayTime(task.lease_until!)}`,
    });
  },
});
