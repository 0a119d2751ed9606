// `hzl doctor [--fix]`: what merges and hand edits can leave behind, and what a clone lacks.

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { hzlCommandLine } from '../bundles.js';
import { claimMismatch, conflictMarkerLine, danglingLinks, doubleClaim, expiredLeases, mentionsOf } from '../core/health.js';
import type { Task } from '../core/task.js';
import { compareStamps, displayTime } from '../core/time.js';
import { withHistory } from '../core/transitions.js';
import { InvalidDataError } from '../core/errors.js';
import { mergeDriverState, registerMergeDriver } from '../git/config.js';
import { highestIdInHistory } from '../git/ids.js';
import { writeFileAtomic } from '../store/atomic.js';
import { initProject } from '../store/init.js';
import { findGit } from '../store/project.js';
import { GITATTRIBUTES_LINES } from '../format/templates.js';
import { existsSync, readFileSync } from 'node:fs';
import { commitIfAsked } from './commit-mode.js';
import { reportLinkedPaths } from './doctor-links.js';
import { visible } from '../output/visible.js';
import { type Ctx, openWorkspace } from './context.js';
import { defineCommand } from './spec.js';

interface Args {
  fix?: boolean;
}

interface Finding {
  code: string;
  message: string;
  file?: string;
  fixed: boolean;
}

export const doctorCommand = defineCommand<Args>({
  command: 'doctor',
  describe: 'Check task files and this clone: malformed files, duplicate ids, conflict markers, links, claims, merge driver',
  options: { fix: { type: 'boolean', describe: 'repair what can be repaired safely (duplicate ids, file names, merge driver)' } },
  examples: [
    ['$0 doctor', 'report problems; exit 5 if there are any'],
    ['$0 doctor --fix', 'renumber duplicated ids, rename mismatched files, register the merge driver'],
  ],
  run: async (args, ctx) => {
    reportLinkedPaths(ctx);
    const ws = openWorkspace(ctx);
    const fix = args.fix === true;
    const problems: Finding[] = [];
    const notes: string[] = [];
    const touched: string[] = [];
    const actor = ctx.author ?? ctx.env.HZL_AUTHOR ?? 'hzl-doctor';
    const at = ctx.now();

    // The clone: merge driver and .gitattributes.
    const git = findGit(ws.project.root);
    if (git) {
      const attributes = join(git.worktreeRoot, '.gitattributes');
      const lines = existsSync(attributes) ? readFileSync(attributes, 'utf8').split('\n').map((l) => l.trim()) : [];
      const missing = GITATTRIBUTES_LINES.filter((l) => !lines.includes(l));
      const driver = await mergeDriverState(git.worktreeRoot, ctx.env);
      if (driver.state !== 'registered' || missing.length) {
        const what = [
          driver.state === 'missing' ? 'the hzl merge driver is not registered in this clone' : '',
          driver.state === 'broken' ? `the registered merge driver points at a missing program (${driver.command})` : '',
          missing.length ? `.gitattributes lacks ${missing.map((l) => `'${l}'`).join(', ')}` : '',
        ].filter(Boolean);
        if (fix) {
          initProject(ws.project.root);
          await registerMergeDriver(git.worktreeRoot, hzlCommandLine(), ctx.env);
        }
        problems.push({ code: 'merge-driver', message: `${what.join('; ')}: run 'hzl init' (or hzl doctor --fix)`, fixed: fix });
      }
    }

    const files = ws.store.inspect();
    // Files that do not parse, or whose text still has conflict markers.
    for (const f of files) {
      const marker = f.text === undefined ? undefined : conflictMarkerLine(f.text);
      if (marker !== undefined) {
        problems.push({ code: 'conflict-markers', file: f.file, message: `${f.file}:${marker}: conflict markers left by a merge: edit the file to keep what is right, then run hzl doctor again`, fixed: false });
      } else if (f.error && !(f.doc && f.doc.task.id !== f.nameId)) {
        problems.push({ code: 'malformed', file: f.file, message: f.error.message, fixed: false });
      }
    }

    // A file whose name says another id than its front-matter.
    const parsed = files.filter((f) => f.doc !== undefined);
    const idsTaken = new Set(files.map((f) => f.nameId));
    for (const f of parsed) {
      const id = f.doc!.task.id;
      if (id === f.nameId) continue;
      const target = join(ws.project.tasksDir, f.name.replace(/^\d+/, String(id)));
      const canFix = fix && !idsTaken.has(id);
      if (canFix) {
        writeFileAtomic(target, f.doc!.source.text);
        rmSync(f.path);
        touched.push(target, f.path);
        idsTaken.add(id);
      }
      problems.push({
        code: 'name-mismatch',
        file: f.file,
        message: `${f.file}: its id is ${id} but its name says ${f.nameId}${canFix ? `; renamed to ${f.name.replace(/^\d+/, String(id))}` : idsTaken.has(id) && fix ? '; not renamed: another file has that number' : ": run 'hzl doctor --fix'"}`,
        fixed: canFix,
      });
    }

    // The same id twice (separate clones merged): keep the earlier-created, renumber the others.
    const byId = new Map<number, typeof parsed>();
    for (const f of parsed) byId.set(f.doc!.task.id, [...(byId.get(f.doc!.task.id) ?? []), f]);
    const seen = fix && git ? await highestIdInHistory(git, ws.project.tasksDir, ws.project.stateDir, ctx.env) : 0;
    for (const [id, group] of byId) {
      if (group.length < 2) continue;
      group.sort((a, b) => compareStamps(a.doc!.task.created, b.doc!.task.created) || a.name.localeCompare(b.name));
      const [kept, ...later] = group;
      for (const f of later) {
        if (!fix) {
          problems.push({ code: 'duplicate-id', file: f.file, message: `${f.file}: id ${id} is also used by ${kept!.file}: run 'hzl doctor --fix' to renumber the later one`, fixed: false });
          continue;
        }
        const slug = f.name.replace(/^\d+-?/, '').replace(/\.md$/, '');
        const moved = ws.store.renumber(
          f.path,
          (newId): Task => withHistory({ ...f.doc!.task, id: newId }, { actor, now: at }, `renumbered from #${id} (the same id came from another clone)`),
          slug,
          seen,
        );
        touched.push(moved.path, f.path);
        problems.push({ code: 'duplicate-id', file: f.file, message: `${f.file}: id ${id} was also used by ${kept!.file}; renumbered to #${moved.doc.task.id} (${moved.file})`, fixed: true });
        for (const other of parsed) {
          if (other === f) continue;
          const where = mentionsOf(other.doc!.task, id);
          if (where.length) notes.push(`#${other.doc!.task.id} mentions #${id} (${where.join(', ')}): check whether it meant '${f.doc!.task.title}', now #${moved.doc.task.id}`);
        }
      }
    }

    const tasks = parsed.map((f) => f.doc!.task);
    for (const d of danglingLinks(tasks)) {
      problems.push({ code: 'dangling-link', message: `task #${d.id}: ${d.field} names #${d.target}, which does not exist: 'hzl task update ${d.id} --${d.field === 'parent' ? 'parent' : 'depends-on'} …' to fix it`, fixed: false });
    }
    for (const t of tasks) {
      const pair = doubleClaim(t);
      if (pair) {
        problems.push({ code: 'double-claim', message: `task #${t.id} was claimed by both ${pair[0]} and ${pair[1]} (branches merged): agree who keeps it, then 'hzl task release ${t.id}' or 'hzl task steal ${t.id} --force'`, fixed: false });
      }
    }
    // Claim fields that disagree with the status. Only a file that alone holds its id (and whose
    // name says that id) is fixed by id: others wait until the checks above are sorted out.
    const filesPerId = new Map<number, number>();
    for (const f of files) filesPerId.set(f.nameId, (filesPerId.get(f.nameId) ?? 0) + 1);
    for (const f of parsed) {
      const t = f.doc!.task;
      const mismatch = claimMismatch(t);
      if (!mismatch) continue;
      const status = t.status.replace('_', ' ');
      const names = mismatch.clear.map((field) => (field === 'author' ? `author ${t.author}` : 'a lease'));
      const what = mismatch.clear.length === 0 ? `is ${status} but has no author` : `is ${status} but ${mismatch.clear[0] === 'author' ? 'names' : 'has'} ${names.join(' and ')}`;
      if (f.nameId !== t.id || filesPerId.get(t.id) !== 1 || touched.includes(f.path)) {
        problems.push({ code: 'claim-fields', file: f.file, message: `${f.file} ${what}: once its id is its own (see above), run 'hzl doctor' again`, fixed: false });
        continue;
      }
      if (mismatch.clear.length === 0) {
        const message = `task #${t.id} ${what}: 'hzl task release ${t.id}', or 'hzl task steal ${t.id} --force --author NAME'`;
        problems.push({ code: 'claim-fields', file: f.file, message, fixed: false });
        continue;
      }
      if (!fix) {
        const claimIt = mismatch.clear.includes('author') ? ` (or 'hzl task claim ${t.id} --author ${t.author}', if ${t.author} is on it)` : '';
        const verb = mismatch.clear.length > 1 ? 'clears them' : mismatch.clear[0] === 'author' ? 'clears it' : 'drops it';
        problems.push({ code: 'claim-fields', file: f.file, message: `task #${t.id} ${what}: 'hzl doctor --fix' ${verb}${claimIt}`, fixed: false });
        continue;
      }
      const result = await ws.store.update(t.id, ({ doc }) => {
        const now = claimMismatch(doc.task); // re-read under the lock: only what is still wrong
        if (!now?.clear.length) return doc.task;
        const next: Task = { ...doc.task };
        for (const field of now.clear) delete next[field];
        const cleared = now.clear.map((field) => (field === 'author' ? `author ${doc.task.author}` : 'the lease'));
        return withHistory(next, { actor, now: at }, `cleared ${cleared.join(' and ')}: the task is ${status}, not in progress (hzl doctor)`);
      });
      if (result.changed) touched.push(result.before.path);
      problems.push({
        code: 'claim-fields',
        file: f.file,
        message: `task #${t.id} ${what}${result.changed ? ': cleared' : ': changed meanwhile, left as it is now'}`,
        fixed: result.changed,
      });
    }
    for (const t of expiredLeases(tasks, at)) notes.push(`task #${t.id}: ${t.author}'s lease expired at ${displayTime(t.lease_until!)} (hzl task stuck)`);

    const committed = touched.length ? await commitIfAsked(ctx, ws.project, touched, 0, 'doctor', 'fixed task files') : { commit: null };
    const open = problems.filter((p) => !p.fixed);
    if (open.length) {
      const err = new InvalidDataError(`${open.length} problem${open.length > 1 ? 's' : ''} found${fix ? ' that --fix could not repair' : ''}: see above`);
      printReport(ctx, problems, notes);
      throw err;
    }
    return {
      kind: 'doctor',
      json: { problems, notes, commit: committed.commit },
      text: report(problems, notes),
      message: problems.length ? `Fixed ${problems.length} problem${problems.length > 1 ? 's' : ''}.` : 'No problems found.',
    };
  },
});

function report(problems: Finding[], notes: string[]): string {
  const lines = [
    ...problems.map((p) => `${p.fixed ? 'fixed' : 'problem'}: ${visible(p.message)}`),
    ...notes.map((n) => `note: ${visible(n)}`),
  ];
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** With problems left, the report still goes out before the error line (and exit 5). */
function printReport(ctx: Ctx, problems: Finding[], notes: string[]): void {
  if (ctx.json) ctx.io.stdout.write(`${JSON.stringify({ schemaVersion: 1, kind: 'doctor', problems, notes }, null, 2)}\n`);
  else ctx.io.stdout.write(report(problems, notes));
}
