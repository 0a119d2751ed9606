// Bytes hzl did not mean to change stay as they were: text that is not UTF-8, CRLF line endings,
// file modes, and the user's own text around the hzl block in AGENTS.md.

import { chmodSync, lstatSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeBytes, encodeText } from '../src/core/bytes.js';
import { restoreLineEndings } from '../src/format/line-endings.js';
import { hzl, runInProcess, taskFile, tempDir, tempRepo } from './helpers.js';

runInProcess();

const NOW = { HZL_NOW: '2024-03-01T10:00:00Z', HZL_AUTHOR: 'agent-a' };

/** A repository with task #1 whose file is replaced by `bytes(original)`. */
function repoWithFile(bytes: (original: Buffer) => Buffer): { repo: string; file: string; before: Buffer } {
  const repo = tempRepo();
  const add = hzl(repo, ['task', 'add', 'Fix login', '-d', 'placeholder'], { env: NOW });
  expect(add.status, add.stderr).toBe(0);
  const file = taskFile(repo, 1);
  const before = bytes(readFileSync(file));
  writeFileSync(file, before);
  return { repo, file, before };
}

/** The file's lines as byte strings (latin1: one character per byte), line endings kept. */
function lines(bytes: Buffer): string[] {
  return bytes.toString('latin1').split(/(?<=\n)/);
}

/** Lines of `before` that are not in `after`, in order: what a write changed or dropped. */
function dropped(before: Buffer, after: Buffer): string[] {
  const kept = new Set(lines(after));
  return lines(before).filter((l) => !kept.has(l));
}

const LATIN1_DESCRIPTION = Buffer.from('caf\xe9 au lait \xff\xfe end\n', 'latin1');

function withDescription(original: Buffer, description: Buffer): Buffer {
  const text = original.toString('latin1');
  const [head, tail] = text.split(/placeholder\r?\n/);
  return Buffer.concat([Buffer.from(head!, 'latin1'), description, Buffer.from(tail!, 'latin1')]);
}

describe('bytes that are not UTF-8', () => {
  it('decode and encode round-trip any bytes', () => {
    const samples = [
      LATIN1_DESCRIPTION,
      Buffer.from([0xed, 0xa0, 0x80, 0xf0, 0x9f, 0x98, 0x80, 0x80, 0xc0, 0xaf, 0xf4, 0x90, 0x80, 0x80, 0xe2, 0x82]),
      Buffer.from('plain ascii and ünïcødé ✓ 😀\n'),
      Buffer.from([0xf0, 0x9f, 0x98, 0x80, 0xdc]),
      // U+1F480's low surrogate is U+DC80, the same code unit as an escaped 0x80: kept apart.
      Buffer.concat([Buffer.from('💀'), Buffer.from([0x80, 0xff]), Buffer.from('💀')]),
    ];
    for (const bytes of samples) expect(encodeText(decodeBytes(bytes)).equals(bytes)).toBe(true);
    expect(decodeBytes(Buffer.from('ünïcødé ✓ 😀 💀'))).toBe('ünïcødé ✓ 😀 💀');
    expect(encodeText('💀').equals(Buffer.from('💀'))).toBe(true);
  });

  it('a checkpoint keeps a description that is not UTF-8, byte for byte', () => {
    const { repo, file, before } = repoWithFile((o) => withDescription(o, LATIN1_DESCRIPTION));
    const r = hzl(repo, ['task', 'checkpoint', '1', 'wired the store'], {
      env: { ...NOW, HZL_NOW: '2024-03-01T11:00:00Z' },
    });
    expect(r.status, r.stderr).toBe(0);
    const after = readFileSync(file);
    expect(after.includes(LATIN1_DESCRIPTION)).toBe(true);
    expect(dropped(before, after)).toEqual(['updated: 2024-03-01T10:00:00Z\n']);
  });

  it('show, list and --json print such bytes as U+FFFD, never as a lone surrogate', () => {
    const { repo } = repoWithFile((o) => withDescription(o, LATIN1_DESCRIPTION));
    const json = hzl(repo, ['task', 'show', '1', '--json']);
    expect(json.status, json.stderr).toBe(0);
    expect(json.stdout).not.toMatch(/\\udc/i);
    expect(JSON.parse(json.stdout).task.description).toBe('caf\uFFFD au lait \uFFFD\uFFFD end');
    expect(hzl(repo, ['task', 'show', '1']).stdout).toContain('caf\uFFFD au lait');
    expect(hzl(repo, ['task', 'search', 'lait']).status).toBe(0);
  });

  it('a front-matter line that is not UTF-8 keeps its bytes when another key changes', () => {
    const { repo, file } = repoWithFile((o) =>
      Buffer.concat([
        Buffer.from(o.toString('latin1').replace('title: Fix login\n', 'title: Fix l\xf6gin\nnote: \xff\n'), 'latin1'),
      ]),
    );
    const r = hzl(repo, ['task', 'claim', '1'], { env: { ...NOW, HZL_NOW: '2024-03-01T11:00:00Z' } });
    expect(r.status, r.stderr).toBe(0);
    const after = readFileSync(file).toString('latin1');
    expect(after).toContain('title: Fix l\xf6gin\nnote: \xff\n');
    expect(after).toContain('status: in_progress\n');
  });

  it("the merge driver's line merge keeps bytes that are not UTF-8", () => {
    const dir = tempDir();
    const side = (extra: string) => Buffer.from(`not a task file\n\xe9t\xe9 \xff\n${extra}`, 'latin1');
    writeFileSync(join(dir, 'base'), side(''));
    writeFileSync(join(dir, 'ours'), side('ours \xe9\n'));
    writeFileSync(join(dir, 'theirs'), Buffer.from('\xe9 top\nnot a task file\n\xe9t\xe9 \xff\n', 'latin1'));
    const r = hzl(dir, ['merge-driver', 'base', 'ours', 'theirs', 'x.md']);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'ours')).toString('latin1')).toBe(
      '\xe9 top\nnot a task file\n\xe9t\xe9 \xff\nours \xe9\n',
    );
  });

  it('the merge driver keeps a description that is not UTF-8', () => {
    const { repo, file, before } = repoWithFile((o) => withDescription(o, LATIN1_DESCRIPTION));
    const dir = tempDir();
    writeFileSync(join(dir, 'base'), before);
    writeFileSync(join(dir, 'ours'), before);
    const theirs = hzl(repo, ['task', 'checkpoint', '1', 'theirs'], {
      env: { ...NOW, HZL_NOW: '2024-03-01T11:00:00Z' },
    });
    expect(theirs.status, theirs.stderr).toBe(0);
    writeFileSync(join(dir, 'theirs'), readFileSync(file));
    const r = hzl(dir, ['merge-driver', 'base', 'ours', 'theirs', 'x.md']);
    expect(r.status, r.stderr).toBe(0);
    const merged = readFileSync(join(dir, 'ours'));
    expect(merged.includes(LATIN1_DESCRIPTION)).toBe(true);
    expect(merged.toString('latin1')).toContain('agent-a: theirs\n');
  });
});

describe('line endings', () => {
  it('a CRLF file stays CRLF: only the lines hzl means to change differ', () => {
    const { repo, file, before } = repoWithFile((o) =>
      Buffer.from(o.toString('latin1').replace(/\n/g, '\r\n'), 'latin1'),
    );
    const r = hzl(repo, ['task', 'checkpoint', '1', 'two\nlines'], {
      env: { ...NOW, HZL_NOW: '2024-03-01T11:00:00Z' },
    });
    expect(r.status, r.stderr).toBe(0);
    const after = readFileSync(file).toString('latin1');
    expect(after.replace(/\r\n/g, '')).not.toContain('\n');
    expect(dropped(before, readFileSync(file))).toEqual(['updated: 2024-03-01T10:00:00Z\r\n']);
    expect(after).toContain('agent-a: two\r\n  lines\r\n');
  });

  it('a file with mixed line endings keeps each line as it was', () => {
    const { repo, file, before } = repoWithFile((o) =>
      withDescription(
        Buffer.from(o.toString('latin1').replace(/\n/g, '\r\n'), 'latin1'),
        Buffer.from('lf line\nanother lf line\n'),
      ),
    );
    const r = hzl(repo, ['task', 'claim', '1'], { env: { ...NOW, HZL_NOW: '2024-03-01T11:00:00Z' } });
    expect(r.status, r.stderr).toBe(0);
    const after = readFileSync(file);
    expect(after.toString('latin1')).toContain('\r\nlf line\nanother lf line\n\r\n');
    expect(dropped(before, after)).toEqual(['status: ready\r\n', 'updated: 2024-03-01T10:00:00Z\r\n']);
  });

  it('a file that starts with a byte order mark is read, and keeps it', () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const { repo, file, before } = repoWithFile((o) =>
      Buffer.concat([bom, Buffer.from(o.toString('latin1').replace(/\n/g, '\r\n'), 'latin1')]),
    );
    const r = hzl(repo, ['task', 'checkpoint', '1', 'with a BOM'], {
      env: { ...NOW, HZL_NOW: '2024-03-01T11:00:00Z' },
    });
    expect(r.status, r.stderr).toBe(0);
    const after = readFileSync(file);
    expect(after.subarray(0, 8).equals(before.subarray(0, 8))).toBe(true);
    expect(dropped(before, after)).toEqual(['updated: 2024-03-01T10:00:00Z\r\n']);
    expect(hzl(repo, ['task', 'show', '1']).stdout).toContain('with a BOM');
  });

  it('restoreLineEndings matches kept lines around insertions and removals', () => {
    const original = 'a\r\nb\nc\r\nd\n';
    expect(restoreLineEndings(original, 'a\nx\nc\nd\ny\n')).toBe('a\r\nx\r\nc\r\nd\ny\r\n');
    expect(restoreLineEndings('a\nb\n', 'a\nc\n')).toBe('a\nc\n');
  });
});

describe('line endings in the merge driver', () => {
  it('a merge of two CRLF versions stays CRLF', () => {
    const { repo, file, before } = repoWithFile((o) =>
      Buffer.from(o.toString('latin1').replace(/\n/g, '\r\n'), 'latin1'),
    );
    const dir = tempDir();
    const later = (n: number) => ({ ...NOW, HZL_NOW: `2024-03-01T1${n}:00:00Z` });
    expect(hzl(repo, ['task', 'checkpoint', '1', 'ours'], { env: later(1) }).status).toBe(0);
    writeFileSync(join(dir, 'ours'), readFileSync(file));
    writeFileSync(file, before);
    expect(hzl(repo, ['task', 'checkpoint', '1', 'theirs'], { env: later(2) }).status).toBe(0);
    writeFileSync(join(dir, 'theirs'), readFileSync(file));
    writeFileSync(join(dir, 'base'), before);
    const r = hzl(dir, ['merge-driver', 'base', 'ours', 'theirs', 'x.md']);
    expect(r.status, r.stderr).toBe(0);
    const merged = readFileSync(join(dir, 'ours'), 'latin1');
    expect(merged).toContain('agent-a: ours\r\n- [2024-03-01T12:00:00Z] agent-a: theirs\r\n');
    expect(merged.replace(/\r\n/g, '')).not.toContain('\n');
  });
});

describe('file modes', () => {
  it('a write keeps the mode of the file it replaces', () => {
    const { repo, file } = repoWithFile((o) => o);
    chmodSync(file, 0o600);
    const r = hzl(repo, ['task', 'checkpoint', '1', 'private'], { env: NOW });
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('private');
    expect(statSync(file).mode & 0o7777).toBe(0o600);
  });

  it('a read-only task file is refused, named, and left as it was', () => {
    const { repo, file, before } = repoWithFile((o) => o);
    chmodSync(file, 0o444);
    const r = hzl(repo, ['task', 'checkpoint', '1', 'lost?'], { env: NOW });
    expect(r.status).toBe(5);
    expect(r.stderr).toMatch(/^hzl: \.hzl\/tasks\/1-fix-login\.md is read-only; .*chmod u\+w/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(statSync(file).mode & 0o7777).toBe(0o444);
  });
});

describe('AGENTS.md', () => {
  const agents = (repo: string) => readFileSync(join(repo, 'AGENTS.md'), 'latin1');

  it('an orphan begin marker: the text after it survives every run', () => {
    const repo = tempRepo();
    const mine = '# Mine\n\n<!-- hzl:begin my own draft -->\nmy notes \xe9\nmore notes\n';
    writeFileSync(join(repo, 'AGENTS.md'), Buffer.from(mine, 'latin1'));
    expect(hzl(repo, ['init', '--agents']).status).toBe(0);
    const first = agents(repo);
    expect(first.startsWith(mine)).toBe(true);
    expect(hzl(repo, ['init', '--agents']).status).toBe(0);
    expect(agents(repo)).toBe(first);
  });

  it('an orphan end marker before the block: one block, and a second run changes nothing', () => {
    const repo = tempRepo();
    const mine = 'intro\n<!-- hzl:end -->\nmine after\n';
    writeFileSync(join(repo, 'AGENTS.md'), mine);
    expect(hzl(repo, ['init', '--agents']).status).toBe(0);
    const first = agents(repo);
    expect(first.startsWith(mine)).toBe(true);
    expect(first.split('<!-- hzl:begin').length).toBe(2);
    expect(hzl(repo, ['init', '--agents']).status).toBe(0);
    expect(agents(repo)).toBe(first);
  });

  it('an AGENTS.md that links to another file: the file linked to is written, the link and its mode kept', () => {
    const repo = tempRepo();
    writeFileSync(join(repo, 'CLAUDE.md'), '# Shared\n');
    chmodSync(join(repo, 'CLAUDE.md'), 0o640);
    symlinkSync('CLAUDE.md', join(repo, 'AGENTS.md'));
    expect(hzl(repo, ['init', '--agents']).status).toBe(0);
    expect(lstatSync(join(repo, 'AGENTS.md')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(repo, 'CLAUDE.md'), 'utf8')).toMatch(/^# Shared\n\n<!-- hzl:begin/);
    expect(statSync(join(repo, 'CLAUDE.md')).mode & 0o7777).toBe(0o640);
  });

  it('a read-only AGENTS.md is refused and left as it was', () => {
    const repo = tempRepo();
    writeFileSync(join(repo, 'AGENTS.md'), '# Mine\n');
    chmodSync(join(repo, 'AGENTS.md'), 0o444);
    const r = hzl(repo, ['init', '--agents']);
    expect(r.status).toBe(5);
    expect(r.stderr).toMatch(/^hzl: AGENTS\.md is read-only; /);
    expect(agents(repo)).toBe('# Mine\n');
  });

  it('a stale block is refreshed, the CRLF text around it kept', () => {
    const repo = tempRepo();
    const block =
      '<!-- hzl:begin (written by `hzl init --agents`; edits inside are replaced) -->\r\n' +
      'STALE GUIDE\r\n<!-- hzl:end -->\r\n';
    writeFileSync(join(repo, 'AGENTS.md'), `top\r\n\r\n${block}bottom\r\n`);
    expect(hzl(repo, ['init', '--agents']).status).toBe(0);
    const first = agents(repo);
    expect(first.startsWith('top\r\n\r\n<!-- hzl:begin')).toBe(true);
    expect(first.endsWith('<!-- hzl:end -->\r\nbottom\r\n')).toBe(true);
    expect(first).not.toContain('STALE GUIDE');
    expect(hzl(repo, ['init', '--agents']).status).toBe(0);
    expect(agents(repo)).toBe(first);
  });
});

describe('doctor --fix', () => {
  const crlfLatin1 = (o: Buffer) =>
    withDescription(Buffer.from(o.toString('latin1').replace(/\n/g, '\r\n'), 'latin1'), LATIN1_DESCRIPTION);

  it('renumbering a duplicate keeps its bytes and line endings', () => {
    const { repo, file, before } = repoWithFile(crlfLatin1);
    writeFileSync(join(repo, '.hzl', 'tasks', '1-zcopy.md'), before);
    const r = hzl(repo, ['doctor', '--fix'], { env: NOW });
    expect(r.stdout + r.stderr).toContain('renumbered to #2');
    expect(readFileSync(file).equals(before)).toBe(true);
    const moved = readFileSync(join(repo, '.hzl', 'tasks', '2-zcopy.md'));
    expect(moved.includes(LATIN1_DESCRIPTION)).toBe(true);
    expect(moved.toString('latin1')).toMatch(/^id: 2\r\n/m);
    expect(moved.toString('latin1')).toMatch(/renumbered from #1 .*\)\r\n/); // in History, with the file's line ending
    expect(dropped(before, moved)).toEqual(['id: 1\r\n']);
  });

  it('renaming a misnamed file keeps its bytes', () => {
    const { repo, file, before } = repoWithFile(crlfLatin1);
    const misnamed = join(repo, '.hzl', 'tasks', '7-fix-login.md');
    writeFileSync(misnamed, before);
    rmSync(file);
    const r = hzl(repo, ['doctor', '--fix'], { env: NOW });
    expect(r.stdout + r.stderr).toContain('renamed to 1-fix-login.md');
    expect(readFileSync(file).equals(before)).toBe(true);
  });
});

describe('.gitattributes', () => {
  it('init adds its lines after the bytes and in the line endings already there', () => {
    const repo = tempRepo({ init: false });
    const mine = Buffer.from('# caf\xe9\r\n*.png binary\r\n', 'latin1');
    writeFileSync(join(repo, '.gitattributes'), mine);
    const r = hzl(repo, ['init']);
    expect(r.status, r.stderr).toBe(0);
    const after = readFileSync(join(repo, '.gitattributes'));
    expect(after.subarray(0, mine.length).equals(mine)).toBe(true);
    expect(after.subarray(mine.length).toString('latin1')).toBe('.hzl/** text eol=lf\r\n.hzl/tasks/*.md merge=hzl\r\n');
  });
});
