import { UsageError } from '../../core/errors.js';
import { displayTime, parseDuration } from '../../core/time.js';
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
    const leaseText = args.lease;
    const lease = leaseText === undefined ? undefined : { ms: parseDuration(leaseText, 'lease'), text: leaseText.trim() };
    return writeTask(ctx, args.id, {
      action: 'steal',
      actorIsHolder: false,
      change: ({ doc }, act, ws) => {
        const text = lease?.text ?? ws.project.config.lease;
        return steal(doc.task, {
          ...act,
          lease: lease ?? { ms: parseDuration(text, 'lease'), text },
          mode: args.force ? 'force' : 'if-expired',
        });
      },
      message: ({ before, task }) =>
        `Took over #${task.id} from ${before.doc.task.author} for ${task.author}, lease until ${displayTime(task.lease_until!)}`,
    });
  },
});
