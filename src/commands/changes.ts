// `hzl changes [BASE]`: what happened to tasks on this branch since its merge-base with BASE —
// created, claimed, checkpoints, handoffs, completed — as Markdown for a pull request, or JSON.
// Reads committed task files from git objects (src/git/changes.ts), never the checkout.

import { type TaskChange, summarizeChanges, taskChange } from '../core/changes.js';
import { InvalidDataError } from '../core/errors.js';
import type { Task } from '../core/task.js';
import { parseTaskFile } from '../format/task-file.js';
import { readTaskHistoryRange } from '../git/changes.js';
import { renderChangesMarkdown } from '../output/changes.js';
import { entryJson } from '../output/json.js';
import { openProject } from '../store/project.js';
import { defineCommand } from './spec.js';

interface Args {
  base?: string;
}

export const changesCommand = defineCommand<Args>({
  command: 'changes [base]',
  describe: 'What happened to tasks on this branch since it left BASE, as Markdown for a pull request',
  positionals: {
    base: 'branch, tag or commit to compare with (default: the upstream if another branch, else main or master)',
  },
  examples: [
    ['$0 changes main', 'tasks created, claimed, checkpointed, handed off and completed since main'],
    ['$0 changes | gh pr create --body-file -', 'open a pull request that tells the story'],
    ['$0 changes origin/main --json', 'the same as data'],
  ],
  run: async (args, ctx) => {
    const project = openProject(ctx.dir);
    const range = await readTaskHistoryRange(
      project.root,
      args.base === undefined ? undefined : String(args.base),
      ctx.env,
    );
    const warnings: string[] = [];
    const changes: Array<TaskChange & { file: string }> = [];
    for (const file of range.files) {
      const parse = (text: string | undefined, commit: string): Task | undefined | null => {
        if (text === undefined) return undefined;
        try {
          return parseTaskFile(text, `${file.path} (at ${commit.slice(0, 7)})`).task;
        } catch (err) {
          if (!(err instanceof InvalidDataError)) throw err;
          warnings.push(`skipped ${err.message}`);
          return null;
        }
      };
      const before = parse(file.before, range.mergeBase);
      const after = parse(file.after, range.head);
      if (before === null || after === null) continue;
      const change = taskChange(before, after);
      if (change) changes.push({ ...change, file: file.path });
    }
    changes.sort((a, b) => a.id - b.id || a.file.localeCompare(b.file));
    if (range.uncommitted)
      warnings.push('task files have uncommitted changes, which are not included: commit them to list them here');
    const summary = summarizeChanges(changes);
    const since = `since ${range.base} (merge-base ${range.mergeBase.slice(0, 7)})`;
    return {
      kind: 'changes',
      json: {
        base: range.base,
        base_commit: range.baseCommit,
        merge_base: range.mergeBase,
        head: range.head,
        summary,
        tasks: changes.map((c) => ({
          id: c.id,
          title: c.title,
          status: c.status,
          author: c.author ?? null,
          file: c.file,
          created: c.created,
          removed: c.removed,
          events: c.events.map((e) => ({ ...entryJson(e), kind: e.kind })),
        })),
      },
      text: changes.length
        ? renderChangesMarkdown(changes, summary, { base: range.base, mergeBase: range.mergeBase })
        : '',
      ...(changes.length === 0 ? { message: `No task changes on this branch ${since}.` } : {}),
      warnings,
    };
  },
});
