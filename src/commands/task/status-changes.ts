// The transitions that take nothing but a task id: release, unblock, reopen, archive.

import type { Task } from '../../core/task.js';
import { type Act, archive, release, reopen, unblock } from '../../core/transitions.js';
import { defineCommand } from '../spec.js';
import { writeTask } from './write.js';

interface Args {
  id: string;
  force?: boolean;
}

function simpleTransition(
  verb: string,
  describe: string,
  example: string,
  change: (task: Task, act: Act) => Task,
  done: (task: Task) => string,
  endsClaim = false,
) {
  return defineCommand<Args>({
    command: `${verb} <id>`,
    describe,
    positionals: { id: 'task id, like 1 or #1' },
    ...(endsClaim
      ? { options: { force: { type: 'boolean', describe: `${verb} someone else's live claim (History says so)` } } }
      : {}),
    examples: [[`$0 task ${verb} 1`, example]],
    run: (args, ctx) =>
      writeTask(ctx, args.id, {
        action: verb,
        actorIsHolder: true,
        ...(endsClaim
          ? { endsClaim: { verb, force: args.force === true, retry: ['task', verb, String(args.id)] } }
          : {}),
        change: ({ doc }, act) => change(doc.task, act),
        message: ({ task, changed }) => (changed ? done(task) : `Task #${task.id} is already ${task.status}`),
      }),
  });
}

export const releaseCommand = simpleTransition(
  'release',
  'Give up a claim: the task is ready again for anyone',
  'put task 1 back in the queue',
  release,
  (t) => `Released #${t.id}; it is ready for the next agent`,
  true,
);

export const unblockCommand = simpleTransition(
  'unblock',
  'Clear a block: back to in_progress if someone holds it, else ready',
  'resume task 1',
  unblock,
  (t) => `Unblocked #${t.id}; it is ${t.status}`,
);

export const reopenCommand = simpleTransition(
  'reopen',
  'Bring a done or archived task back as ready',
  'reopen task 1',
  reopen,
  (t) => `Reopened #${t.id}; it is ready`,
);

export const archiveCommand = simpleTransition(
  'archive',
  'Hide a task from lists (its file and history stay)',
  'archive task 1',
  archive,
  (t) => `Archived #${t.id}`,
  true,
);
