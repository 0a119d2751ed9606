// Unit tests of src/format/: the task file of docs/contract.md. Generated tasks with hostile text prove the
// round trip; hand-written files prove minimal rewrites; broken files prove errors name the line.
// The generator is seeded: a failure names its seed and replays the same way every run.

import { describe, expect, it } from 'vitest';
import { MalformedTaskError } from '../src/core/errors.js';
import { type Entry, MAX_PRIORITY, STATUSES, type Task } from '../src/core/task.js';
import { toStamp } from '../src/core/time.js';
import { checkAuthor, checkText, checkTitle, parseTags } from '../src/core/validate.js';
import { KEY_ORDER } from '../src/format/frontmatter.js';
import { parseTaskFile, renderTaskFile } from '../src/format/task-file.js';

const FILE = '.hzl/tasks/1-task.md';
const SEEDS = 400;
const LATER = '2024-01-16T08:00:00Z';

// ---------------------------------------------------------------------------------------------
// Helpers

/** The example task file of the README, byte for byte. */
const SAMPLE = `---
id: 1
title: Implement user authentication
status: in_progress
priority: 2
author: claude-code
tags: [auth, backend]
depends_on: [3]
lease_until: 2024-01-15T16:20:00Z
created: 2024-01-15T09:58:00Z
updated: 2024-01-15T14:20:00Z
---

Users sign up and log in with email + password. Sessions expire after 24 h.

## History

- [2024-01-15T09:58:00Z] alice: created (ready)
- [2024-01-15T10:00:00Z] claude-code: claimed (ready → in_progress, lease 2h)

## Checkpoints

- [2024-01-15T10:30:00Z] claude-code: Designed schema with users, sessions, tokens tables
- [2024-01-15T11:45:00Z] claude-code: Implemented User model with bcrypt password hashing
- [2024-01-15T14:20:00Z] claude-code: Started on Session model, need to add expiry logic
  (continuation lines of a multi-line checkpoint are indented two spaces)
`;

/** Edited by a person: comments, blank lines, unknown keys, quoting and a block list. */
const HAND_WRITTEN = `---
# Task 7, edited by hand; estimate and links are ours.
id: 7
title: 'Fix login: redirect loop'
status: ready   # triaged on Monday
priority: 1

estimate: 3h
tags:
  - auth
  - web
# for reviewers
links: [https://example.com/issues/7]
created: 2024-01-15T09:58:00Z
updated: 2024-01-15T09:58:00Z
x-review: {by: bob, at: 2024-01-16}
---

Login loops between /login and /home when the session cookie is stale.

## History

- [2024-01-15T09:58:00Z] alice: created (ready)

## Checkpoints
`;

/** The same kind of task with its keys in a person's order rather than hzl's. */
const REORDERED = `---
title: Write API docs
updated: 2024-01-15T09:58:00Z
status: ready
id: 3
created: 2024-01-15T09:58:00Z
priority: 0
---

## History

## Checkpoints
`;

/** A task someone wrote without the two sections. */
const NO_SECTIONS = `---
id: 4
title: Set up CI
status: backlog
priority: 1
created: 2024-01-15T09:58:00Z
updated: 2024-01-15T09:58:00Z
---

Run the tests on every push.

Use the Node 20 image.
`;

function parse(text: string) {
  return parseTaskFile(text, FILE);
}

/** Parses `text`, applies `change` to its task and renders it over the parsed file, as the store does. */
function rewrite(text: string, change: (task: Task) => Task): string {
  const doc = parse(text);
  return renderTaskFile(change(doc.task), doc);
}

/** `text` with whole lines replaced (`null` deletes); every line named must be there exactly once. */
function swapLines(text: string, swaps: Record<string, string | null>): string {
  const lines = text.split('\n');
  for (const [from, to] of Object.entries(swaps)) {
    const at = lines.indexOf(from);
    expect(at, `line '${from}'`).not.toBe(-1);
    expect(lines.lastIndexOf(from), `line '${from}' is not unique`).toBe(at);
    if (to === null) lines.splice(at, 1);
    else lines[at] = to;
  }
  return lines.join('\n');
}

/** Lines removed from `before` and added in `after`, by a longest-common-subsequence diff. */
function lineDiff(before: string, after: string): { removed: string[]; added: string[] } {
  const a = before.split('\n');
  const b = after.split('\n');
  const common: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      common[i]![j] = a[i] === b[j] ? common[i + 1]![j + 1]! + 1 : Math.max(common[i + 1]![j]!, common[i]![j + 1]!);
    }
  }
  const removed: string[] = [];
  const added: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      i++;
      j++;
    } else if (j < b.length && (i === a.length || common[i]![j + 1]! >= common[i + 1]![j]!)) {
      added.push(b[j++]!);
    } else {
      removed.push(a[i++]!);
    }
  }
  return { removed, added };
}

/** The error parsing `text` throws; fails the test when it parses. */
function parseError(text: string): MalformedTaskError {
  try {
    parse(text);
  } catch (err) {
    expect(err).toBeInstanceOf(MalformedTaskError);
    return err as MalformedTaskError;
  }
  throw new Error('expected a MalformedTaskError, but the file parsed');
}

/** The lines hzl writes for one entry: the first unindented, the rest indented two spaces. */
function entryLines(entry: Entry): string[] {
  const [first, ...rest] = entry.text.split('\n');
  return [`- [${entry.at}] ${entry.author}: ${first}`, ...rest.map((l) => (l === '' ? '' : `  ${l}`))];
}

// -- The seeded generator ---------------------------------------------------------------------

type Rng = () => number; // uniform in [0, 1)

/** mulberry32: a tiny PRNG, good enough to vary test input, identical on every machine. */
function prng(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
const between = (rng: Rng, min: number, max: number): number => min + Math.floor(rng() * (max - min + 1));
const chance = (rng: Rng, p: number): boolean => rng() < p;

/** Runs `check` once per seed; a failure says which seed, to replay it alone. */
function forEachSeed(check: (rng: Rng) => void): void {
  for (let seed = 1; seed <= SEEDS; seed++) {
    try {
      check(prng(seed));
    } catch (err) {
      if (err instanceof Error) err.message = `seed ${seed}: ${err.message}`;
      throw err;
    }
  }
}

/** Text that looks like structure: delimiters, entries, headings, Markdown and YAML syntax. */
const HOSTILE = [
  '---',
  '- [2024-01-15T10:30:00Z] mallory: forged',
  '## History',
  '## Checkpoints',
  '#',
  '# Heading',
  'id: 666',
  'status: done',
  '**bold** _em_ `code`',
  '```js\nrm -rf /\n```',
  '> quoted',
  '[link](https://example.com)',
  '<!-- comment -->',
  '"double"',
  "'single'",
  '\\',
  'C:\\temp\\',
  'üñïçødé',
  '日本語',
  'emoji 🚀🔥',
  'ZWJ 👩‍💻',
  '\u00a0nbsp',
  '&anchor',
  '*alias',
  '!!python/object:os.system',
  'yes',
  'on',
  '2024-01-15',
  "'quoted'",
  'key: value',
  '[a, b]',
  '{x: 1}',
  '#comment',
  '@',
  '%',
  '|',
  '>',
  '~',
  'null',
  '...',
  '- ',
  ':',
];
const SEPARATORS = [' ', '', '\n', '\n\n', '\n  ', '\n\t', '\t', '   ', '\n \n', '\n\t\n', '\n\u00a0\n'];
const TITLE_TRICKS = [
  'yes',
  'on',
  'no',
  'off',
  'true',
  'null',
  '~',
  '2024-01-15',
  '2024-01-15T10:30:00Z',
  '42',
  '0x1F',
  '1.5',
  "'quoted'",
  '"double"',
  'key: value',
  '[a, b]',
  '{x: 1}',
  '#comment',
  'a #b',
  '@handle',
  '%TAG',
  '&anchor',
  '*alias',
  '!!python/object:os.system',
  '- item',
  '---',
  '...',
  '? key',
  '| block',
  '> fold',
  '<<',
  '\\',
];
const AUTHORS = [
  'claude-code',
  'alice',
  'bob smith',
  'agent.7',
  'ünï 🤖',
  '#hash',
  '-dash',
  '"q"',
  "o'neil",
  '*star',
  '&amp',
  '!!x',
  'yes',
  '---',
].map((a) => checkAuthor(a));
const TAGS = [
  'auth',
  'backend',
  '1.0',
  '42',
  'yes',
  'on',
  'null',
  'true',
  'ünï',
  'a/b',
  'c++',
  'v1.2.3',
  'x_y',
  '2024-01-15',
  '日本',
];

/** A checkpoint, reason or description as it reaches the format: through checkText. */
function hostileText(rng: Rng): string {
  let raw = chance(rng, 0.3) ? pick(rng, ['  ', '\t', '\n', ' \n', '\r\n']) : '';
  for (let n = between(rng, 1, 6); n > 0; n--) raw += pick(rng, HOSTILE) + pick(rng, SEPARATORS);
  return checkText(raw, 'checkpoint');
}

function hostileTitle(rng: Rng): string {
  if (chance(rng, 0.4)) return checkTitle(pick(rng, TITLE_TRICKS));
  const words = [...TITLE_TRICKS, ...HOSTILE.filter((p) => !p.includes('\n'))];
  const parts = Array.from({ length: between(rng, 1, 5) }, () => pick(rng, words));
  return checkTitle(parts.join(pick(rng, [' ', '', ': ', ' # ', '  '])));
}

function randomStamp(rng: Rng): string {
  const from = Date.UTC(2000, 0, 1);
  const to = Date.UTC(2099, 11, 31);
  return toStamp(new Date(from + Math.floor(rng() * ((to - from) / 1000)) * 1000));
}

function randomEntry(rng: Rng): Entry {
  return { at: randomStamp(rng), author: pick(rng, AUTHORS), text: hostileText(rng) };
}

function randomTask(rng: Rng): Task {
  const task: Task = {
    id: between(rng, 1, 99_999),
    title: hostileTitle(rng),
    status: pick(rng, STATUSES),
    priority: between(rng, 0, MAX_PRIORITY),
    tags: parseTags(TAGS.filter(() => chance(rng, 0.15))),
    depends_on: [...new Set(Array.from({ length: between(rng, 0, 3) }, () => between(rng, 1, 99_999)))],
    created: randomStamp(rng),
    updated: randomStamp(rng),
    description: chance(rng, 0.3) ? '' : checkText(hostileText(rng), 'description', { allowEmpty: true }),
    checkpoints: Array.from({ length: between(rng, 0, 5) }, () => randomEntry(rng)),
    history: Array.from({ length: between(rng, 0, 4) }, () => randomEntry(rng)),
  };
  if (chance(rng, 0.5)) task.author = pick(rng, AUTHORS);
  if (chance(rng, 0.2)) task.handoff_to = pick(rng, AUTHORS);
  if (chance(rng, 0.3)) task.parent = between(rng, 1, 99_999);
  if (chance(rng, 0.4)) task.lease_until = randomStamp(rng);
  return task;
}

/** Front-matter that people and other tools add; `key` and `value` say how it must load. */
const EXTRAS: { yaml: string; key?: string; value?: unknown }[] = [
  { yaml: 'estimate: 3h', key: 'estimate', value: '3h' },
  { yaml: '# a comment hzl must keep' },
  { yaml: '' },
  { yaml: 'sprint: 2024-01-15', key: 'sprint', value: '2024-01-15' },
  { yaml: 'reviewed: yes', key: 'reviewed', value: 'yes' },
  { yaml: "x-owner: 'mallory: forged'  # inline comment", key: 'x-owner', value: 'mallory: forged' },
  { yaml: 'links:\n  - https://example.com/7\n  - "#42"', key: 'links', value: ['https://example.com/7', '#42'] },
  {
    yaml: 'notes: |\n  first line\n\n  --- not a delimiter\n  ## History',
    key: 'notes',
    value: 'first line\n\n--- not a delimiter\n## History\n',
  },
  { yaml: 'meta: {a: 1, b: [x, y]}', key: 'meta', value: { a: 1, b: ['x', 'y'] } },
  { yaml: '"quoted key": null', key: 'quoted key', value: null },
];

/** `text` with a few EXTRAS put before random front-matter keys (or the closing `---`). */
function withExtras(rng: Rng, text: string): { text: string; extra: Record<string, unknown> } {
  const lines = text.split('\n');
  const extra: Record<string, unknown> = {};
  for (let n = between(rng, 1, 4); n > 0; n--) {
    const { yaml, key, value } = pick(rng, EXTRAS);
    if (key !== undefined && key in extra) continue;
    const close = lines.indexOf('---', 1);
    const starts = [close];
    for (let i = 1; i < close; i++) if (/^[\w"'#]/.test(lines[i]!)) starts.push(i);
    lines.splice(pick(rng, starts), 0, ...yaml.split('\n'));
    if (key !== undefined) extra[key] = value;
  }
  return { text: lines.join('\n'), extra };
}

/** One change a command could make: a front-matter key (plus `updated`) or an appended entry. */
function randomEdit(rng: Rng, task: Task): { key: string; next: Task } {
  const next: Task = { ...task, updated: toStamp(new Date(Date.parse(task.updated) + 1000)) };
  const key = pick(rng, [
    'status',
    'priority',
    'tags',
    'author',
    'lease_until',
    'title',
    'depends_on',
    'checkpoints',
    'history',
  ]);
  switch (key) {
    case 'status':
      next.status = pick(
        rng,
        STATUSES.filter((s) => s !== task.status),
      );
      break;
    case 'priority':
      next.priority = (task.priority + 1) % (MAX_PRIORITY + 1);
      break;
    case 'tags':
      next.tags = [...task.tags, 'added-tag'];
      break;
    case 'author':
      if (task.author === undefined) next.author = 'claude-code';
      else delete next.author;
      break;
    case 'lease_until':
      if (task.lease_until === undefined) next.lease_until = randomStamp(rng);
      else delete next.lease_until;
      break;
    case 'title':
      next.title = hostileTitle(rng);
      break;
    case 'depends_on':
      next.depends_on = [...task.depends_on, 100_000];
      break;
    case 'checkpoints':
      next.checkpoints = [...task.checkpoints, randomEntry(rng)];
      break;
    case 'history':
      next.history = [...task.history, randomEntry(rng)];
      break;
  }
  return { key, next };
}

// ---------------------------------------------------------------------------------------------

describe('generated tasks with hostile text', () => {
  it('round-trip byte for byte, with every field, the description and every entry intact', () => {
    forEachSeed((rng) => {
      const task = randomTask(rng);
      const text = renderTaskFile(task);
      const doc = parse(text);
      expect(doc.task).toStrictEqual(task);
      expect(doc.extra).toStrictEqual({});
      expect(renderTaskFile(doc.task)).toBe(text);
      expect(renderTaskFile(doc.task, doc)).toBe(text);
    });
  });

  it('give each entry one unindented line, so no text forges an entry, a key or a section', () => {
    const emptySections = '## History\n\n## Checkpoints\n';
    forEachSeed((rng) => {
      const task = randomTask(rng);
      const text = renderTaskFile(task);
      // The same task without entries: everything before its sections is the front-matter and description.
      const bare = renderTaskFile({ ...task, checkpoints: [], history: [] });
      expect(bare.endsWith(emptySections)).toBe(true);
      const sectionsStart = bare.length - emptySections.length;
      expect(text.slice(0, sectionsStart)).toBe(bare.slice(0, sectionsStart));

      const unindented = text
        .slice(sectionsStart)
        .split('\n')
        .filter((line) => line !== '' && !line.startsWith('  '));
      expect(unindented).toEqual([
        '## History',
        ...task.history.map((e) => entryLines(e)[0]),
        '## Checkpoints',
        ...task.checkpoints.map((e) => entryLines(e)[0]),
      ]);

      const frontMatter = text.slice('---\n'.length, text.indexOf('\n---\n'));
      const keys = frontMatter.split('\n').map((line) => line.slice(0, line.indexOf(':')));
      const present = KEY_ORDER.filter((k) => {
        const value = task[k];
        return value !== undefined && !(Array.isArray(value) && value.length === 0);
      });
      expect(keys).toEqual(present);
      expect(text.endsWith('\n')).toBe(true);
      expect(text).not.toContain('\r');
    });
  });

  it('keep unknown keys and comments, and load them as written', () => {
    forEachSeed((rng) => {
      const task = randomTask(rng);
      const { text, extra } = withExtras(rng, renderTaskFile(task));
      const doc = parse(text);
      expect(doc.task).toStrictEqual(task);
      expect(doc.extra).toStrictEqual(extra);
      expect(renderTaskFile(doc.task, doc)).toBe(text);
    });
  });

  it('change only the edited key and `updated`, or only add the appended entry', () => {
    forEachSeed((rng) => {
      const task = randomTask(rng);
      const written = renderTaskFile(task);
      const { text, extra } = chance(rng, 0.5) ? withExtras(rng, written) : { text: written, extra: {} };
      const { key, next } = randomEdit(rng, task);
      const after = rewrite(text, () => next);

      const doc = parse(after);
      expect(doc.task).toStrictEqual(next);
      expect(doc.extra).toStrictEqual(extra);

      const { removed, added } = lineDiff(text, after);
      const updated = { removed: `updated: ${task.updated}`, added: `updated: ${next.updated}` };
      if (key === 'checkpoints' || key === 'history') {
        const entry = next[key].at(-1)!;
        const firstInSection = task[key].length === 0 ? [''] : [];
        expect(removed).toEqual([updated.removed]);
        expect([...added].sort()).toEqual([updated.added, ...entryLines(entry), ...firstInSection].sort());
      } else {
        const ofKey = (line: string) => line.startsWith(`${key}:`);
        expect(removed.filter((l) => !ofKey(l))).toEqual([updated.removed]);
        expect(added.filter((l) => !ofKey(l))).toEqual([updated.added]);
        expect(removed.filter(ofKey).length).toBeLessThanOrEqual(1);
        expect(added.filter(ofKey).length).toBeLessThanOrEqual(1);
      }
    });
  });
});

describe('reading', () => {
  it('reads the example file of the README into the task it shows', () => {
    expect(parse(SAMPLE).task).toStrictEqual({
      id: 1,
      title: 'Implement user authentication',
      status: 'in_progress',
      priority: 2,
      author: 'claude-code',
      tags: ['auth', 'backend'],
      depends_on: [3],
      lease_until: '2024-01-15T16:20:00Z',
      created: '2024-01-15T09:58:00Z',
      updated: '2024-01-15T14:20:00Z',
      description: 'Users sign up and log in with email + password. Sessions expire after 24 h.',
      checkpoints: [
        {
          at: '2024-01-15T10:30:00Z',
          author: 'claude-code',
          text: 'Designed schema with users, sessions, tokens tables',
        },
        {
          at: '2024-01-15T11:45:00Z',
          author: 'claude-code',
          text: 'Implemented User model with bcrypt password hashing',
        },
        {
          at: '2024-01-15T14:20:00Z',
          author: 'claude-code',
          text:
            'Started on Session model, need to add expiry logic\n' +
            '(continuation lines of a multi-line checkpoint are indented two spaces)',
        },
      ],
      history: [
        { at: '2024-01-15T09:58:00Z', author: 'alice', text: 'created (ready)' },
        { at: '2024-01-15T10:00:00Z', author: 'claude-code', text: 'claimed (ready → in_progress, lease 2h)' },
      ],
    } satisfies Task);
  });

  it('keeps times, dates, yes and on as strings', () => {
    const doc = parse(
      swapLines(SAMPLE, {
        'title: Implement user authentication': 'title: yes',
        'priority: 2': 'priority: 2\nsprint: 2024-01-15\nflag: on\ndone: no\nwhen: 2024-01-15T10:30:00Z',
      }),
    );
    expect(doc.task.title).toBe('yes');
    expect(doc.task.created).toBe('2024-01-15T09:58:00Z');
    expect(doc.task.lease_until).toBe('2024-01-15T16:20:00Z');
    expect(doc.extra).toStrictEqual({ sprint: '2024-01-15', flag: 'on', done: 'no', when: '2024-01-15T10:30:00Z' });
    for (const title of ['on', '2024-01-15', '2024-01-15T10:30:00Z']) {
      expect(parse(swapLines(SAMPLE, { 'title: Implement user authentication': `title: ${title}` })).task.title).toBe(
        title,
      );
    }
  });

  it('writes YAML look-alike titles so that they read back as the same text', () => {
    const lineOf = (title: string) => renderTaskFile({ ...parse(SAMPLE).task, title }).split('\n')[2];
    expect(lineOf('yes')).toBe("title: 'yes'");
    expect(lineOf('key: value')).toBe("title: 'key: value'");
    expect(lineOf("'quoted'")).toBe("title: '''quoted'''");
    expect(lineOf('a #b')).toBe("title: 'a #b'");
    expect(lineOf('x'.repeat(300))).toBe(`title: ${'x'.repeat(300)}`); // never folded
    for (const title of TITLE_TRICKS) {
      expect(parse(renderTaskFile({ ...parse(SAMPLE).task, title })).task.title).toBe(title);
    }
  });

  it('hands every caller its own objects (gray-matter would share one per content)', () => {
    const first = parse(SAMPLE);
    first.task.tags.push('mutated');
    (first.source.data.tags as string[]).push('mutated');
    const second = parse(SAMPLE);
    expect(second.task.tags).toEqual(['auth', 'backend']);
    expect(second.source.data.tags).toEqual(['auth', 'backend']);
  });

  it('keeps a key named __proto__ as an unknown key', () => {
    const text = swapLines(SAMPLE, { 'priority: 2': 'priority: 2\n__proto__: {polluted: 1}' });
    const doc = parse(text);
    expect(Object.keys(doc.extra)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(doc.extra)).toBe(Object.prototype);
    expect(rewrite(text, (t) => ({ ...t, status: 'done' }))).toContain('\n__proto__: {polluted: 1}\n');
  });

  it('reads entries written by hand without blank lines around them', () => {
    const tight = SAMPLE.replace(/\n\n- /g, '\n- ').replace(/\n\n## History/, '\n## History');
    expect(parse(tight).task).toStrictEqual(parse(SAMPLE).task);
  });

  it('keeps whitespace-only lines inside a checkpoint', () => {
    const text = 'line one\n \t\nline three\n\u00a0\n\n  indented';
    const written = renderTaskFile({ ...parse(SAMPLE).task, checkpoints: [{ at: LATER, author: 'bob', text }] });
    expect(parse(written).task.checkpoints[0]!.text).toBe(text);
  });
});

/** Files laid out by hand in ways hzl itself would not write. */
const VARIANTS: [string, string][] = [
  ['the README example', SAMPLE],
  ['comments, blank lines, quoting and unknown keys', HAND_WRITTEN],
  ['keys in a person’s order', REORDERED],
  ['no Checkpoints or History section', NO_SECTIONS],
  ['no blank lines around entries', SAMPLE.replace(/\n\n- /g, '\n- ').replace(/\n\n## History/, '\n## History')],
  ['extra blank lines everywhere', SAMPLE.replace(/\n\n/g, '\n\n\n').replace('---\nid', '---\n\nid')],
  [
    'headers with trailing spaces',
    SAMPLE.replace('## Checkpoints\n', '## Checkpoints  \n').replace('## History\n', '## History\t\n'),
  ],
  ['a description right after the front-matter', SAMPLE.replace('---\n\nUsers', '---\nUsers')],
  [
    'quoted and block-style values',
    SAMPLE.replace('status: in_progress', 'status: "in_progress"').replace(
      'tags: [auth, backend]',
      'tags:\n  - auth\n  - "backend"',
    ),
  ],
];

describe('unchanged files', () => {
  it.each(VARIANTS)('%s: renders to the same bytes', (_name, text) => {
    const doc = parse(text);
    expect(doc.source.text).toBe(text);
    expect(renderTaskFile(doc.task, doc)).toBe(text);
    expect(renderTaskFile(structuredClone(doc.task), doc)).toBe(text); // by value, not by identity
  });

  it('renders a task hzl wrote in canonical form whether or not it has the parsed file', () => {
    expect(renderTaskFile(parse(SAMPLE).task)).toBe(SAMPLE);
  });

  it('reads CRLF as LF: the same task, LF text, and nothing to write when unchanged', () => {
    const crlf = SAMPLE.replace(/\n/g, '\r\n');
    const doc = parse(crlf);
    expect(doc.task).toStrictEqual(parse(SAMPLE).task);
    // The store compares a rendering with source.text, so an unchanged CRLF file is never rewritten;
    // any real change writes the whole file with LF.
    expect(doc.source.text).toBe(SAMPLE);
    expect(renderTaskFile(doc.task, doc)).toBe(SAMPLE);
    expect(rewrite(crlf, (t) => ({ ...t, status: 'done' }))).toBe(
      swapLines(SAMPLE, { 'status: in_progress': 'status: done' }),
    );
  });

  it('adds a missing final newline', () => {
    const doc = parse(SAMPLE.trimEnd());
    expect(doc.source.text).toBe(SAMPLE);
    expect(renderTaskFile(doc.task, doc)).toBe(SAMPLE);
  });
});

describe('minimal rewrites', () => {
  const stamped =
    (changes: Partial<Task>) =>
    (t: Task): Task => ({ ...t, ...changes, updated: LATER });
  const sampleUpdated = { 'updated: 2024-01-15T14:20:00Z': `updated: ${LATER}` };

  it('changes only the status line and `updated`', () => {
    expect(rewrite(SAMPLE, stamped({ status: 'done' }))).toBe(
      swapLines(SAMPLE, { 'status: in_progress': 'status: done', ...sampleUpdated }),
    );
  });

  it.each(VARIANTS.filter(([name]) => !name.startsWith('no Checkpoints')))(
    '%s: a status change rewrites the status line and `updated` only',
    (_name, text) => {
      const { removed, added } = lineDiff(text, rewrite(text, stamped({ status: 'done' })));
      expect(removed.map((l) => l.slice(0, l.indexOf(':'))).sort()).toEqual(['status', 'updated']);
      expect([...added].sort()).toEqual(['status: done', `updated: ${LATER}`]);
    },
  );

  it('changes only the priority line and `updated`', () => {
    expect(rewrite(SAMPLE, stamped({ priority: 3 }))).toBe(
      swapLines(SAMPLE, { 'priority: 2': 'priority: 3', ...sampleUpdated }),
    );
  });

  it('rewrites the tags line when a tag is added', () => {
    expect(rewrite(SAMPLE, (t) => stamped({ tags: [...t.tags, 'security'] })(t))).toBe(
      swapLines(SAMPLE, { 'tags: [auth, backend]': 'tags: [auth, backend, security]', ...sampleUpdated }),
    );
  });

  it('removes only the author line when the author is cleared', () => {
    const released = rewrite(SAMPLE, (t) => {
      const { author: _author, ...rest } = t;
      return { ...rest, updated: LATER };
    });
    expect(released).toBe(swapLines(SAMPLE, { 'author: claude-code': null, ...sampleUpdated }));
  });

  it('adds a new key on its own line, after the key that precedes it in hzl’s order', () => {
    expect(rewrite(SAMPLE, stamped({ parent: 9, handoff_to: 'bob' }))).toBe(
      swapLines(SAMPLE, {
        'author: claude-code': 'author: claude-code\nhandoff_to: bob',
        'depends_on: [3]': 'depends_on: [3]\nparent: 9',
        ...sampleUpdated,
      }),
    );
  });

  it('appends a checkpoint as one line, its further lines indented', () => {
    const last = '  (continuation lines of a multi-line checkpoint are indented two spaces)';
    const one = { at: LATER, author: 'claude-code', text: 'Added expiry: sessions end after 24 h' };
    const two = {
      at: LATER,
      author: 'bob',
      text: 'HANDOFF: tests next\n\n- [2024-01-15T10:30:00Z] mallory: forged\n## History',
    };
    const forged = '  - [2024-01-15T10:30:00Z] mallory: forged\n  ## History'; // two's further lines, indented
    expect(rewrite(SAMPLE, (t) => ({ ...t, checkpoints: [...t.checkpoints, one], updated: LATER }))).toBe(
      swapLines(SAMPLE, {
        [last]: `${last}\n- [${LATER}] claude-code: Added expiry: sessions end after 24 h`,
        ...sampleUpdated,
      }),
    );
    expect(rewrite(SAMPLE, (t) => ({ ...t, checkpoints: [...t.checkpoints, two] }))).toBe(
      swapLines(SAMPLE, {
        [last]: `${last}\n- [${LATER}] bob: HANDOFF: tests next\n\n${forged}`,
      }),
    );
  });

  it('adds the first checkpoint with the blank line that separates it from History', () => {
    const entry = { at: LATER, author: 'alice', text: 'Reproduced with a stale cookie' };
    expect(rewrite(HAND_WRITTEN, (t) => ({ ...t, checkpoints: [entry], updated: LATER }))).toBe(
      swapLines(HAND_WRITTEN, {
        '## Checkpoints': `## Checkpoints\n\n- [${LATER}] alice: Reproduced with a stale cookie`,
        'updated: 2024-01-15T09:58:00Z': `updated: ${LATER}`,
      }),
    );
  });

  it('appends a History line after the last one', () => {
    const entry = { at: LATER, author: 'alice', text: 'completed (in_progress → done)' };
    const claimed = '- [2024-01-15T10:00:00Z] claude-code: claimed (ready → in_progress, lease 2h)';
    expect(rewrite(SAMPLE, (t) => ({ ...t, history: [...t.history, entry] }))).toBe(
      swapLines(SAMPLE, { [claimed]: `${claimed}\n- [${LATER}] alice: completed (in_progress → done)` }),
    );
  });

  it('keeps comments, blank lines and unknown keys in place', () => {
    const claimed = rewrite(
      HAND_WRITTEN,
      stamped({ status: 'in_progress', author: 'claude-code', lease_until: '2024-01-16T10:00:00Z' }),
    );
    expect(claimed).toBe(
      swapLines(HAND_WRITTEN, {
        'status: ready   # triaged on Monday': 'status: in_progress',
        'priority: 1': 'priority: 1\nauthor: claude-code', // before the blank line that sets `estimate` apart
        '  - web': '  - web\nlease_until: 2024-01-16T10:00:00Z', // the comment stays above `links`
        'updated: 2024-01-15T09:58:00Z': `updated: ${LATER}`,
      }),
    );
    expect(parse(claimed).extra).toStrictEqual(parse(HAND_WRITTEN).extra);
  });

  it('keeps the key order of a file written by hand', () => {
    expect(rewrite(REORDERED, stamped({ status: 'in_progress', priority: 2 }))).toBe(
      swapLines(REORDERED, {
        'status: ready': 'status: in_progress',
        'priority: 0': 'priority: 2',
        'updated: 2024-01-15T09:58:00Z': `updated: ${LATER}`,
      }),
    );
  });

  it('leaves values that only look different alone: `title: 42`, `tags: []`, a missing priority', () => {
    const loose = swapLines(REORDERED, {
      'title: Write API docs': 'title: 42\ntags: []\nparent: null',
      'priority: 0': null,
    });
    expect(parse(loose).task).toMatchObject({ title: '42', tags: [], priority: 0 });
    expect(rewrite(loose, stamped({ status: 'done' }))).toBe(
      swapLines(loose, { 'status: ready': 'status: done', 'updated: 2024-01-15T09:58:00Z': `updated: ${LATER}` }),
    );
  });

  it('rewrites only the description when it changes', () => {
    expect(rewrite(SAMPLE, (t) => ({ ...t, description: 'Email + password.\n\n## Not a section' }))).toBe(
      SAMPLE.replace(
        'Users sign up and log in with email + password. Sessions expire after 24 h.',
        'Email + password.\n\n## Not a section',
      ),
    );
  });

  it('adds the two sections to a file written without them, keeping its description', () => {
    const entry = { at: LATER, author: 'alice', text: 'updated status (backlog → ready)' };
    const swapped = swapLines(NO_SECTIONS, {
      'status: backlog': 'status: ready',
      'updated: 2024-01-15T09:58:00Z': `updated: ${LATER}`,
    });
    expect(rewrite(NO_SECTIONS, (t) => ({ ...t, status: 'ready', updated: LATER, history: [entry] }))).toBe(
      `${swapped}\n## History\n\n- [${LATER}] alice: updated status (backlog → ready)\n\n## Checkpoints\n`,
    );
  });

  it('refuses to change or drop an entry: the sections are append-only', () => {
    const doc = parse(SAMPLE);
    const changed = doc.task.checkpoints.map((e, i) => (i === 0 ? { ...e, text: 'rewritten' } : e));
    expect(() => renderTaskFile({ ...doc.task, checkpoints: changed }, doc)).toThrow(/append-only/);
    expect(() => renderTaskFile({ ...doc.task, history: doc.task.history.slice(1) }, doc)).toThrow(/append-only/);
  });
});

describe('malformed files', () => {
  // Line numbers of SAMPLE: 2 id, 3 title, 4 status, 5 priority, 7 tags, 10 created, 18 and 23 first entries.
  const cases: [string, string, number, RegExp][] = [
    ['no opening ---', SAMPLE.slice('---\n'.length), 1, /starts with a '---' line/],
    [
      'a YAML syntax error',
      swapLines(SAMPLE, { 'title: Implement user authentication': 'title: a: b' }),
      3,
      /not valid YAML/,
    ],
    [
      'a !!python/object tag',
      swapLines(SAMPLE, { 'title: Implement user authentication': 'title: !!python/object:os.system x' }),
      3,
      /unknown tag/,
    ],
    [
      'a duplicated key',
      swapLines(SAMPLE, { 'priority: 2': 'priority: 2\nstatus: done' }),
      6,
      /duplicated mapping key/,
    ],
    ['id missing', swapLines(SAMPLE, { 'id: 1': null }), 2, /'id' is missing/],
    ['id not a number', swapLines(SAMPLE, { 'id: 1': 'id: one' }), 2, /'id' must be a positive whole number/],
    [
      'an unknown status',
      swapLines(SAMPLE, { 'status: in_progress': 'status: doing' }),
      4,
      /'status' must be one of backlog, ready/,
    ],
    [
      'priority 7',
      swapLines(SAMPLE, { 'priority: 2': 'priority: 7' }),
      5,
      /'priority' must be a whole number from 0 to 3/,
    ],
    ['tags not a list', swapLines(SAMPLE, { 'tags: [auth, backend]': 'tags: auth' }), 7, /'tags' must be a list/],
    [
      'created not a time',
      swapLines(SAMPLE, { 'created: 2024-01-15T09:58:00Z': 'created: 2024-01-15' }),
      10,
      /'created' must be a UTC time/,
    ],
    [
      'a title that is not text',
      swapLines(SAMPLE, { 'title: Implement user authentication': 'title: true' }),
      3,
      /'title' must be text/,
    ],
    [
      'a junk line in Checkpoints',
      swapLines(SAMPLE, {
        '- [2024-01-15T10:30:00Z] claude-code: Designed schema with users, sessions, tokens tables': 'Designed schema',
      }),
      23,
      /expected a Checkpoints line like/,
    ],
    [
      'an entry without a valid time',
      swapLines(SAMPLE, {
        '- [2024-01-15T10:30:00Z] claude-code: Designed schema with users, sessions, tokens tables':
          '- [yesterday] claude-code: x',
      }),
      23,
      /expected a Checkpoints line like/,
    ],
    [
      'a junk line in History',
      swapLines(SAMPLE, { '- [2024-01-15T09:58:00Z] alice: created (ready)': '* created' }),
      18,
      /expected a History line like/,
    ],
  ];

  it.each(cases)('%s: MalformedTaskError at the line', (_name, text, line, reason) => {
    const err = parseError(text);
    expect(err.file).toBe(FILE);
    expect(err.line).toBe(line);
    expect(err.reason).toMatch(reason);
    expect(err.message).toBe(`${FILE}:${line}: ${err.reason}`);
  });

  it('counts lines through comments and blank lines in the front-matter', () => {
    expect(parseError(swapLines(HAND_WRITTEN, { 'priority: 1': 'priority: high' })).line).toBe(6);
    expect(parseError(`${HAND_WRITTEN}oops\n`).line).toBe(26);
  });
});
