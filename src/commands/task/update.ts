import { NotFoundError, UsageError } from '../../core/errors.js';
import { type FieldChanges, checkLinks, updateFields } from '../../core/update.js';
import { checkText, checkTitle, parsePriority, parseTags, parseTaskId, parseTaskIds } from '../../core/validate.js';
import type { TaskStore } from '../../store/task-store.js';
import { defineCommand } from '../spec.js';
import { writeTask } from './write.js';

interface Args {
  id: string;
  title?: string;
  description?: string;
  priority?: string;
  tags?: string;
  addTag?: string;
  removeTag?: string;
  dependsOn?: string;
  parent?: string;
}

function linksOf(store: TaskStore, pick: 'depends_on' | 'parent') {
  return (id: number): number[] => {
    const task = store.find(id);
    if (!task) return [];
    return pick === 'parent' ? (task.parent ? [task.parent] : []) : task.depends_on;
  };
}

export const updateCommand = defineCommand<Args>({
  command: 'update <id>',
  describe: "Change a task's title, description, priority, tags, dependencies or parent",
  positionals: {
    id: 'task id, like 1 or #1',
  },
  options: {
    title: { type: 'string', describe: 'new title (the file name stays)' },
    description: { alias: 'd', type: 'string', describe: 'new description' },
    priority: { alias: 'p', type: 'string', describe: '0-3, higher is more urgent' },
    tags: { alias: 't', type: 'string', describe: 'replace the tags, like auth,backend ("" clears)' },
    'add-tag': { type: 'string', describe: 'add tags, like urgent' },
    'remove-tag': { type: 'string', describe: 'remove tags' },
    'depends-on': { type: 'string', describe: 'replace the dependencies, like 3,4 ("" clears)' },
    parent: { type: 'string', describe: 'parent task id ("" clears)' },
  },
  examples: [
    ['$0 task update 1 --priority 3 --add-tag urgent', 'raise the priority'],
    ['$0 task update 4 --depends-on 2,3', 'task 4 waits for 2 and 3'],
  ],
  run: (args, ctx) => {
    const changes: FieldChanges = {};
    if (args.title !== undefined) changes.title = checkTitle(args.title);
    if (args.description !== undefined)
      changes.description = checkText(args.description, 'description', { allowEmpty: true });
    if (args.priority !== undefined) changes.priority = parsePriority(args.priority);
    if (args.tags !== undefined) changes.tags = parseTags(args.tags);
    if (args.addTag !== undefined) changes.addTags = parseTags(args.addTag);
    if (args.removeTag !== undefined) changes.removeTags = parseTags(args.removeTag);
    if (args.dependsOn !== undefined) changes.dependsOn = parseTaskIds(args.dependsOn, '--depends-on');
    if (args.parent !== undefined) changes.parent = String(args.parent).trim() === '' ? null : parseTaskId(args.parent);
    if (Object.keys(changes).length === 0) {
      throw new UsageError(
        'nothing to update: pass --title, --description, --priority, --tags, --depends-on or --parent',
      );
    }
    return writeTask(ctx, args.id, {
      action: 'update',
      actorIsHolder: true,
      change: ({ doc }, act, { store }) => {
        const id = doc.task.id;
        for (const other of [...(changes.dependsOn ?? []), ...(changes.parent ? [changes.parent] : [])]) {
          if (other !== id && !store.has(other)) throw new NotFoundError(`task #${other} not found: check the id`);
        }
        if (changes.dependsOn) checkLinks(id, changes.dependsOn, linksOf(store, 'depends_on'), 'dependency');
        if (changes.parent) checkLinks(id, [changes.parent], linksOf(store, 'parent'), 'parent');
        return updateFields(doc.task, changes, act);
      },
      message: ({ task, changed }) => (changed ? `Updated #${task.id}` : `Task #${task.id} already had those values`),
    });
  },
});
