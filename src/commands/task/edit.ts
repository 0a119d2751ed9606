// `hzl task edit N`: the task file in $VISUAL or $EDITOR, as `git commit` opens its message. The
// edit is made on a copy and checked when the editor exits: a file that would not parse is never
// saved. On a terminal hzl offers to open it again; otherwise the copy is kept and named.

import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConflictError, HzlError, InvalidDataError, UsageError } from '../../core/errors.js';
import { decodeBytes } from '../../core/bytes.js';
import { parseTaskId } from '../../core/validate.js';
import { parseTaskFile } from '../../format/task-file.js';
import { writeFileAtomic } from '../../store/atomic.js';
import { refuseWritesDuringRebase } from '../../store/write-guard.js';
import { resolveActor } from '../actor.js';
import { commitIfAsked, describeChange } from '../commit-mode.js';
import { type Ctx, openWorkspace } from '../context.js';
import { defineCommand } from '../spec.js';

interface Args {
  id: string;
}

/** $VISUAL, else $EDITOR, else vi: a command line run by the shell, the file as its last word. */
function editorOf(env: NodeJS.ProcessEnv): string {
  return env.VISUAL || env.EDITOR || 'vi';
}

function runEditor(ctx: Ctx, editor: string, file: string): void {
  const { spawnSync } = process.getBuiltinModule('node:child_process'); // not at start-up: ~1.6 ms
  const r = spawnSync('sh', ['-c', `${editor} "$1"`, 'sh', file], { stdio: 'inherit', env: ctx.env });
  if (r.error || r.status !== 0) {
    throw new UsageError(
      `the editor '${editor}' did not finish cleanly (exit ${r.status ?? r.error?.message}); ` +
        `nothing was saved; the copy is ${file}`,
    );
  }
}

/** On a terminal: "open it again?"; anything but n/no is yes. */
function askAgain(ctx: Ctx, problem: string): boolean {
  if (!ctx.io.stdout.isTTY || !process.stdin.isTTY) return false;
  ctx.io.stderr.write(`hzl: ${problem}\nOpen the editor again to fix it? [Y/n] `);
  const buffer = Buffer.alloc(256);
  let answer = '';
  try {
    const { readSync } = process.getBuiltinModule('node:fs');
    answer = buffer
      .subarray(0, readSync(0, buffer, 0, buffer.length, null))
      .toString('utf8')
      .trim();
  } catch {
    return false;
  }
  return !/^n(o)?$/i.test(answer);
}

export const editCommand = defineCommand<Args>({
  command: 'edit <id>',
  describe: 'Edit a task file in $VISUAL or $EDITOR; a broken edit is never saved',
  positionals: { id: 'task id, like 1 or #1' },
  examples: [
    ['$0 task edit 3', 'fix a description or a hand-typed checkpoint'],
    ['EDITOR="code --wait" $0 task edit 3', 'in another editor'],
  ],
  run: async (args, ctx) => {
    const id = parseTaskId(args.id);
    const ws = openWorkspace(ctx);
    refuseWritesDuringRebase(ws.project, ctx.env); // before the editor: an edit must not be refused after it
    const start = ws.store.read(id);
    const original = readFileSync(start.path);
    const folder = join(ws.project.stateDir, 'edits');
    mkdirSync(folder, { recursive: true });
    const copy = join(folder, `${id}-${process.pid}-${Date.now()}.md`);
    writeFileSync(copy, original);
    const editor = editorOf(ctx.env);
    for (;;) {
      runEditor(ctx, editor, copy);
      const edited = readFileSync(copy);
      if (edited.equals(original)) {
        rmSync(copy, { force: true });
        return { kind: 'task-edit', json: { id, changed: false }, message: `No change to #${id}` };
      }
      let problem: string | undefined;
      try {
        const doc = parseTaskFile(decodeBytes(edited), start.file);
        if (doc.task.id !== id) {
          problem =
            `${start.file}: the id must stay ${id} (found ${doc.task.id}); ` +
            "change the id with 'hzl doctor --fix' instead";
        }
      } catch (err) {
        if (!(err instanceof InvalidDataError)) throw err;
        problem = err.message;
      }
      if (problem === undefined) {
        try {
          ws.store.withTaskLock(id, () => {
            // Another command may have written the task while the editor was open: never overwrite it.
            if (!readFileSync(start.path).equals(original))
              throw new ConflictError(`task #${id} changed while you were editing it`);
            writeFileAtomic(start.path, edited, start.file);
          });
        } catch (err) {
          if (err instanceof HzlError)
            err.message = `${err.message}; your edit is kept in ${copy}: apply it again by hand`;
          throw err;
        }
        rmSync(copy, { force: true });
        const before = parseTaskFile(decodeBytes(original), start.file).task;
        const after = parseTaskFile(decodeBytes(edited), start.file).task;
        const change = {
          ...describeChange('edit', before, after, decodeBytes(original)),
          detail: 'edited by hand (hzl task edit)',
        };
        const committed = await commitIfAsked(ctx, ws.project, [start.path], {
          ...change,
          ...(change.actor ? {} : { actor: await resolveActor(ctx, ws.project) }),
        });
        return {
          kind: 'task-edit',
          json: { id, changed: true, file: start.file, commit: committed.commit },
          message: [`Saved #${id} (${start.file})`, committed.message].filter(Boolean).join('\n'),
          ...(committed.warning ? { warnings: [committed.warning] } : {}),
        };
      }
      if (!askAgain(ctx, problem)) {
        throw new InvalidDataError(
          `${problem}; not saved: your edit is kept in ${copy} ('hzl task edit ${id}' starts again from the task)`,
        );
      }
    }
  },
});
