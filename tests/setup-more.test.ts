// `hzl setup`, continued: one AGENTS.md block writer for `init --agents` and `setup codex`, JSON
// configs given back byte for byte whatever their layout, and Cursor's and Gemini CLI's hooks.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CommentInTheWay, editJsonText, parseJsonText } from '../src/core/json-text.js';
import { hzl, tempRepo } from './helpers.js';

const read = (dir: string, path: string) => readFileSync(join(dir, path), 'utf8');

function write(dir: string, path: string, text: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}

describe('AGENTS.md: one block writer for init --agents and setup codex', () => {
  const cases: Record<string, string> = {
    'no final newline': '# Rules\n\nUse tabs.',
    'one final newline': '# Rules\n\nUse tabs.\n',
    'a blank line at the end': '# Rules\n\nUse tabs.\n\n',
    CRLF: '# Rules\r\n\r\nUse tabs.',
  };
  for (const [name, mine] of Object.entries(cases)) {
    it(`${name}: setup codex --remove after init --agents gives back the file byte for byte`, () => {
      const dir = tempRepo();
      write(dir, 'AGENTS.md', mine);
      expect(hzl(dir, ['init', '--agents']).status).toBe(0);
      const initialised = read(dir, 'AGENTS.md');
      expect(initialised.startsWith(mine)).toBe(true);
      // The same block: setup codex finds nothing to change in AGENTS.md.
      const setup = hzl(dir, ['setup', 'codex']);
      expect(setup.status).toBe(0);
      expect(setup.stderr).not.toContain('AGENTS.md');
      expect(read(dir, 'AGENTS.md')).toBe(initialised);
      expect(hzl(dir, ['setup', 'codex', '--remove']).status).toBe(0);
      expect(read(dir, 'AGENTS.md')).toBe(mine);
    });
  }

  it('init --agents after setup codex changes nothing', () => {
    const dir = tempRepo();
    write(dir, 'AGENTS.md', 'Mine.');
    expect(hzl(dir, ['setup', 'codex']).status).toBe(0);
    const once = read(dir, 'AGENTS.md');
    expect(hzl(dir, ['init', '--agents']).status).toBe(0);
    expect(read(dir, 'AGENTS.md')).toBe(once);
    expect(existsSync(join(dir, '.codex/config.toml'))).toBe(true);
  });
});

/** Files laid out by hand: each must come back from setup then --remove byte for byte. */
const LAYOUTS: Record<string, string> = {
  tabs: '{\n\t"permissions": {\n\t\t"allow": [\n\t\t\t"Bash(npm test)"\n\t\t]\n\t}\n}\n',
  'four spaces': '{\n    "permissions": {\n        "allow": ["Bash(npm test)", "Read"]\n    }\n}\n',
  CRLF: '{\r\n  "model": "opus",\r\n  "hooks": {\r\n    "Stop": [\r\n      { "hooks": [{ "type": "command", "command": "say done" }] }\r\n    ]\r\n  }\r\n}\r\n',
  'no final newline': '{\n  "model": "opus"\n}',
  'one line': '{"model":"opus","env":{"A":"1"}}',
  'unicode and escapes': '{\n  "env": {\n    "GREETING": "caf\\u00e9 \\"quoted\\" \\/ é 日本 \\t",\n    "EMOJI": "\\ud83d\\ude00 😀"\n  },\n  "n": 1.50e+3\n}\n',
  'a BOM': '\uFEFF{\n  "model": "opus"\n}\n',
  'comments': '// my settings\n{\n  /* the model */ "model": "opus", // keep\n  "hooks": {\n    "SessionStart": [{ "hooks": [{ "type": "command", "command": "echo hi" }] }] // mine\n  }\n}\n',
};

describe('JSON configs keep their layout', () => {
  for (const [agent, path] of [['claude', '.claude/settings.json'], ['cursor', '.cursor/mcp.json']] as const) {
    for (const [name, mine] of Object.entries(LAYOUTS)) {
      it(`${agent}, ${name}: setup, a rerun, and --remove give back ${path} byte for byte`, () => {
        const dir = tempRepo();
        write(dir, path, mine);
        const first = hzl(dir, ['setup', agent]);
        expect(first.stderr).toContain(`${path} (updated)`);
        expect(first.status).toBe(0);
        const written = read(dir, path);
        expect(written).toContain('hzl');
        // What the user wrote is still there, as written: escapes, comments, line endings.
        for (const kept of ['\\u00e9', '\\/', '// keep', '/* the model */', '"Bash(npm test)", "Read"']) {
          if (mine.includes(kept)) expect(written).toContain(kept);
        }
        if (mine.includes('\r\n')) expect(written.replace(/\r\n/g, '')).not.toContain('\n');
        expect(hzl(dir, ['setup', agent]).stderr).toContain('nothing to change');
        expect(read(dir, path)).toBe(written);
        expect(hzl(dir, ['setup', agent, '--remove']).status).toBe(0);
        expect(read(dir, path)).toBe(mine);
      });
    }
  }

  it('a comment inside what hzl would take out: refused with one line, nothing written', () => {
    const dir = tempRepo();
    expect(hzl(dir, ['setup', 'cursor']).status).toBe(0);
    const mine = read(dir, '.cursor/mcp.json').replace('"mcp"', '"mcp" /* mine */');
    write(dir, '.cursor/mcp.json', mine);
    const r = hzl(dir, ['setup', 'cursor', '--remove']);
    expect(r.status).toBe(5);
    expect(r.stderr).toMatch(/^hzl: \.cursor\/mcp\.json has a comment inside hzl's entry [^\n]*; [^\n]*\n$/);
    expect(read(dir, '.cursor/mcp.json')).toBe(mine);
    expect(existsSync(join(dir, '.cursor/rules/hzl.mdc'))).toBe(true);
  });
});

describe('editJsonText: only what changes is edited', () => {
  const edit = (text: string, change: (v: Record<string, unknown>) => unknown) => editJsonText(parseJsonText(text), change(parseJsonText(text).value as Record<string, unknown>));

  it('adds into an empty object, and taking it out leaves the object empty', () => {
    const added = edit('{\n  "a": {}\n}', (v) => ({ ...v, a: { b: [1] } }));
    expect(added).toBe('{\n  "a": {\n    "b": [\n      1\n    ]\n  }\n}');
    expect(edit(added, () => ({ a: {} }))).toBe('{\n  "a": {}\n}');
  });

  it('an item in the middle of a list comes out with its separator, the neighbours untouched', () => {
    const text = '[\n\t"x",\n\t{"ours": true},\n\t"y" // after\n]';
    expect(edit(text, () => ['x', 'y'])).toBe('[\n\t"x",\n\t"y" // after\n]');
    expect(edit(text, () => ['x', { ours: 2 }, 'y'])).toBe('[\n\t"x",\n\t{\n\t\t"ours": 2\n\t},\n\t"y" // after\n]');
    expect(edit(text, () => [{ ours: true }, 'y'])).toBe('[\n\t{"ours": true},\n\t"y" // after\n]');
  });

  it('a value changed in place keeps its key, its comment and the rest', () => {
    expect(edit('{"a": /* why */ 1, "b": "\\u00e9"}', (v) => ({ ...v, a: 2 }))).toBe('{"a": /* why */ 2, "b": "\\u00e9"}');
  });

  it('an edit over a comment is refused', () => {
    expect(() => edit('{"a": [1 /* one */]}', () => ({}))).toThrow(CommentInTheWay);
  });

  it('a /* comment left open is not JSON', () => {
    expect(() => parseJsonText('{"a": 1} /* open')).toThrow(SyntaxError);
  });
});

it('a file with comments that held only hzl\'s entry is kept, with its comments, around {}', () => {
  const dir = tempRepo();
  write(dir, '.cursor/mcp.json', '// project servers\n{}\n');
  expect(hzl(dir, ['setup', 'cursor']).status).toBe(0);
  expect(hzl(dir, ['setup', 'cursor', '--remove']).status).toBe(0);
  expect(read(dir, '.cursor/mcp.json')).toBe('// project servers\n{}\n');
});
