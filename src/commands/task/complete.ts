import { checkpoint, complete } from '../../core/transitions.js';
import { checkText } from '../../core/validate.js';
import { visible } from '../../output/visible.js';
import { defineCommand } from '../spec.js';
import { writeTask } from './write.js';

interface Args {
  id: string;
  message?: string;
  force?: boolean;
}

export const completeCommand = defineCommand<Args>({
  command: 'complete <id>',
  aliases: ['done'],
  describe: 'Mark a task done (the author stays: who did the work)',
  positionals: {
    id: 'task id, like 1 or #1',
  },
  options: {
    message: { alias: 'm', type: 'string', describe: 'a final checkpoint to record first' },
    force: { type: 'boolean', describe: "complete it even though subtasks are open or someone else's claim is live" },
  },
  examples: [
    ['$0 task complete 5', 'finish task 5'],
    ['$0 task complete 5 -m "Merged in #42; docs in docs/api.md"', 'with a closing note'],
  ],
  run: (args, ctx) => {
    const note = args.message === undefined ? undefined : checkText(args.message, 'message (-m)');
    let open: number[] = [];
    return writeTask(ctx, args.id, {
      action: 'complete',
      actorIsHolder: true,
      endsClaim: {
        verb: 'complete',
        force: args.force === true,
        retry: ['task', 'complete', String(args.id), ...(note === undefined ? [] : ['-m', note])],
      },
      // The subtasks' files are not this task's lock's to guard: learnt before it is taken.
      prepare: (id, { store }) => {
        open = store
          .childrenOf(id)
          .filter((c) => c.status !== 'done' && c.status !== 'archived')
          .map((c) => c.id);
      },
      change: ({ doc }, act) => {
        // Done already: nothing to change, but a note the user wrote is kept.
        if (doc.task.status === 'done') return note === undefined ? doc.task : checkpoint(doc.task, act, note);
        const noted = note === undefined ? doc.task : checkpoint(doc.task, act, note);
        return complete(noted, act, open, args.force === true);
      },
      message: ({ before, task, changed }) => {
        if (before.doc.task.status !== 'done') return `Completed #${task.id}: ${visible(task.title)}`;
        return changed
          ? `Task #${task.id} was already done; the note is added as a checkpoint`
          : `Task #${task.id} was already done`;
      },
    });
  },
});
