// The simple front-matter reader (src/format/fast-frontmatter.ts) against the full parser it
// stands in for: wherever it gives an answer, gray-matter with hzl's js-yaml engine gives the same
// cut and the same data, key order and types included. Generated files are seeded: a failure names
// its seed and replays the same way every run.

import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import matter from 'gray-matter';
import { describe, expect, it } from 'vitest';
import { STAMP, isStamp, toStamp } from '../src/core/time.js';
import { readSimpleFrontMatter } from '../src/format/fast-frontmatter.js';
import { KEY_ORDER } from '../src/format/frontmatter.js';
import { parseTaskFile, renderTaskFile } from '../src/format/task-file.js';
import { dumpYamlEntry, loadYaml } from '../src/format/yaml.js';
import { hzl, tempRepo } from './helpers.js';

const ENGINE = { engines: { yaml: { parse: (t: string) => (loadYaml(t) ?? {}) as object, stringify: () => '' } } };

/** What the full parser makes of `text`: gray-matter's cut and data, or the error it throws. */
function fullRead(text: string): { matter: string; data: unknown } | { error: string } {
  try {
    const m = matter(text, ENGINE);
    return { matter: m.matter, data: m.data };
  } catch (err) {
    return { error: String(err) };
  }
}

/** The normalisation parseTaskFile does before cutting the front-matter. */
function normalised(input: string): string {
  const text = input.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  return text.endsWith('\n') ? text : `${text}\n`;
}

function expectSameRead(text: string, label: string): boolean {
  const fast = readSimpleFrontMatter(text);
  if (!fast) return false;
  const full = fullRead(text);
  expect(full, label).not.toHaveProperty('error');
  expect(fast.matter, label).toBe((full as { matter: string }).matter);
  expect(fast.data, label).toStrictEqual((full as { data: unknown }).data);
  expect(Object.keys(fast.data), label).toEqual(Object.keys((full as { data: object }).data));
  return true;
}

function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CHARS = [
  ...'aZmq09 _-.,:#\'"\\[]{}&*!|>%@`?~/+=()',
  '\t',
  '\r',
  'é',
  '日本',
  '😀',
  '\u00a0',
  '\u0085',
  '\u2028',
  '\ufeff',
  '\ufffd',
  '\u0007',
];
const WORDS = [
  'null',
  'Null',
  'NULL',
  '~',
  'true',
  'False',
  'yes',
  'on',
  '42',
  '-3',
  '+1',
  '007',
  '0',
  '-0',
  '0x1F',
  '0o17',
  '0b11',
  '1_000',
  '1e3',
  '1.5',
  '.inf',
  '-.inf',
  '.nan',
  '123456789012345678',
  '2024-01-15',
  '2024-01-15T10:30:00Z',
  '2024-1-5',
  '12:30',
  '-',
  '',
  ' a',
  'a ',
  'a: b',
  'a #b',
  'a#b',
  'x:',
  'a  b',
  "don't",
  'Fix the login bug',
  'auth',
  '&anchor',
  '*alias',
  '!tag x',
  '|',
  '>',
  '%x',
  '@x',
  '? x',
  '- x',
];

function text(rnd: () => number): string {
  if (rnd() < 0.4) return WORDS[Math.floor(rnd() * WORDS.length)]!;
  let s = '';
  const n = Math.floor(rnd() * 12);
  for (let i = 0; i < n; i++) s += rnd() < 0.5 ? CHARS[Math.floor(rnd() * CHARS.length)] : 'abc'[i % 3];
  return s;
}

function scalar(rnd: () => number): unknown {
  const r = rnd();
  if (r < 0.2) return Math.floor(rnd() * 2000) - 5;
  return text(rnd);
}

/** One front-matter line (or two) for `key`, in one of the forms hzl or a person might write. */
function line(rnd: () => number, key: string): string {
  const form = Math.floor(rnd() * 10);
  const s = text(rnd);
  const list = () => Array.from({ length: Math.floor(rnd() * 4) }, () => scalar(rnd));
  switch (form) {
    case 0:
    case 1:
      return dumpYamlEntry(key, scalar(rnd));
    case 2:
      return dumpYamlEntry(key, list());
    case 3:
      return `${key}: ${s}\n`;
    case 4:
      return `${key}: '${s.replaceAll("'", "''")}'\n`;
    case 5:
      return `${key}: "${s}"\n`;
    case 6:
      return `${key}: [${list()
        .map(String)
        .join(rnd() < 0.7 ? ', ' : ',')}]\n`;
    case 7:
      return `${key}:${rnd() < 0.5 ? '  ' : ''}${s}\n`;
    case 8:
      return rnd() < 0.5 ? `# ${s}\n` : `\n`;
    default:
      return rnd() < 0.5 ? `${key}:\n  - ${s}\n` : `${s}: ${s}\n`;
  }
}

function generatedFile(seed: number): string {
  const rnd = random(seed);
  const keys = [...KEY_ORDER, 'extra_key', '__proto__'];
  let fm = '';
  const n = 1 + Math.floor(rnd() * 8);
  for (let i = 0; i < n; i++) fm += line(rnd, keys[Math.floor(rnd() * keys.length)]!);
  const eol = rnd() < 0.2 ? '\r\n' : '\n';
  const bom = rnd() < 0.1 ? '\uFEFF' : '';
  return `${bom}---\n${fm}---\n\nBody\n`.replaceAll('\n', eol);
}

describe('the simple front-matter reader', () => {
  it('reads every generated file it answers for exactly as the full parser does', () => {
    let answered = 0;
    const seeds = 6000;
    for (let seed = 1; seed <= seeds; seed++) {
      if (expectSameRead(normalised(generatedFile(seed)), `seed ${seed}`)) answered++;
    }
    // Not a test that cannot fail: it must answer for a good share of them, and not for all.
    expect(answered).toBeGreaterThan(seeds / 20);
    expect(answered).toBeLessThan(seeds);
  });

  it('reads every generated single line it answers for exactly as the full parser does', () => {
    let answered = 0;
    const seeds = 20000;
    for (let seed = 1; seed <= seeds; seed++) {
      const rnd = random(seed);
      const key = KEY_ORDER[Math.floor(rnd() * KEY_ORDER.length)]!;
      if (expectSameRead(normalised(`---\n${line(rnd, key)}---\n`), `seed ${seed}`)) answered++;
    }
    expect(answered).toBeGreaterThan(seeds / 5);
    expect(answered).toBeLessThan(seeds);
  });

  it('answers for the files hzl writes, with odd titles, tags and every field', () => {
    const titles = [
      'Fix the login bug',
      'Fix: the login bug',
      "It's 10 o'clock",
      '  spaces  ',
      '42',
      'null',
      'a # not a comment',
      'Ünïcödé 日本語',
      '"quoted"',
      'trailing:',
    ];
    for (const [i, title] of titles.entries()) {
      const task = {
        id: i + 1,
        title,
        status: 'in_progress' as const,
        priority: 2,
        author: 'claude-code',
        handoff_to: 'codex',
        tags: ['auth', 'back-end', 'v2'],
        depends_on: [3, 40],
        parent: 7,
        lease_until: '2024-01-15T16:20:00Z',
        created: '2024-01-15T09:58:00Z',
        updated: '2024-01-15T10:30:00Z',
        description: 'Some text.',
        checkpoints: [],
        history: [],
      };
      const file = renderTaskFile(task);
      expect(expectSameRead(normalised(file), title), title).toBe(true);
      expect(parseTaskFile(file, 'x.md').task.title).toBe(title);
      const empty = renderTaskFile({ ...task, tags: [], depends_on: [] });
      expect(expectSameRead(normalised(empty), title), title).toBe(true);
    }
  });

  it('leaves what it does not handle exactly to the full parser', () => {
    const cases = [
      'title: a # comment',
      'title: "a\\tb"',
      'title: |\n  block',
      'title: &a x\nauthor: *a',
      'tags: [a, [b]]',
      'tags: [a, b, ]',
      'tags: [a,b]',
      'title:  two spaces',
      'title: x\ntitle: y',
      'unknown: x',
      'priority: 1.5',
      'priority: 007',
      'title: true',
      'title: ~',
      'title: x ',
      '# comment',
      '',
    ];
    for (const fm of cases) {
      expect(readSimpleFrontMatter(`---\n${fm}\n---\n`), fm).toBeUndefined();
    }
  });

  it('gives the tasks in the fixtures the same front-matter as the full parser', () => {
    for (const name of ['hzl-readme-v1.md', 'session-handoffs.md']) {
      const text = normalised(readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8'));
      const fast = readSimpleFrontMatter(text);
      if (fast) expectSameRead(text, name);
    }
  });

  it('keeps a title a hand-written comment shortens, through the CLI', () => {
    const dir = tempRepo();
    hzl(dir, ['task', 'add', 'Placeholder']);
    const path = join(dir, '.hzl/tasks/1-placeholder.md');
    const file = readFileSync(path, 'utf8').replace(/^title: .*$/m, "title: Real title # said 'later'");
    writeFileSync(path, file);
    const listed = hzl(dir, ['task', 'list', '--json']);
    expect(listed.status).toBe(0);
    expect(JSON.parse(listed.stdout).tasks[0].title).toBe('Real title');
  });
});

describe('isStamp', () => {
  /** The check it replaces: a Date round trip. */
  const byDate = (value: string) => {
    if (!STAMP.test(value)) return false;
    const time = Date.parse(value);
    try {
      return !Number.isNaN(time) && toStamp(new Date(time)) === value;
    } catch {
      return false; // 9999-12-31T24:00:00Z: past the last stamp, where the old check threw
    }
  };

  it('accepts exactly the stamps a Date round trip accepts', () => {
    const years = ['0000', '0004', '0100', '1582', '1900', '1970', '2000', '2023', '2024', '2100', '2400', '9999'];
    const two = (n: number) => String(n).padStart(2, '0');
    let checked = 0;
    for (const year of years) {
      for (let month = 0; month <= 13; month++) {
        for (let day = 0; day <= 32; day++) {
          const date = `${year}-${two(month)}-${two(day)}`;
          for (const time of ['00:00:00', '23:59:59', '24:00:00', '12:60:00', '12:00:60', '99:99:99']) {
            const stamp = `${date}T${time}Z`;
            expect(isStamp(stamp), stamp).toBe(byDate(stamp));
            checked++;
          }
        }
      }
    }
    for (const odd of ['2024-01-15T10:30:00', '2024-01-15 10:30:00Z', '2024-1-15T10:30:00Z', '', 'x']) {
      expect(isStamp(odd), odd).toBe(false);
    }
    expect(isStamp(20240115)).toBe(false);
    expect(checked).toBeGreaterThan(30_000);
  });
});

describe('a time just past the last stamp in a task file', () => {
  it('is invalid data naming the field, not a usage error', () => {
    const dir = tempRepo();
    hzl(dir, ['task', 'add', 'Placeholder']);
    const path = join(dir, '.hzl/tasks/1-placeholder.md');
    writeFileSync(path, readFileSync(path, 'utf8').replace(/^updated: .*$/m, 'updated: 9999-12-31T24:00:00Z'));
    const shown = hzl(dir, ['task', 'show', '1']);
    expect(shown.stderr).toMatch(/'updated' must be a UTC time/);
    expect(shown.status).toBe(5);
  });
});

describe('a cold listing of more files than one read batch', () => {
  it('lists every task as a warm listing does, and says why the unreadable ones are', () => {
    const dir = tempRepo();
    hzl(dir, ['task', 'add', 'Template', '--tags', 'a,b', '--priority', '2']);
    const tasks = join(dir, '.hzl/tasks');
    const template = readFileSync(join(tasks, '1-template.md'), 'utf8');
    for (let id = 2; id <= 600; id++) {
      const text = template.replace(/^id: 1$/m, `id: ${id}`).replace(/^title: .*$/m, `title: Task number ${id}`);
      writeFileSync(join(tasks, `${id}-task.md`), text);
    }
    rmSync(join(tasks, '300-task.md'));
    mkdirSync(join(tasks, '300-task.md'));
    rmSync(join(tasks, '500-task.md'));
    symlinkSync(join(tasks, '1-template.md'), join(tasks, '500-task.md'));
    writeFileSync(join(tasks, '550-task.md'), 'no front-matter\n');
    const cold = hzl(dir, ['task', 'list', '--json']);
    expect(cold.stderr).toMatch(/300-task\.md:1: is not a regular file/);
    expect(cold.stderr).toMatch(/500-task\.md:1: is not a regular file/);
    expect(cold.stderr).toMatch(/550-task\.md:1: a task file starts with a '---' line/);
    const ids = JSON.parse(cold.stdout).tasks.map((t: { id: number }) => t.id);
    expect(ids).toHaveLength(597);
    expect(ids).not.toContain(550);
    const warm = hzl(dir, ['task', 'list', '--json']);
    expect(warm.stdout).toBe(cold.stdout);
    expect(warm.stderr).toBe(cold.stderr);
  });
});
