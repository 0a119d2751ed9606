// Smaller shapes: doctor's findings, History as typed events, one sanitiser, one "ago".
// Each refactor is pinned here through the CLI (what users see) and through the pure functions.

import { readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { problem, problemJson, unfixed } from '../src/core/findings.js';
import { sectionLineFindings } from '../src/commands/doctor-lines.js';
import { clearMismatchedClaim, doubleClaim } from '../src/core/health.js';
import { historyEntry, historyEvent, parseHistoryText, renderHistoryText } from '../src/core/history.js';
import { historyDetail, historyKind } from '../src/core/changes.js';
import { claimedSince } from '../src/core/transitions.js';
import type { Task } from '../src/core/task.js';
import { CONTROL, oneLineRecord, printable, visible, withoutControls } from '../src/core/printable.js';
import { ago, roughSpan } from '../src/core/time.js';
import { printable as validatePrintable } from '../src/core/validate.js';
import { visible as outputVisible } from '../src/output/visible.js';
import { age } from '../src/ui/model.js';
import { ROOT, hzl, readTask, taskFile, tempDir, tempRepo, runInProcess } from './helpers.js';

runInProcess();

const AT = (iso: string, author = 'agent') => ({ env: { HZL_NOW: iso, HZL_AUTHOR: author } });

function task(fields: Partial<Task>): Task {
  const base: Task = {
    id: 1,
    title: 'T',
    status: 'ready',
    priority: 2,
    tags: [],
    depends_on: [],
    created: '2024-01-01T10:00:00Z',
    updated: '2024-01-01T10:00:00Z',
    description: '',
    checkpoints: [],
    history: [],
  } as unknown as Task;
  return { ...base, ...fields };
}

describe('doctor findings', () => {
  it('a problem is listed in JSON as code, message, file, line (when known), fixed; severity stays inside', () => {
    const f = problem('malformed-line', '.hzl/tasks/1-a.md:7: bad', { file: '.hzl/tasks/1-a.md', line: 7 });
    expect(Object.keys(problemJson(f))).toEqual(['code', 'message', 'file', 'line', 'fixed']);
    expect(problemJson(problem('cycle', 'tasks #1 → #2'))).toEqual({
      code: 'cycle',
      message: 'tasks #1 → #2',
      fixed: false,
    });
    expect(unfixed([f, problem('x', 'y', {}, true)])).toEqual([f]);
  });

  it('doctor --json: problems as objects, notes as their lines, in the order of the checks', () => {
    const repo = tempRepo();
    hzl(repo, ['task', 'add', 'Leased'], AT('2024-01-01T10:00:00Z'));
    expect(hzl(repo, ['task', 'claim', '1', '--lease', '1h'], AT('2024-01-01T10:00:00Z')).status).toBe(0);
    hzl(repo, ['task', 'add', 'Dangling', '--depends-on', '1'], AT('2024-01-01T10:00:00Z'));
    writeFileSync(taskFile(repo, 2), readTask(repo, 2).replace('depends_on: [1]', 'depends_on: [9]'));
    const r = hzl(repo, ['doctor', '--json'], AT('2024-01-02T10:00:00Z'));
    expect(r.status).toBe(5);
    const doc = JSON.parse(r.stdout);
    expect(doc.problems).toEqual([
      {
        code: 'dangling-link',
        message: "task #2: depends_on names #9, which does not exist: 'hzl task update 2 --depends-on …' to fix it",
        fixed: false,
      },
    ]);
    expect(doc.notes).toEqual(["task #1: agent's lease expired at 2024-01-01 11:00 (hzl task stuck)"]);
  });

  it('doctor --ci reports links on hzl paths like every other problem: annotations under GitHub Actions', () => {
    const repo = tempRepo();
    const outside = tempDir();
    rmSync(join(repo, '.hzl/tasks'), { recursive: true });
    symlinkSync(outside, join(repo, '.hzl/tasks'));
    const r = hzl(repo, ['doctor', '--ci'], { env: { GITHUB_ACTIONS: 'true' } });
    expect(r.status).toBe(5);
    expect(r.stdout).toMatch(/^::error file=\.hzl\/tasks,title=hzl linked-path::\.hzl\/tasks is a symbolic link; /);
    expect(r.stderr).toBe('hzl: 1 problem found: see above\n');
  });

  it('a line finding names its file and line, apart from its message', () => {
    const text = [
      '---',
      'id: 1',
      'title: A',
      'status: ready',
      '---',
      '',
      '## History',
      '',
      '- [2024-01-01T10:00:00Z] ana: created (ready)',
      '- [yesterday] ana: x',
      '',
    ].join('\n');
    const [found] = sectionLineFindings([{ file: '.hzl/tasks/1-a.md', text }]);
    expect(found).toMatchObject({ severity: 'problem', file: '.hzl/tasks/1-a.md', line: 10, fixed: false });
    expect(found!.message).toMatch(/^\.hzl\/tasks\/1-a\.md:10: /);
  });

  it('the claim repair is pure: clears only what can go, with one History line, else returns the task itself', () => {
    const act = { actor: 'doc', now: new Date('2024-01-02T00:00:00Z') };
    const leftover = task({ status: 'ready', author: 'ana', lease_until: '2024-01-01T12:00:00Z' });
    const fixed = clearMismatchedClaim(leftover, act);
    expect(fixed.author).toBeUndefined();
    expect(fixed.lease_until).toBeUndefined();
    expect(fixed.history).toEqual([
      {
        at: '2024-01-02T00:00:00Z',
        author: 'doc',
        text: 'cleared author ana and the lease: the task is ready, not in progress (hzl doctor)',
      },
    ]);
    const fine = task({ status: 'in_progress', author: 'ana' });
    expect(clearMismatchedClaim(fine, act)).toBe(fine);
  });
});

describe('History as typed events', () => {
  /** The History lines of a task file, as text. */
  const historyLines = (file: string) => file.split('## History\n')[1]!.split('\n## ')[0]!.trim().split('\n');

  it('every transition writes the line it always wrote, and each reads back as its kind', () => {
    const repo = tempRepo();
    const t = (iso: string, author = 'ana') => AT(`2024-01-01T${iso}Z`, author);
    const steps: Array<[string[], ReturnType<typeof t>]> = [
      [['task', 'add', 'Life'], t('10:00:00')],
      [['task', 'claim', '1', '--lease', '2h'], t('10:01:00')],
      [['task', 'claim', '1', '--lease', '3h'], t('10:02:00')],
      [['task', 'block', '1', '--reason', 'waiting'], t('10:03:00')],
      [['task', 'unblock', '1'], t('10:04:00')],
      [['task', 'steal', '1', '--force', '--lease', '1h'], t('10:05:00', 'bo')],
      [['task', 'handoff', '1', 'over to cy', '--to', 'cy'], t('10:06:00', 'bo')],
      [['task', 'claim', '1'], t('10:07:00', 'cy')],
      [['task', 'release', '1'], t('10:08:00', 'cy')],
      [['task', 'update', '1', '--title', 'Life 2', '-p', '1'], t('10:09:00')],
      [['task', 'complete', '1'], t('10:10:00')],
      [['task', 'reopen', '1'], t('10:11:00')],
      [['task', 'archive', '1'], t('10:12:00')],
    ];
    for (const [args, opts] of steps) expect({ args, ...hzl(repo, args, opts) }).toMatchObject({ args, status: 0 });
    const lines = historyLines(readTask(repo, 1));
    expect(lines).toEqual([
      '- [2024-01-01T10:00:00Z] ana: created (ready)',
      '- [2024-01-01T10:01:00Z] ana: claimed (ready → in_progress, lease 2h)',
      '- [2024-01-01T10:02:00Z] ana: claim renewed (lease 3h)',
      '- [2024-01-01T10:03:00Z] ana: blocked (in_progress → blocked)',
      '- [2024-01-01T10:04:00Z] ana: unblocked (blocked → in_progress)',
      '- [2024-01-01T10:05:00Z] bo: stole claim from ana (forced, lease 1h)',
      '- [2024-01-01T10:06:00Z] bo: handed off (in_progress → ready, to cy)',
      '- [2024-01-01T10:07:00Z] cy: claimed (ready → in_progress, lease 2h)',
      '- [2024-01-01T10:08:00Z] cy: released (in_progress → ready)',
      '- [2024-01-01T10:09:00Z] ana: updated title (was: Life); priority 0 → 1',
      '- [2024-01-01T10:10:00Z] ana: completed (ready → done)',
      '- [2024-01-01T10:11:00Z] ana: reopened (done → ready)',
      '- [2024-01-01T10:12:00Z] ana: archived (ready → archived)',
    ]);
    const kinds = lines.map((l) => parseHistoryText(l.replace(/^- \[[^\]]+\] [^:]+: /, '')).kind);
    expect(kinds).toEqual([
      'created',
      'claimed',
      'renewed',
      'blocked',
      'unblocked',
      'stolen',
      'handoff',
      'claimed',
      'released',
      'updated',
      'completed',
      'reopened',
      'archived',
    ]);
  });

  it('renders back byte for byte what it parsed; unknown prose is an other event, whole', () => {
    const texts = [
      'created (ready)',
      'claimed (ready → in_progress, lease 2h)',
      'claim renewed (lease 3h)',
      'stole claim from ana (lease expired, lease 2h)',
      'handed off (in_progress → ready, to cy)',
      'renumbered from #3 (the same id came from another clone)',
      'cleared author ana and the lease: the task is ready, not in progress (hzl doctor)',
      'merge kept author bo (from the later side); the other side had ana',
      'completed',
      'Decided by hand to park this',
      'claimedby hand, no verb',
      '',
    ];
    for (const text of texts) {
      const { kind, details } = parseHistoryText(text);
      expect({ text, back: renderHistoryText(kind, details) }).toEqual({ text, back: text });
    }
    expect(parseHistoryText('Decided by hand to park this')).toEqual({
      kind: 'other',
      details: 'Decided by hand to park this',
    });
    expect(parseHistoryText('claimedby hand, no verb').kind).toBe('other');
    const entry = { at: '2024-01-01T10:00:00Z', author: 'ana', text: 'blocked (ready → blocked)' };
    expect(historyEvent(entry)).toEqual({ at: entry.at, actor: 'ana', kind: 'blocked', details: '(ready → blocked)' });
    expect(historyEntry(historyEvent(entry))).toEqual(entry);
  });

  it('text after the details (who ran it, a forced claim) stays in the details and changes no kind', () => {
    expect(parseHistoryText('completed (in_progress → done) (run by bo)')).toEqual({
      kind: 'completed',
      details: '(in_progress → done) (run by bo)',
    });
    expect(parseHistoryText('released (in_progress → ready) (claim of ana, --force)').kind).toBe('released');
    const h = (at: string, author: string, text: string) => ({ at: `2024-01-01T${at}Z`, author, text });
    const handedBack = task({
      status: 'in_progress',
      author: 'cy',
      history: [
        h('10:00:00', 'ana', 'claimed (ready → in_progress, lease 2h)'),
        h('10:01:00', 'bo', 'released (in_progress → ready) (claim of ana, --force)'),
        h('10:02:00', 'cy', 'claimed (ready → in_progress, lease 2h) (run by dee)'),
      ],
    });
    expect(doubleClaim(handedBack)).toBeUndefined();
    expect(claimedSince(handedBack)).toBe('2024-01-01T10:02:00Z');
  });

  it('hzl changes reads the same events: kinds it names, and the rest as noted with the whole line', () => {
    expect(historyKind('claim renewed (lease 3h)')).toBe('renewed');
    expect(historyDetail('claim renewed (lease 3h)')).toBe('(lease 3h)');
    expect(historyKind('renumbered from #3 (the same id came from another clone)')).toBe('other');
    expect(historyDetail('renumbered from #3 (x)')).toBe('renumbered from #3 (x)');
    expect(historyKind('merge kept author bo (from the later side); the other side had ana')).toBe('other');
  });
});

describe('one sanitiser', () => {
  it('is one function wherever it is imported from', () => {
    expect(outputVisible).toBe(visible);
    expect(validatePrintable).toBe(printable);
  });

  it('input in a message shows each character as file text shows it, and the invisible ones too', () => {
    expect(printable('a\u001b[2Jb')).toBe(visible('a\u001b[2Jb'));
    expect(printable('a\u001b[2Jb\u0007\n')).toBe('a\\e[2Jb\\x07\\n');
    expect(printable('ali\u200bce\u00a0\u{e0001}')).toBe('ali\\u200bce\\u00a0\\u{e0001}');
    expect(printable('x'.repeat(50))).toBe(`${'x'.repeat(40)}…`);
  });

  it('a History value keeps the \\uNNNN form; a commit subject and a completion replace controls', () => {
    expect(oneLineRecord('b\nc\td\u0007\ud800\u2028')).toBe('b\\u000ac\\u0009d\\u0007\\ud800\\u2028');
    expect(withoutControls('a\tb\nc\u009b\u2029', '?')).toBe('a?b?c??');
    expect(withoutControls('a\tb\nc', '?', { keepNewlines: true })).toBe('a?b\nc');
  });

  it('no other source file spells out a control-character range', () => {
    const sources = (dir: string): string[] =>
      readdirSync(dir).flatMap((n) =>
        statSync(join(dir, n)).isDirectory() ? sources(join(dir, n)) : /\.tsx?$/.test(n) ? [join(dir, n)] : [],
      );
    const spelled = /\\u0000-\\u00[01]|\\x00-\\x1f|\\u007f-\\u009f|\\p\{Cc\}/;
    const found = sources(join(ROOT, 'src'))
      .filter((path) => spelled.test(readFileSync(path, 'utf8')))
      .map((path) => path.slice(ROOT.length));
    expect(found).toEqual(['src/core/printable.ts']);
  });

  it('a handoff names changed files with control or bidi characters escaped, so the task stays clean', () => {
    const repo = tempRepo();
    hzl(repo, ['task', 'add', 'T'], AT('2024-01-01T10:00:00Z', 'ana'));
    hzl(repo, ['task', 'claim', '1'], AT('2024-01-01T10:00:00Z', 'ana'));
    writeFileSync(join(repo, 'a\u0085b.txt'), '');
    writeFileSync(join(repo, 'c\u202ed.txt'), '');
    expect(hzl(repo, ['task', 'handoff', '1', 'done'], AT('2024-01-01T10:01:00Z', 'ana')).status).toBe(0);
    const files = readTask(repo, 1)
      .split('\n')
      .find((l) => l.includes('Files:'))!;
    expect(files).toContain('"a\\u0085b.txt"');
    expect(files).toContain('"c\\u202ed.txt"');
    expect(CONTROL.test(files)).toBe(false);
    const doctor = hzl(repo, ['doctor'], AT('2024-01-01T10:02:00Z'));
    expect(doctor.stdout).not.toMatch(/control character/);
  });
});

describe('one "ago"', () => {
  it('says a span as people do, from seconds to years', () => {
    const s = 1000;
    const m = 60 * s;
    const h = 60 * m;
    const d = 24 * h;
    const spans: Array<[number, string]> = [
      [40 * s, '40s'],
      [25 * m, '25m'],
      [3 * h, '3h'],
      [47 * h, '47h'],
      [2 * d, '2d'],
      [13 * d, '13d'],
      [15 * d, '2w'],
      [59 * d, '8w'],
      [61 * d, '2mo'],
      [400 * d, '1y'],
    ];
    expect(spans.map(([ms]) => roughSpan(ms))).toEqual(spans.map(([, text]) => text));
  });

  it('the board card and the lease notes use it', () => {
    const now = new Date('2024-02-01T00:00:00Z');
    expect(ago('2024-01-31T23:59:30Z', now)).toBe('now');
    expect(age('2024-01-31T23:59:30Z', now)).toBe('now');
    expect(age('2024-01-15T00:00:00Z', now)).toBe(roughSpan(17 * 86_400_000));
    expect(ago('not a time', now)).toBe('?');
  });

  it('task show says a lease that ran out weeks ago in weeks, as the board would', () => {
    const repo = tempRepo();
    hzl(repo, ['task', 'add', 'T'], AT('2024-01-01T10:00:00Z'));
    hzl(repo, ['task', 'claim', '1', '--lease', '1h'], AT('2024-01-01T10:00:00Z'));
    const show = hzl(repo, ['task', 'show', '1'], AT('2024-01-22T11:00:00Z'));
    expect(show.stdout).toMatch(/\(expired 3w ago\)/);
  });
});
