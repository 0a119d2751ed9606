// `hzl doctor [--fix] [--ci]`: what merges and hand edits can leave behind, and what a clone lacks.
// The checks (doctor-*.ts) return findings; this file runs them, prints them and picks the exit code.

import { InvalidDataError, UsageError } from '../core/errors.js';
import { type Finding, notesOf, problemJson, problemsOf, unfixed } from '../core/findings.js';
import { visible } from '../output/visible.js';
import { findGit } from '../store/project.js';
import { refuseWritesDuringRebase } from '../store/write-guard.js';
import { explicitActor } from './actor.js';
import { commitIfAsked } from './commit-mode.js';
import { type Ctx, openWorkspace } from './context.js';
import { taskFileFindings, visitOf } from './doctor-checks.js';
import { ciReport } from './doctor-ci.js';
import { cloneFindings } from './doctor-clone.js';
import { linkedPathFindings } from './doctor-links.js';
import { orphanTempFiles } from './doctor-temp-files.js';
import { defineCommand } from './spec.js';

interface Args {
  fix?: boolean;
  ci?: boolean;
}

export const doctorCommand = defineCommand<Args>({
  command: 'doctor',
  describe:
    'Check task files and this clone: malformed files, duplicate ids, conflict markers, links, claims, merge driver',
  options: {
    fix: { type: 'boolean', describe: 'repair what can be repaired safely (duplicate ids, file names, merge driver)' },
    ci: {
      type: 'boolean',
      describe: 'for pull request checks: only the task files, no fixes, GitHub annotations under GitHub Actions',
    },
  },
  examples: [
    ['$0 doctor', 'report problems; exit 5 if there are any'],
    ['$0 doctor --fix', 'renumber duplicated ids, rename mismatched files, register the merge driver'],
    ['$0 doctor --ci', 'in a pull request check: one line per problem in the task files, exit 5 on any'],
  ],
  run: async (args, ctx) => {
    // Links on hzl's own paths stop doctor before it reads anything through them.
    const linked = linkedPathFindings(ctx);
    if (linked.length) failWith(ctx, { ci: args.ci }, linked);
    const ws = openWorkspace(ctx);
    const fix = args.fix === true;
    if (fix && args.ci) throw new UsageError('--ci only checks: drop --fix, or run hzl doctor --fix outside CI');
    if (fix) refuseWritesDuringRebase(ws.project, ctx.env);
    const actor = (fix ? explicitActor(ctx) : undefined) ?? 'hzl-doctor'; // checked before any fix writes
    const git = findGit(ws.project.root);
    const findings = args.ci ? [] : await cloneFindings(git, ws.project.root, fix, ctx.env);
    if (!args.ci) findings.push(...orphanTempFiles(ws.project, fix));
    const visit = visitOf(ctx, ws, git, fix, actor);
    findings.push(...(await taskFileFindings(visit)));

    const detail = { id: 0, action: 'doctor', title: 'fixed task files', actor, detail: 'fixed task files' };
    const committed = visit.touched.length
      ? await commitIfAsked(ctx, ws.project, visit.touched, detail)
      : { commit: null };
    if (unfixed(findings).length) failWith(ctx, args, findings);
    const fixed = problemsOf(findings).length;
    return {
      kind: 'doctor',
      json: { ...doctorJson(findings), commit: committed.commit },
      text: report(findings),
      message: fixed ? `Fixed ${fixed} problem${fixed > 1 ? 's' : ''}.` : 'No problems found.',
    };
  },
});

/** With problems left, the report still goes out before the error line (and exit 5). */
function failWith(ctx: Ctx, args: Args, findings: Finding[]): never {
  const open = unfixed(findings).length;
  const left = args.fix ? ' that --fix could not repair' : '';
  if (ctx.json)
    ctx.io.stdout.write(`${JSON.stringify({ schemaVersion: 1, kind: 'doctor', ...doctorJson(findings) }, null, 2)}\n`);
  else ctx.io.stdout.write(args.ci ? ciReport(findings, ctx.env) : report(findings));
  throw new InvalidDataError(`${open} problem${open > 1 ? 's' : ''} found${left}: see above`);
}

function doctorJson(findings: Finding[]): { problems: ReturnType<typeof problemJson>[]; notes: string[] } {
  return { problems: problemsOf(findings).map(problemJson), notes: notesOf(findings).map((n) => n.message) };
}

/** Problems first, then notes. Control characters are shown escaped: a report must not drive the terminal. */
function report(findings: Finding[]): string {
  const lines = [
    ...problemsOf(findings).map((p) => `${p.fixed ? 'fixed' : 'problem'}: ${visible(p.message)}`),
    ...notesOf(findings).map((n) => `note: ${visible(n.message)}`),
  ];
  return lines.length ? `${lines.join('\n')}\n` : '';
}
