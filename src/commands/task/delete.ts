// `hzl task delete N`: remove a task file, leaving a tombstone so that its id is never reused.

import { ConflictError } from '../../core/errors.js';
import { shellCommand } from '../../core/shell.js';
import type { Task } from '../../core/task.js';
import { claimOfOther } from '../../core/transitions.js';
import { toStamp } from '../../core/time.js';
import { parseTaskId } from '../../core/validate.js';
import { visible } from '../../output/visible.js';
import { tombstonePath, writeTombstone } from '../../store/tombstones.js';
import type { Project } from '../../store/project.js';
import { explicitActor, resolveActor } from '../actor.js';
import { commitIfAsked } from '../commit-mode.js';
import { type Ctx, openWorkspace } from '../context.js';
import { defineCommand } from '../spec.js';

interface Args {
  id: string;
  force?: boolean;
}

export const deleteCommand = defineCommand<Args>({
  command: 'delete <id>',
  describe: 'Delete a task for good (archive keeps it); its id is never used again',
  positionals: { id: 'task id, like 1 or #1' },
  options: {
    force: { type: 'boolean', describe: 'delete a task that has checkpoints, or that someone holds' },
  },
  examples: [
    ['$0 task delete 7', 'remove a task added by mistake'],
    ['$0 task delete 7 --force', 'even though it has checkpoints'],
  ],
  run: async (args, ctx) => {
    const id = parseTaskId(args.id);
    const ws = openWorkspace(ctx);
    const found = ws.store.read(id);
    const actor = await resolveActor(ctx, ws.project);
    const { title, checkpoints } = ws.store.withTaskLock(id, () => {
      const { doc, path } = ws.store.read(id); // again, under the lock
      const task = doc.task;
      if (!args.force && task.checkpoints.length > 0) {
        throw new ConflictError(
          `task #${id} has ${task.checkpoints.length} checkpoint(s) that would go with it; ` +
            `pass --force to delete them too, or keep them with: ${archiveAgain(ctx, ws.project, task)}`,
        );
      }
      if (!args.force && task.status === 'in_progress' && task.author && task.author !== actor) {
        throw new ConflictError(`task #${id} is held by ${task.author}; pass --force to delete it anyway`);
      }
      writeTombstone(ws.project, {
        id,
        title: task.title,
        deleted: toStamp(ctx.now()),
        by: actor,
        checkpoints: task.checkpoints.length,
      });
      ws.store.removeFile(path);
      return { title: task.title, checkpoints: task.checkpoints.length };
    });
    const committed = await commitIfAsked(ctx, ws.project, [found.path, tombstonePath(ws.project, id)], {
      id,
      action: 'delete',
      title,
      actor,
      detail: `deleted (${checkpoints} checkpoint(s)); tombstone in .hzl/deleted/${id}.yml`,
    });
    return {
      kind: 'task-deleted',
      json: { id, title, file: found.file, tombstone: `.hzl/deleted/${id}.yml`, commit: committed.commit },
      message: [`Deleted #${id}: ${visible(title)} (its id stays taken: .hzl/deleted/${id}.yml)`, committed.message]
        .filter(Boolean)
        .join('\n'),
      ...(committed.warning ? { warnings: [committed.warning] } : {}),
    };
  },
});

/** The archive that keeps a task's checkpoints, as this actor may run it (someone else's live claim needs --force). */
function archiveAgain(ctx: Ctx, project: Project, task: Task): string {
  const named = explicitActor(ctx) ?? project.config.author;
  const other = named === undefined ? undefined : claimOfOther(task, named, ctx.now());
  return shellCommand([
    'hzl',
    'task',
    'archive',
    String(task.id),
    ...(other?.live ? ['--author', named!, '--force'] : []),
  ]);
}
