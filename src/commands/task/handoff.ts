import { claimedSince, handoff } from '../../core/transitions.js';
import { checkAuthor, checkText, parseTaskId } from '../../core/validate.js';
import { openWorkspace, textArgument } from '../context.js';
import { fileReferences } from '../file-refs.js';
import { defineCommand } from '../spec.js';
import { writeTask } from './write.js';

interface Args {
  id: string;
  note: string[];
  to?: string;
  force?: boolean;
}

export const handoffCommand = defineCommand<Args>({
  command: 'handoff <id> <note..>',
  describe: 'Stop work and leave a note for the next agent: a HANDOFF checkpoint, then release',
  positionals: { id: 'task id, like 1 or #1', note: "what is done, what remains, where to look; '-' reads stdin" },
  options: {
    to: { type: 'string', describe: 'the agent who should take it next (claim --next prefers it for them)' },
    force: { type: 'boolean', describe: "hand off someone else's live claim (History says so)" },
  },
  examples: [
    ['$0 task handoff 1 "Auth logic done. Remaining: tests and docs. See auth_service.rb"', 'hand off to anyone'],
    ['$0 task handoff 1 "Ready for review" --to reviewer-bot', 'hand off to one agent'],
  ],
  run: async (args, ctx) => {
    const text = checkText(await textArgument(args.note, ctx), 'handoff note');
    const to = args.to === undefined ? undefined : checkAuthor(args.to, '--to');
    // Where the work is, as git knows it now (asked before the task's lock is taken).
    const current = openWorkspace(ctx).store.read(parseTaskId(args.id)).doc.task;
    const since = current.status === 'in_progress' ? claimedSince(current) : undefined;
    const refs = await fileReferences(ctx.dir, ctx.env, since, 'the claim');
    const note = `${text}\n${refs}`;
    return writeTask(ctx, args.id, {
      action: 'handoff',
      actorIsHolder: true,
      endsClaim: { verb: 'hand off', force: args.force === true, retry: handoffAgain(String(args.id), text, to) },
      change: ({ doc }, act) => handoff(doc.task, act, note, to),
      message: ({ task }) => `Handed off #${task.id}${to ? ` to ${to}` : ''}; it is ready for the next agent`,
    });
  },
});

/** The handoff again, for the refusal to suggest; a note of several lines is piped in again. */
function handoffAgain(id: string, note: string, to: string | undefined): string[] {
  return ['task', 'handoff', id, note.includes('\n') ? '-' : note, ...(to ? ['--to', to] : [])];
}
