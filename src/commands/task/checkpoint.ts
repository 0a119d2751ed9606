import { checkpoint } from '../../core/transitions.js';
import { historyEvent, leaseNamed } from '../../core/history.js';
import { isDuration, parseDuration } from '../../core/time.js';
import { claimedSince } from '../../core/transitions.js';
import { checkText, parseTaskId } from '../../core/validate.js';
import type { Task } from '../../core/task.js';
import { openWorkspace, textArgument } from '../context.js';
import { fileReferences } from '../file-refs.js';
import { defineCommand } from '../spec.js';
import { writeTask } from './write.js';

interface Args {
  id: string;
  text: string[];
  files?: boolean;
}

/**
 * The lease length the holder took (from the claim's History line), else the configured one.
 * A length no claim could take now (`0s`, past a year: an old or hand-written line) counts as
 * none: the checkpoint is still written.
 */
export function leaseLengthOf(task: Task, fallback: string): string {
  for (let i = task.history.length - 1; i >= 0; i--) {
    const lease = leaseNamed(historyEvent(task.history[i]!));
    if (lease) return isDuration(lease) ? lease : fallback;
  }
  return fallback;
}

/** The file references line, asked of git before the task's lock is taken. */
async function filesSinceClaim(ctx: Parameters<typeof openWorkspace>[0], idArg: string): Promise<string> {
  const task = openWorkspace(ctx).store.read(parseTaskId(idArg)).doc.task;
  return fileReferences(ctx.dir, ctx.env, task.status === 'in_progress' ? claimedSince(task) : undefined, 'the claim');
}

export const checkpointCommand = defineCommand<Args>({
  command: 'checkpoint <id> <text..>',
  describe: 'Record progress: what is done, what is next, decisions, blockers, files',
  positionals: {
    id: 'task id, like 1 or #1',
    text: "the checkpoint; '-' reads it from stdin",
  },
  options: {
    files: { type: 'boolean', describe: 'append a line with the branch, HEAD and the files changed since the claim' },
  },
  examples: [
    ['$0 task checkpoint 1 "Auth middleware done (auth.ts). Next: rate limiting"', 'one line'],
    ['git diff --stat | $0 task checkpoint 1 -', 'multi-line text from stdin'],
  ],
  run: async (args, ctx) => {
    const written = checkText(await textArgument(args.text, ctx), 'checkpoint');
    const text = args.files ? `${written}\n${await filesSinceClaim(ctx, args.id)}` : written;
    return writeTask(ctx, args.id, {
      action: 'checkpoint',
      actorIsHolder: true,
      holderBeforeConfig: true,
      change: ({ doc }, act, ws) => {
        const lease = parseDuration(leaseLengthOf(doc.task, ws.project.config.lease));
        return checkpoint(doc.task, act, text, { ms: lease });
      },
      message: ({ task }) => `Checkpoint added to #${task.id} (${task.checkpoints.length} in all)`,
    });
  },
});
