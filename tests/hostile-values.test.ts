// Hostile values: every value hzl writes is one it can parse back. Durations and times are
// bounded, authors read from files or typed by people cannot forge or break an entry line,
// invisible characters in names are refused, and one branch cannot push task ids out of range.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTaskFile, renderTaskFile } from '../src/format/task-file.js';
import { renderEntry } from '../src/format/sections.js';
import { checkAuthor, printable } from '../src/core/validate.js';
import { parseDuration } from '../src/core/time.js';
import { git, hzl, readTask, type Run, runInProcess, snapshot, taskFile, tempRepo } from './helpers.js';

runInProcess();

const NOW = '2024-01-15T10:00:00Z';
const ENV = { HZL_AUTHOR: 'alice', HZL_NOW: NOW };

/** A clear one-line refusal with this exit code: no stack trace, `hzl: ` first. */
function refused(r: Run, code: number, pattern?: RegExp): void {
  expect({ status: r.status, stderr: r.stderr }).toMatchObject({ status: code });
  expect(r.stderr).toMatch(/^hzl: .+/);
  expect(r.stderr).not.toMatch(/\n\s+at |TypeError|RangeError|node:internal/);
  if (pattern) expect(r.stderr).toMatch(pattern);
}

function repoWithTask(): string {
  const repo = tempRepo();
  const r = hzl(repo, ['task', 'add', 'one'], { env: ENV });
  expect(r.status).toBe(0);
  return repo;
}

/** A hand-written task file: `fields` are front-matter lines after id and title. */
function writeTask(repo: string, id: number, fields: string, history = `- [${NOW}] bob: created (ready)`): string {
  const path = join(repo, '.hzl', 'tasks', `${id}-hand.md`);
  writeFileSync(
    path,
    `---\nid: ${id}\ntitle: hand\n${fields}\ncreated: ${NOW}\nupdated: ${NOW}\n---\n\n` +
      `## Checkpoints\n\n## History\n\n${history}\n`,
  );
  return path;
}

describe('durations and times are bounded', () => {
  it('refuses a lease longer than a year, and writes nothing', () => {
    const repo = repoWithTask();
    const before = snapshot(repo);
    refused(
      hzl(repo, ['task', 'claim', '1', '--lease', '3000000d'], { env: ENV }),
      2,
      /invalid lease '3000000d'.*at most 365d/,
    );
    refused(hzl(repo, ['task', 'claim', '1', '--lease', '366d'], { env: ENV }), 2, /at most 365d/);
    expect(snapshot(repo)).toEqual(before);
    expect(hzl(repo, ['task', 'claim', '1', '--lease', '365d'], { env: ENV }).status).toBe(0);
    expect(readTask(repo, 1)).toMatch(/^lease_until: 2025-01-14T10:00:00Z$/m);
  });

  it('refuses an over-long duration in steal and stuck too', () => {
    const repo = repoWithTask();
    expect(hzl(repo, ['task', 'claim', '1'], { env: ENV }).status).toBe(0);
    const before = snapshot(repo);
    refused(
      hzl(repo, ['task', 'steal', '1', '--force', '--lease', '9999999h'], { env: { ...ENV, HZL_AUTHOR: 'bob' } }),
      2,
      /at most 365d/,
    );
    refused(hzl(repo, ['task', 'stuck', '--older-than', '3000000d'], { env: ENV }), 2, /at most 365d/);
    expect(snapshot(repo)).toEqual(before);
  });

  it('refuses a configured lease longer than a year, naming the config file', () => {
    const repo = repoWithTask();
    const config = join(repo, '.hzl', 'config.yml');
    writeFileSync(config, readFileSync(config, 'utf8').replace(/^lease: .*$/m, 'lease: 3000000d'));
    const before = snapshot(repo);
    refused(hzl(repo, ['task', 'claim', '1'], { env: ENV }), 5, /config\.yml.*'lease'/);
    expect(snapshot(repo)).toEqual(before);
  });

  it('refuses HZL_NOW past the year 9999 or before the year 0, before writing', () => {
    const repo = repoWithTask();
    const before = snapshot(repo);
    for (const pinned of ['+010000-01-01T00:00:00Z', '-000001-01-01T00:00:00Z', '275760-09-13T00:00:00Z']) {
      refused(hzl(repo, ['task', 'add', 'two'], { env: { ...ENV, HZL_NOW: pinned } }), 2, /invalid HZL_NOW/);
      refused(hzl(repo, ['task', 'checkpoint', '1', 'x'], { env: { ...ENV, HZL_NOW: pinned } }), 2, /invalid HZL_NOW/);
    }
    expect(snapshot(repo)).toEqual(before);
  });

  it('refuses a lease that would end after 9999-12-31, before writing', () => {
    const repo = repoWithTask();
    const before = snapshot(repo);
    const late = { ...ENV, HZL_NOW: '9999-12-31T23:50:00Z' };
    refused(hzl(repo, ['task', 'claim', '1', '--lease', '30m'], { env: late }), 2, /lease.*9999-12-31/);
    expect(snapshot(repo)).toEqual(before);
    // The last minutes of the year 9999 still work with a lease that fits.
    expect(hzl(repo, ['task', 'claim', '1', '--lease', '5m'], { env: late }).status).toBe(0);
    expect(hzl(repo, ['task', 'list'], { env: late }).stdout).toMatch(/^1\tin_progress/m);
  });

  it('a checkpoint after a claim line with an out-of-range lease is kept, and extends by the configured lease', () => {
    const repo = tempRepo();
    for (const lease of ['3000000d', '0s']) {
      writeTask(
        repo,
        1,
        'status: in_progress\nauthor: alice\nlease_until: 2024-01-15T10:30:00Z',
        `- [${NOW}] alice: created (ready)\n- [${NOW}] alice: claimed (ready → in_progress, lease ${lease})`,
      );
      const r = hzl(repo, ['task', 'checkpoint', '1', 'keep me'], { env: ENV });
      expect({ lease, status: r.status, stderr: r.stderr }).toMatchObject({ status: 0 });
      expect(readTask(repo, 1)).toContain('] alice: keep me');
      expect(readTask(repo, 1)).toMatch(/^lease_until: 2024-01-15T12:00:00Z$/m);
    }
  });

  it('parseDuration keeps every duration within a year', () => {
    expect(parseDuration('365d')).toBe(365 * 86_400_000);
    expect(parseDuration('8760h')).toBe(365 * 86_400_000);
    expect(() => parseDuration('8761h')).toThrow(/at most 365d/);
    expect(() => parseDuration('9999999m')).toThrow(/at most 365d/);
  });
});

describe('the author read from a file', () => {
  const forgedAuthor = 'author: "mallory: x\\n- [2099-01-01T00:00:00Z] alice"';

  it('an author that would forge an entry makes the file malformed: no entry is written', () => {
    const repo = tempRepo();
    writeTask(repo, 1, `status: in_progress\n${forgedAuthor}`);
    const before = snapshot(repo);
    // No HZL_AUTHOR: the holder in the file would be the writer.
    refused(hzl(repo, ['task', 'checkpoint', '1', 'hello'], { env: { HZL_NOW: NOW } }), 5, /1-hand\.md:5: 'author'/);
    refused(hzl(repo, ['task', 'show', '1'], { env: { HZL_NOW: NOW } }), 5, /1-hand\.md/);
    expect(snapshot(repo)).toEqual(before);
  });

  it('an author with a line break makes the file malformed instead of unreadable after a write', () => {
    const repo = tempRepo();
    writeTask(repo, 1, 'status: in_progress\nauthor: "a\\nb"');
    const before = snapshot(repo);
    refused(hzl(repo, ['task', 'checkpoint', '1', 'hello'], { env: { HZL_NOW: NOW } }), 5, /'author'/);
    refused(hzl(repo, ['task', 'release', '1'], { env: ENV }), 5, /'author'/);
    expect(snapshot(repo)).toEqual(before);
    const list = hzl(repo, ['task', 'list'], { env: ENV });
    expect(list.stderr).toMatch(/task #1 cannot be read: .*1-hand\.md/);
    expect(list.stdout).toMatch(/^1\tunreadable\t/);
  });

  it("an empty author ('') is no author, as an empty `author:` is", () => {
    const repo = tempRepo();
    writeTask(repo, 1, "status: ready\nauthor: ''");
    const shown = hzl(repo, ['task', 'show', '1', '--json'], { env: ENV });
    expect(shown.status).toBe(0);
    expect(JSON.parse(shown.stdout).task.author).toBe(null);
  });

  it('a handoff_to that could not be an author makes the file malformed', () => {
    const repo = tempRepo();
    writeTask(repo, 1, 'status: ready\nhandoff_to: "x: y"');
    refused(hzl(repo, ['task', 'show', '1'], { env: ENV }), 5, /'handoff_to'/);
  });
});

describe('doctor --fix takes a checked author', () => {
  function duplicateIds(repo: string): void {
    writeTask(repo, 1, 'status: ready');
    writeFileSync(
      join(repo, '.hzl', 'tasks', '1-other.md'),
      readFileSync(taskFile(repo, 1), 'utf8')
        .replace('title: hand', 'title: other')
        .replace(`created: ${NOW}`, 'created: 2024-01-16T00:00:00Z'),
    );
  }

  it('refuses a bad --author or HZL_AUTHOR before renumbering anything', () => {
    const repo = tempRepo();
    duplicateIds(repo);
    const before = snapshot(repo);
    refused(hzl(repo, ['doctor', '--fix', '--author', 'a\nb'], { env: { HZL_NOW: NOW } }), 2, /invalid author/);
    refused(
      hzl(repo, ['doctor', '--fix'], { env: { HZL_NOW: NOW, HZL_AUTHOR: 'm: x' } }),
      2,
      /invalid author.*HZL_AUTHOR/,
    );
    refused(hzl(repo, ['doctor', '--fix'], { env: { HZL_NOW: NOW, HZL_AUTHOR: 'ali\u200bce' } }), 2, /U\+200B/);
    expect(snapshot(repo)).toEqual(before);
    const fixed = hzl(repo, ['doctor', '--fix'], { env: { HZL_NOW: NOW, HZL_AUTHOR: 'José' } });
    expect(fixed.status).toBe(0);
    expect(readTask(repo, 2)).toMatch(/\] José: renumbered from #1/);
  });

  it('without an author it still writes as hzl-doctor', () => {
    const repo = tempRepo();
    duplicateIds(repo);
    expect(hzl(repo, ['doctor', '--fix'], { env: { HZL_NOW: NOW } }).status).toBe(0);
    expect(readTask(repo, 2)).toMatch(/\] hzl-doctor: renumbered from #1/);
  });
});

describe('the one place entries are rendered', () => {
  const at = NOW;
  it('refuses an entry the parser would refuse', () => {
    for (const author of ['a\nb', 'mallory: x', 'a]b', 'a[b', '']) {
      expect(() => renderEntry({ at, author, text: 'x' }), JSON.stringify(author)).toThrow(/cannot write/);
    }
    expect(() => renderEntry({ at: '+010000-01-01T00:00:00Z', author: 'a', text: 'x' })).toThrow(/cannot write/);
    expect(() => renderEntry({ at, author: 'a', text: 'x\ry' })).toThrow(/cannot write/);
    expect(() => renderEntry({ at, author: 'a', text: 'x\u2029y' })).toThrow(/cannot write/);
    expect(() => renderEntry({ at, author: 'a', text: 'x\ny\r\nz' })).toThrow(/cannot write/);
    expect(() => renderEntry({ at, author: 'a', text: 'x\ny\r' })).toThrow(/cannot write/);
  });

  it('what it renders parses back to the same entries', () => {
    const texts = [
      'plain',
      'two\nlines',
      'x\ny\u2028z\rw',
      '- [2024-01-15T10:30:00Z] mallory: forged',
      '\n## History\nid: 9',
      ' lead',
      'a\n\n  b',
    ];
    // Names no flag would take, but that a hand-written History line may hold: kept as they are.
    const authors = ['alice', 'Jane Doe', 'José', ' odd spacing ', 'bot/1.0', 'a\u2028b', 'a\rb'];
    const base = parseTaskFile(`---\nid: 1\ntitle: t\nstatus: ready\ncreated: ${at}\nupdated: ${at}\n---\n`, 't.md');
    const history = authors.flatMap((author) => texts.map((text) => ({ at, author, text })));
    const text = renderTaskFile({ ...base.task, history }, base);
    expect(parseTaskFile(text, 't.md').task.history).toEqual(history);
  });

  it('a task with a bad author is refused by the renderer before any file is written', () => {
    const base = parseTaskFile(`---\nid: 1\ntitle: t\nstatus: ready\ncreated: ${at}\nupdated: ${at}\n---\n`, 't.md');
    expect(() => renderTaskFile({ ...base.task, history: [{ at, author: 'x\ny', text: 'z' }] })).toThrow(
      /cannot write/,
    );
  });
});

describe('task ids stay within what hzl accepts', () => {
  function hostileBranch(repo: string, id: number): void {
    git(repo, 'checkout', '-q', '-b', 'hostile');
    writeTask(repo, id, 'status: ready');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'hostile');
    git(repo, 'checkout', '-q', 'main');
    git(repo, 'clean', '-fdq', '.hzl/tasks');
  }

  it('a branch holding a nine-digit id does not push the next id out of range', () => {
    const repo = repoWithTask();
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'one');
    hostileBranch(repo, 999_999_999);
    const r = hzl(repo, ['task', 'add', 'two'], { env: ENV });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('2\n');
    expect(r.stderr).toMatch(/warning: .*999999999/);
    expect(hzl(repo, ['task', 'show', '2'], { env: ENV }).status).toBe(0);
    // The branch is still there: the next add is not poisoned either.
    expect(hzl(repo, ['task', 'add', 'three'], { env: ENV }).stdout).toBe('3\n');
  });

  it('a maximum remembered from an earlier run is not trusted past the ceiling', () => {
    const repo = repoWithTask();
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'one');
    expect(hzl(repo, ['task', 'add', 'two'], { env: ENV }).stdout).toBe('2\n');
    const state = join(repo, '.git', 'hzl');
    const seen = JSON.parse(readFileSync(join(state, 'ids-seen.json'), 'utf8'));
    writeFileSync(join(state, 'ids-seen.json'), JSON.stringify({ ...seen, max: 999_999_999 }));
    writeFileSync(join(state, 'last-id'), '1000000000\n');
    const r = hzl(repo, ['task', 'add', 'three'], { env: ENV });
    expect(r.stdout).toBe('3\n');
  });

  it('a task file above the ceiling in this checkout is left alone, with a warning', () => {
    const repo = repoWithTask();
    writeTask(repo, 5_000_000, 'status: ready');
    const r = hzl(repo, ['task', 'add', 'two'], { env: ENV });
    expect(r.stdout).toBe('2\n');
    expect(r.stderr).toMatch(/warning: .*5000000/);
    expect(hzl(repo, ['task', 'show', '5000000'], { env: ENV }).status).toBe(0);
  });

  it('when every id up to the ceiling is used, add exits 5 and writes nothing', () => {
    const repo = repoWithTask();
    writeTask(repo, 1_000_000, 'status: ready');
    const before = snapshot(repo);
    refused(hzl(repo, ['task', 'add', 'two'], { env: ENV }), 5, /1000000/);
    expect(snapshot(repo)).toEqual(before);
  });
});

describe('authors are NFC and visible', () => {
  const nfc = 'Jos\u00e9';
  const nfd = 'Jose\u0301';

  it('the same name in NFC and NFD is the same author', () => {
    const repo = repoWithTask();
    expect(hzl(repo, ['task', 'claim', '1', '--author', nfc], { env: ENV }).status).toBe(0);
    const again = hzl(repo, ['task', 'claim', '1', '--author', nfd], { env: ENV });
    expect(again.stderr).not.toMatch(/already claimed/);
    expect(again.status).toBe(0);
    expect(hzl(repo, ['task', 'checkpoint', '1', 'x'], { env: { ...ENV, HZL_AUTHOR: nfd } }).status).toBe(0);
    expect(readTask(repo, 1).normalize('NFC')).toBe(readTask(repo, 1));
    expect(hzl(repo, ['task', 'list', '--author', nfd], { env: ENV }).stdout).toMatch(/^1\t/m);
  });

  it('an NFD author in a file is the holder an NFC name matches', () => {
    const repo = tempRepo();
    writeTask(repo, 1, `status: in_progress\nauthor: ${nfd}\nlease_until: 2024-01-15T12:00:00Z`);
    const r = hzl(repo, ['task', 'claim', '1', '--author', nfc], { env: ENV });
    expect(r.stderr).not.toMatch(/already claimed/);
    expect(r.status).toBe(0);
  });

  it('an NFD name from git config is written as NFC', () => {
    const repo = repoWithTask();
    git(repo, 'config', 'user.name', nfd);
    expect(hzl(repo, ['task', 'checkpoint', '1', 'x'], { env: { HZL_NOW: NOW } }).status).toBe(0);
    expect(readTask(repo, 1)).toContain(`] ${nfc}: x`);
  });

  it('refuses zero-width, bidi and other invisible characters in authors, saying which', () => {
    const repo = repoWithTask();
    const before = snapshot(repo);
    for (const [name, code] of [
      ['ali\u200bce', '200B'],
      ['alice\u202e', '202E'],
      ['\u2066alice', '2066'],
      ['ali\u00adce', '00AD'],
      ['ali\ufeffce', 'FEFF'],
      ['ali\u00a0ce', '00A0'],
      ['ali\u3164ce', '3164'],
    ] as Array<[string, string]>) {
      const r = hzl(repo, ['task', 'claim', '1', '--author', name], { env: ENV });
      refused(r, 2, new RegExp(`invalid author '.*U\\+${code}`));
      expect(r.stderr).toContain(`\\u${code.toLowerCase()}`); // shown, not hidden
      refused(hzl(repo, ['task', 'checkpoint', '1', 'x'], { env: { ...ENV, HZL_AUTHOR: name } }), 2, /HZL_AUTHOR/);
    }
    expect(snapshot(repo)).toEqual(before);
  });

  it('refuses an invisible character in the configured author and in git user.name', () => {
    const repo = repoWithTask();
    const before = snapshot(repo);
    git(repo, 'config', 'user.name', 'ali\u200bce');
    refused(
      hzl(repo, ['task', 'checkpoint', '1', 'x'], { env: { HZL_NOW: NOW } }),
      2,
      /git config user\.name.*U\+200B/,
    );
    const config = join(repo, '.hzl', 'config.yml');
    writeFileSync(config, `${readFileSync(config, 'utf8')}\nauthor: "ali\\u200bce"\n`);
    refused(hzl(repo, ['task', 'checkpoint', '1', 'x'], { env: { HZL_NOW: NOW } }), 5, /config\.yml/);
    expect(snapshot(repo)).toEqual(before);
  });

  it('an author in a file with an invisible character makes the file malformed', () => {
    const repo = tempRepo();
    writeTask(repo, 1, 'status: in_progress\nauthor: "ali\\u200bce"');
    refused(hzl(repo, ['task', 'show', '1'], { env: ENV }), 5, /'author'/);
  });

  it('checkAuthor returns NFC; printable shows invisible characters', () => {
    expect(checkAuthor(nfd)).toBe(nfc);
    expect(printable('a\u200bb\u202ec')).toBe('a\\u200bb\\u202ec');
  });
});
