// `hzl merge-driver %O %A %B %P`: git calls it to merge two versions of a task file.
// It reads the three given files (git runs drivers at the top of the worktree; no .hzl/ lookup),
// writes the result over %A, and exits 0 when clean, 1 when a clash is left in the file.

import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { decodeBytes, encodeText } from '../core/bytes.js';
import { MergeConflictError, type TaskMerge, mergeTasks } from '../core/merge.js';
import type { Entry } from '../core/task.js';
import { printable } from '../core/validate.js';
import { type TaskDoc, parseTaskFile, renderTaskFile, taskFileBytes } from '../format/task-file.js';
import { mergeFiles, mergeTexts } from '../git/merge-file.js';
import { defineCommand } from './spec.js';

interface Args {
  base: string;
  ours: string;
  theirs: string;
  path?: string;
}

export const mergeDriverCommand = defineCommand<Args>({
  command: 'merge-driver <base> <ours> <theirs> [path]',
  describe: 'Called by git to merge two versions of a task file (registered by hzl init)',
  positionals: {
    base: 'the common ancestor (%O; empty when both sides added the file)',
    ours: 'our version (%A); the result is written here',
    theirs: 'their version (%B)',
    path: 'the file name in the repository (%P), for messages',
  },
  examples: [['$0 merge-driver %O %A %B %P', 'what `hzl init` puts in merge.hzl.driver; git fills in the files']],
  run: (args, ctx) => {
    const at = (p: string) => resolve(ctx.dir, p);
    const name = args.path ?? args.ours;
    const read = (p: string) => decodeBytes(readFileSync(at(p)));
    const texts = { base: read(args.base), ours: read(args.ours), theirs: read(args.theirs) };
    const docs = parseSides(texts, name);
    const done = { kind: 'merge-driver', json: { file: name } };

    if (!docs) {
      // A side hzl cannot read (hand-edited, conflict markers): git's line merge, so nothing is lost.
      const merged = mergeFiles(at(args.base), at(args.ours), at(args.theirs));
      writeFileSync(at(args.ours), encodeText(merged.text));
      if (!merged.clean) {
        throw new MergeConflictError(
          `${printable(name)}: not a task file hzl can merge; conflict markers left for you to resolve`,
        );
      }
      return done;
    }

    const { base, ours, theirs } = docs;
    const result = mergeTasks(
      base?.task,
      ours.task,
      theirs.task,
      { base: base?.extra, ours: ours.extra, theirs: theirs.extra },
      mergeTexts,
    );
    const merged = renderMerge(result, [ours, theirs]);
    writeFileSync(at(args.ours), taskFileBytes(merged.text, merged.from));
    if (result.descriptionClash) {
      throw new MergeConflictError(
        `${printable(name)}: both sides changed the same lines of task #${result.task.id}'s description; ` +
          'resolve the conflict markers there, then git add the file',
      );
    }
    const note = result.conflicts.length
      ? `${printable(name)}: both sides changed ${result.conflicts.join(', ')}; ` +
        "kept the later side's value (History records the other)"
      : undefined;
    return { ...done, ...(note ? { message: note } : {}) };
  },
});

/**
 * The merged file. When it only appends to one side's sections and keeps that side's unknown
 * keys, that side's file is edited in place (its comments and layout stay, as in any hzl write);
 * otherwise the canonical form. `from` is the file whose line endings the result keeps.
 */
function renderMerge(result: TaskMerge, sides: [TaskDoc, TaskDoc]): { text: string; from: TaskDoc } {
  const startsWith = (list: Entry[], prefix: Entry[]) =>
    JSON.stringify(list.slice(0, prefix.length)) === JSON.stringify(prefix);
  for (const doc of sides) {
    const appendsOnly =
      startsWith(result.task.checkpoints, doc.task.checkpoints) && startsWith(result.task.history, doc.task.history);
    if (appendsOnly && JSON.stringify(doc.extra) === JSON.stringify(result.extra)) {
      return { text: renderTaskFile(result.task, doc), from: doc };
    }
  }
  return { text: renderTaskFile(result.task, undefined, result.extra), from: sides[0] };
}

/**
 * The three sides parsed, or undefined when one does not parse, or when both sides added a file
 * of the same name for two different tasks (no base, different `created`): a line merge then
 * shows both instead of fusing them into one task.
 */
function parseSides(texts: { base: string; ours: string; theirs: string }, name: string) {
  const parse = (text: string): TaskDoc | undefined => {
    try {
      return parseTaskFile(text, name);
    } catch {
      return undefined; // whatever the reason, the line merge below keeps every line
    }
  };
  const ours = parse(texts.ours);
  const theirs = parse(texts.theirs);
  const base = texts.base.trim() === '' ? undefined : parse(texts.base);
  if (!ours || !theirs || (texts.base.trim() !== '' && !base)) return undefined;
  if (!base && (ours.task.created !== theirs.task.created || ours.task.id !== theirs.task.id)) return undefined;
  return { base, ours, theirs };
}
