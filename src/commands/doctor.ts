// `hzl doctor [--fix]`: what merges and hand edits can leave behind, and what a clone lacks.
// Each check returns its findings (fixing what it can when asked); the report keeps their order.

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidDataError, UsageError } from '../core/errors.js';
import { claimMismatch, conflictMarkerLine, danglingLinks, doubleClaim, expiredLeases, mentionsOf } from '../core/health.js';
import { MAX_TASK_ID } from '../core/integrity.js';
import type { Task } from '../core/task.js';
import { compareStamps, displayTime } from '../core/time.js';
import { withHistory } from '../core/transitions.js';
import { type TaskDoc, taskFileBytes } from '../format/task-file.js';
import { highestIdInHistory } from '../git/ids.js';
import { writeFileAtomic } from '../store/atomic.js';
import { type GitLocation, findGit } from '../store/project.js';
import type { TaskStore } from '../store/task-store.js';
import { commitIfAsked } from './commit-mode.js';
import { type Ctx, type Workspace, openWorkspace } from './context.js';
import { cloneFindings } from './doctor-clone.js';
import { ciReport } from './doctor-ci.js';
import { agreedRenumber, remoteOf } from './remote-coordination.js';
import { orphanTempFiles } from './doctor-temp-files.js';
import { explicitActor } from './actor.js';
import { refuseWritesDuringRebase } from '../store/write-guard.js';
import { integrityProblems } from './doctor-integrity.js';
import { reportLinkedPaths } from './doctor-links.js';
import { sectionLineFindings } from './doctor-lines.js';
import { visible } from '../output/visible.js';
import { defineCommand } from './spec.js';
import { shellWord } from '../core/shell.js';

interface Args {
  fix?: boolean;
  ci?: boolean;
}

export interface Finding {
  code: string;
  message: string;
  file?: string;
  fixed: boolean;
}

type InspectedFile = ReturnType<TaskStore['inspect']>[number];
type ParsedFile = InspectedFile & { doc: TaskDoc };

/** What every check of the task files is given. A check that writes adds the paths to `touched`. */
interface Visit {
  ctx: Ctx;
  ws: Workspace;
  git: GitLocation | undefined;
  fix: boolean;
  actor: string;
  at: Date;
  files: InspectedFile[];
  parsed: ParsedFile[];
  tasks: Task[];
  notes: string[];
  touched: string[];
}

type Check = (v: Visit) => Finding[] | Promise<Finding[]>;

/** In this order: fixes of names and ids come before the checks that need ids to be settled. */
const CHECKS: Check[] = [
  fileTextFindings,
  (v) => sectionLineFindings(v.files, v.notes),
  nameFindings,
  duplicateFindings,
  (v) => danglingFindings(v.tasks),
  (v) => integrityProblems(v.parsed.map((f) => ({ file: f.file, nameId: f.nameId, task: f.doc.task })), v.ws.project.tasksDir, '.hzl/tasks'),
  (v) => doubleClaimFindings(v.tasks),
  claimFieldFindings,
];

export const doctorCommand = defineCommand<Args>({
  command: 'doctor',
  describe: 'Check task files and this clone: malformed files, duplicate ids, conflict markers, links, claims, merge driver',
  options: {
    fix: { type: 'boolean', describe: 'repair what can be repaired safely (duplicate ids, file names, merge driver)' },
    ci: { type: 'boolean', describe: 'for pull request checks: only the task files, no fixes, GitHub annotations under GitHub Actions' },
  },
  examples: [
    ['$0 doctor', 'report problems; exit 5 if there are any'],
    ['$0 doctor --fix', 'renumber duplicated ids, rename mismatched files, register the merge driver'],
    ['$0 doctor --ci', 'in a pull request check: one line per problem in the task files, exit 5 on any'],
  ],
  run: async (args, ctx) => {
    reportLinkedPaths(ctx);
    const ws = openWorkspace(ctx);
    const fix = args.fix === true;
    if (fix && args.ci) throw new UsageError('--ci only checks: drop --fix, or run hzl doctor --fix outside CI');
    if (fix) refuseWritesDuringRebase(ws.project, ctx.env);
    const actor = (fix ? explicitActor(ctx) : undefined) ?? 'hzl-doctor'; // checked before any fix writes
    const git = findGit(ws.project.root);
    const problems = args.ci ? [] : await cloneFindings(git, ws.project.root, fix, ctx.env);
    if (!args.ci) problems.push(...orphanTempFiles(ws.project, fix));
    const files = ws.store.inspect();
    const parsed = files.filter((f): f is ParsedFile => f.doc !== undefined);
    const v: Visit = { ctx, ws, git, fix, actor, at: ctx.now(), files, parsed, tasks: parsed.map((f) => f.doc.task), notes: [], touched: [] };
    for (const check of CHECKS) problems.push(...(await check(v)));
    const { notes, touched } = v;
    for (const t of expiredLeases(v.tasks, v.at)) notes.push(`task #${t.id}: ${t.author}'s lease expired at ${displayTime(t.lease_until!)} (hzl task stuck)`);

    const committed = touched.length ? await commitIfAsked(ctx, ws.project, touched, { id: 0, action: 'doctor', title: 'fixed task files', actor, detail: 'fixed task files' }) : { commit: null };
    const open = problems.filter((p) => !p.fixed);
    if (open.length) {
      const err = new InvalidDataError(`${open.length} problem${open.length > 1 ? 's' : ''} found${fix ? ' that --fix could not repair' : ''}: see above`);
      if (args.ci && !ctx.json) ctx.io.stdout.write(ciReport(open, ctx.env, visible));
      else printReport(ctx, problems, notes);
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

/** Files that do not parse, or whose text still has conflict markers. */
function fileTextFindings({ files }: Visit): Finding[] {
  const out: Finding[] = [];
  for (const f of files) {
    const marker = f.text === undefined ? undefined : conflictMarkerLine(f.text);
    if (marker !== undefined) {
      out.push({ code: 'conflict-markers', file: f.file, message: `${f.file}:${marker}: conflict markers left by a merge: while the merge is unfinished, redo it with the hzl driver (git checkout -m -- ${f.file}); else edit the file to keep both sides; then run hzl doctor again`, fixed: false });
    } else if (f.error && !(f.doc && f.doc.task.id !== f.nameId)) {
      out.push({ code: 'malformed', file: f.file, message: f.error.message, fixed: false });
    }
  }
  return out;
}

/** A file whose name says another id than its front-matter; --fix renames it when the id is free. */
function nameFindings({ ws, fix, files, parsed, touched }: Visit): Finding[] {
  const out: Finding[] = [];
  const idsTaken = new Set(files.map((f) => f.nameId));
  for (const f of parsed) {
    const id = f.doc.task.id;
    if (id === f.nameId || id > MAX_TASK_ID) continue; // an id beyond 9 digits: see integrityProblems
    const target = join(ws.project.tasksDir, f.name.replace(/^\d+/, String(id)));
    const canFix = fix && !idsTaken.has(id);
    if (canFix) {
      writeFileAtomic(target, taskFileBytes(f.doc.source.text, f.doc));
      rmSync(f.path);
      touched.push(target, f.path);
      idsTaken.add(id);
    }
    out.push({
      code: 'name-mismatch',
      file: f.file,
      message: `${f.file}: its id is ${id} but its name says ${f.nameId}${canFix ? `; renamed to ${f.name.replace(/^\d+/, String(id))}` : idsTaken.has(id) && fix ? '; not renamed: another file has that number' : ": run 'hzl doctor --fix'"}`,
      fixed: canFix,
    });
  }
  return out;
}

/** The same id twice (separate clones merged): --fix keeps the earlier-created, renumbers the others. */
async function duplicateFindings({ ctx, ws, git, fix, actor, at, parsed, notes, touched }: Visit): Promise<Finding[]> {
  const out: Finding[] = [];
  const byId = new Map<number, ParsedFile[]>();
  for (const f of parsed) byId.set(f.doc.task.id, [...(byId.get(f.doc.task.id) ?? []), f]);
  if (![...byId.values()].some((group) => group.length > 1)) return out;
  const seen = fix && git ? await highestIdInHistory(git, ws.project.tasksDir, ws.project.stateDir, ctx.env) : 0;
  const remote = fix ? remoteOf(ws.project, ctx.env) : undefined;
  for (const [id, group] of byId) {
    if (group.length < 2) continue;
    group.sort((a, b) => compareStamps(a.doc.task.created, b.doc.task.created) || a.name.localeCompare(b.name));
    const [kept, ...later] = group;
    for (const f of later) {
      if (!fix) {
        out.push({ code: 'duplicate-id', file: f.file, message: `${f.file}: id ${id} is also used by ${kept!.file}: run 'hzl doctor --fix' to renumber the later one`, fixed: false });
        continue;
      }
      const slug = f.name.replace(/^\d+-?/, '').replace(/\.md$/, '');
      // With a remote, every clone that fixes this duplicate agrees on the same number and line.
      const agreed = remote ? agreedRenumber(remote, ws.project, { oldId: id, created: f.doc.task.created, candidate: ws.store.nextFreeId(seen) }, { actor, at }) : undefined;
      const moved = ws.store.renumber(
        f.path,
        (newId): Task => withHistory({ ...f.doc.task, id: newId }, { actor: agreed?.actor ?? actor, now: agreed?.at ?? at }, `renumbered from #${id} (the same id came from another clone)`),
        slug,
        seen,
        agreed?.id,
      );
      touched.push(moved.path, f.path);
      out.push({ code: 'duplicate-id', file: f.file, message: `${f.file}: id ${id} was also used by ${kept!.file}; renumbered to #${moved.doc.task.id} (${moved.file})`, fixed: true });
      for (const other of parsed) {
        if (other === f) continue;
        const where = mentionsOf(other.doc.task, id);
        if (where.length) notes.push(`#${other.doc.task.id} mentions #${id} (${where.join(', ')}): check whether it meant '${f.doc.task.title}', now #${moved.doc.task.id}`);
      }
    }
  }
  return out;
}

function danglingFindings(tasks: Task[]): Finding[] {
  return danglingLinks(tasks).map((d) => ({
    code: 'dangling-link',
    message: `task #${d.id}: ${d.field} names #${d.target}, which does not exist: 'hzl task update ${d.id} --${d.field === 'parent' ? 'parent' : 'depends-on'} …' to fix it`,
    fixed: false,
  }));
}

function doubleClaimFindings(tasks: Task[]): Finding[] {
  const out: Finding[] = [];
  for (const t of tasks) {
    const pair = doubleClaim(t);
    if (pair) {
      out.push({ code: 'double-claim', message: `task #${t.id} was claimed by both ${pair[0]} and ${pair[1]} (branches merged): agree who keeps it, then 'hzl task release ${t.id}' or 'hzl task steal ${t.id} --force'`, fixed: false });
    }
  }
  return out;
}

/**
 * Claim fields that disagree with the status. Only a file that alone holds its id (and whose
 * name says that id) is fixed by id: others wait until the checks above are sorted out.
 */
async function claimFieldFindings({ ws, fix, actor, at, files, parsed, touched }: Visit): Promise<Finding[]> {
  const out: Finding[] = [];
  const filesPerId = new Map<number, number>();
  for (const f of files) filesPerId.set(f.nameId, (filesPerId.get(f.nameId) ?? 0) + 1);
  for (const f of parsed) {
    const t = f.doc.task;
    const mismatch = claimMismatch(t);
    if (!mismatch) continue;
    const status = t.status.replace('_', ' ');
    const names = mismatch.clear.map((field) => (field === 'author' ? `author ${t.author}` : 'a lease'));
    const what = mismatch.clear.length === 0 ? `is ${status} but has no author` : `is ${status} but ${mismatch.clear[0] === 'author' ? 'names' : 'has'} ${names.join(' and ')}`;
    if (f.nameId !== t.id || filesPerId.get(t.id) !== 1 || touched.includes(f.path)) {
      out.push({ code: 'claim-fields', file: f.file, message: `${f.file} ${what}: once its id is its own (see above), run 'hzl doctor' again`, fixed: false });
      continue;
    }
    if (mismatch.clear.length === 0) {
      const message = `task #${t.id} ${what}: 'hzl task release ${t.id}', or 'hzl task steal ${t.id} --force --author NAME'`;
      out.push({ code: 'claim-fields', file: f.file, message, fixed: false });
      continue;
    }
    if (!fix) {
      const claimIt = mismatch.clear.includes('author') ? ` (or 'hzl task claim ${t.id} --author ${shellWord(t.author ?? '')}', if ${t.author} is on it)` : '';
      const verb = mismatch.clear.length > 1 ? 'clears them' : mismatch.clear[0] === 'author' ? 'clears it' : 'drops it';
      out.push({ code: 'claim-fields', file: f.file, message: `task #${t.id} ${what}: 'hzl doctor --fix' ${verb}${claimIt}`, fixed: false });
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
    out.push({
      code: 'claim-fields',
      file: f.file,
      message: `task #${t.id} ${what}${result.changed ? ': cleared' : ': changed meanwhile, left as it is now'}`,
      fixed: result.changed,
    });
  }
  return out;
}

/** Control characters are shown escaped: a report must not be able to drive the terminal. */
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
