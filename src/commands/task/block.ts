import { block } from '../../core/transitions.js';
import { checkText } from '../../core/validate.js';
import { defineCommand } from '../spec.js';
import { writeTask } from './write.js';

interface Args {
  id: string;
  reason: string;
}

export const blockCommand = defineCommand<Args>({
  command: 'block <id>',
  describe: 'Mark a task blocked; the reason is recorded as a checkpoint',
  positionals: {
    id: 'task id, like 1 or #1',
  },
  options: {
    reason: { type: 'string', demandOption: true, describe: 'what blocks it, for whoever comes next' },
  },
  examples: [['$0 task block 1 --reason "Waiting for the API keys from ops"', 'block with a reason']],
  run: (args, ctx) => {
    const reason = checkText(args.reason, 'reason');
    return writeTask(ctx, args.id, {
      action: 'block',
      actorIsHolder: true,
      change: ({ doc }, act) => block(doc.task, act, reason),
      message: ({ task }) => `Blocked #${task.id}: ${reason.split('\n')[0]}`,
    });
  },
});
