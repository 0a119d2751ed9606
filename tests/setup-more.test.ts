// `hzl setup`, continued: one AGENTS.md block writer for `init --agents` and `setup codex`, JSON
// configs given back byte for byte whatever their layout, and Cursor's and Gemini CLI's hooks.

import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  CLAUDE_HOOKS,
  GEMINI_HOOKS,
  type Json,
  withHooks,
  withMcpServer,
  withoutHooks,
  withoutMcpServer,
} from '../src/core/agent-config.js';
import { CommentInTheWay, editJsonText, parseJsonText } from '../src/core/json-text.js';
import { git, hzl, tempRepo, runInProcess } from './helpers.js';

runInProcess();

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

  it('no AGENTS.md before: init --agents writes what setup codex would, and setup codex --remove deletes it', () => {
    const dir = tempRepo();
    expect(hzl(dir, ['init', '--agents']).status).toBe(0);
    const initialised = read(dir, 'AGENTS.md');
    expect(hzl(dir, ['setup', 'codex', '--remove']).status).toBe(0);
    expect(existsSync(join(dir, 'AGENTS.md'))).toBe(false);
    expect(hzl(dir, ['setup', 'codex']).status).toBe(0);
    expect(read(dir, 'AGENTS.md')).toBe(initialised);
  });

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
  CRLF: [
    '{',
    '  "model": "opus",',
    '  "hooks": {',
    '    "Stop": [',
    '      { "hooks": [{ "type": "command", "command": "say done" }] }',
    '    ]',
    '  }',
    '}',
    '',
  ].join('\r\n'),
  'no final newline': '{\n  "model": "opus"\n}',
  'one line': '{"model":"opus","env":{"A":"1"}}',
  'unicode and escapes': [
    '{',
    '  "env": {',
    '    "GREETING": "caf\\u00e9 \\"quoted\\" \\/ é 日本 \\t",',
    '    "EMOJI": "\\ud83d\\ude00 😀"',
    '  },',
    '  "n": 1.50e+3',
    '}',
    '',
  ].join('\n'),
  'a BOM': '\uFEFF{\n  "model": "opus"\n}\n',
  comments: [
    '// my settings',
    '{',
    '  /* the model */ "model": "opus", // keep',
    '  "hooks": {',
    '    "SessionStart": [{ "hooks": [{ "type": "command", "command": "echo hi" }] }] // mine',
    '  }',
    '}',
    '',
  ].join('\n'),
};

describe('JSON configs keep their layout', () => {
  for (const [agent, path] of [
    ['claude', '.claude/settings.json'],
    ['cursor', '.cursor/mcp.json'],
  ] as const) {
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
  const edit = (text: string, change: (v: Record<string, unknown>) => unknown) =>
    editJsonText(parseJsonText(text), change(parseJsonText(text).value as Record<string, unknown>));

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
    expect(edit('{"a": /* why */ 1, "b": "\\u00e9"}', (v) => ({ ...v, a: 2 }))).toBe(
      '{"a": /* why */ 2, "b": "\\u00e9"}',
    );
  });

  it('an edit over a comment is refused', () => {
    expect(() => edit('{"a": [1 /* one */]}', () => ({}))).toThrow(CommentInTheWay);
  });

  it('slashes inside strings are not comments', () => {
    const text = '{\n  "url": "https://example.com/*x*/", // the docs\n  "b": "a\\"//"\n}';
    expect(edit(text, (v) => ({ ...v, c: 1 }))).toBe(
      '{\n  "url": "https://example.com/*x*/", // the docs\n  "b": "a\\"//",\n  "c": 1\n}',
    );
  });

  it('a comment at the start of a line is not indentation', () => {
    const text = '{\n  "a": 1,\n  /* b */ "b": 2\n}';
    expect(edit(text, (v) => ({ ...v, c: [3] }))).toBe('{\n  "a": 1,\n  /* b */ "b": 2,\n  "c": [\n    3\n  ]\n}');
  });

  it('a /* comment left open is not JSON', () => {
    expect(() => parseJsonText('{"a": 1} /* open')).toThrow(SyntaxError);
  });
});

it("a file with comments that held only hzl's entry is kept, with its comments, around {}", () => {
  const dir = tempRepo();
  write(dir, '.cursor/mcp.json', '// project servers\n{}\n');
  expect(hzl(dir, ['setup', 'cursor']).status).toBe(0);
  expect(hzl(dir, ['setup', 'cursor', '--remove']).status).toBe(0);
  expect(read(dir, '.cursor/mcp.json')).toBe('// project servers\n{}\n');
});

describe('setup cursor and gemini: session hooks', () => {
  it("cursor: .cursor/hooks.json gets sessionStart and stop beside the user's hooks; --remove gives it back", () => {
    const dir = tempRepo();
    const mine = '{\n\t"version": 1,\n\t"hooks": {\n\t\t"stop": [{ "command": "./audit.sh" }]\n\t}\n}\n';
    write(dir, '.cursor/hooks.json', mine);
    expect(hzl(dir, ['setup', 'cursor']).stderr).toContain('.cursor/hooks.json (updated)');
    const hooks = JSON.parse(read(dir, '.cursor/hooks.json'));
    expect(hooks.hooks).toEqual({
      stop: [{ command: './audit.sh' }, { command: 'hzl prime --stop-hook --agent cursor' }],
      sessionStart: [{ command: 'hzl prime --hook --agent cursor' }],
    });
    expect(hzl(dir, ['setup', 'cursor']).stderr).toContain('nothing to change');
    expect(hzl(dir, ['setup', 'cursor', '--remove']).status).toBe(0);
    expect(read(dir, '.cursor/hooks.json')).toBe(mine);
  });

  it('cursor: a new hooks.json says version 1, and --remove deletes it with the folder', () => {
    const dir = tempRepo();
    expect(hzl(dir, ['setup', 'cursor']).status).toBe(0);
    expect(JSON.parse(read(dir, '.cursor/hooks.json')).version).toBe(1);
    expect(hzl(dir, ['setup', 'cursor', '--remove']).stderr).toContain('.cursor/hooks.json (removed)');
    expect(existsSync(join(dir, '.cursor'))).toBe(false);
  });

  it("gemini: SessionStart and AfterAgent hooks beside the MCP server and the user's own hooks", () => {
    const dir = tempRepo();
    const mine = [
      '{',
      '  "theme": "dark",',
      '  "hooks": {',
      '    "SessionStart": [',
      '      { "hooks": [{ "type": "command", "command": "echo hi" }] }',
      '    ]',
      '  }',
      '}',
    ].join('\n');
    write(dir, '.gemini/settings.json', mine);
    expect(hzl(dir, ['setup', 'gemini']).status).toBe(0);
    const settings = JSON.parse(read(dir, '.gemini/settings.json'));
    expect(settings.mcpServers.hzl).toEqual({ command: 'hzl', args: ['mcp'] });
    expect(settings.hooks.SessionStart).toEqual([
      { hooks: [{ type: 'command', command: 'echo hi' }] },
      { hooks: [{ type: 'command', command: 'hzl prime --hook --agent gemini', name: 'hzl-prime' }] },
    ]);
    expect(settings.hooks.AfterAgent[0].hooks[0].command).toBe('hzl prime --stop-hook --agent gemini');
    expect(hzl(dir, ['setup', 'gemini']).stderr).toContain('nothing to change');
    expect(hzl(dir, ['setup', 'gemini', '--remove']).status).toBe(0);
    expect(read(dir, '.gemini/settings.json')).toBe(mine);
  });
});

describe('prime --hook and --stop-hook in the JSON Cursor and Gemini CLI read', () => {
  const env = { HZL_AUTHOR: 'Alice Dev' };

  /** A task held by Alice, with a file changed after its last checkpoint. */
  function heldWithWork(): string {
    const dir = tempRepo();
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'hzl init');
    hzl(dir, ['task', 'add', 'Auth'], { env });
    hzl(dir, ['task', 'claim', '1'], { env });
    hzl(dir, ['task', 'checkpoint', '1', 'Schema designed'], { env });
    const file = join(dir, 'auth.ts');
    writeFileSync(file, 'export {}\n');
    const later = new Date(Date.now() + 5000); // past the checkpoint's second, whatever the machine's speed
    utimesSync(file, later, later);
    return dir;
  }

  it('session start: the same text, as additional_context (Cursor) and additionalContext (Gemini CLI)', () => {
    const dir = heldWithWork();
    const text = hzl(dir, ['prime', '--hook'], { env }).stdout;
    expect(text).toContain('#1 Auth');
    const cursor = hzl(dir, ['prime', '--hook', '--agent', 'cursor'], { env });
    expect(cursor.status).toBe(0);
    expect(JSON.parse(cursor.stdout)).toEqual({ additional_context: text });
    // Cursor may run a project's hook commands from `.cursor/`: the project is found above it.
    mkdirSync(join(dir, '.cursor'));
    expect(JSON.parse(hzl(join(dir, '.cursor'), ['prime', '--hook', '--agent', 'cursor'], { env }).stdout)).toEqual({
      additional_context: text,
    });
    const gemini = hzl(dir, ['prime', '--hook', '--agent', 'gemini'], { env });
    expect(JSON.parse(gemini.stdout)).toEqual({
      hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: text },
    });
  });

  it('outside an hzl project: {} for the JSON readers, nothing for Claude Code', () => {
    const dir = tempRepo({ init: false });
    expect(hzl(dir, ['prime', '--hook', '--agent', 'gemini'])).toEqual({ status: 0, stdout: '{}\n', stderr: '' });
    expect(hzl(dir, ['prime', '--stop-hook', '--agent', 'cursor'])).toEqual({ status: 0, stdout: '{}\n', stderr: '' });
    expect(hzl(dir, ['prime', '--hook'])).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  it('cursor stop: a followup_message once; none after a follow-up or when the user aborted', () => {
    const dir = heldWithWork();
    const stop = (input: string) => hzl(dir, ['prime', '--stop-hook', '--agent', 'cursor'], { env, input });
    const first = stop('{"hook_event_name":"stop","status":"completed","loop_count":0}');
    expect(first.status).toBe(0);
    expect(JSON.parse(first.stdout).followup_message).toMatch(
      /^hzl: you hold #1 \(1 file changed since its last checkpoint\)/,
    );
    expect(stop('{"hook_event_name":"stop","status":"completed","loop_count":1}').stdout).toBe('{}\n');
    expect(stop('{"hook_event_name":"stop","status":"aborted","loop_count":0}').stdout).toBe('{}\n');
  });

  it('gemini AfterAgent: decision deny with the reminder once; {} when already reminded', () => {
    const dir = heldWithWork();
    const stop = (input: string) => hzl(dir, ['prime', '--stop-hook', '--agent', 'gemini'], { env, input });
    const answer = JSON.parse(stop('{"hook_event_name":"AfterAgent","stop_hook_active":false}').stdout);
    expect(answer.decision).toBe('deny');
    expect(answer.reason).toContain('hzl task checkpoint 1 --files');
    expect(stop('{"hook_event_name":"AfterAgent","stop_hook_active":true}').stdout).toBe('{}\n');
  });
});

it('a trailing comma (JSONC allows it, JSON does not): exit 5 with one line, nothing written', () => {
  const dir = tempRepo();
  const mine = '{\n  "theme": "dark",\n}\n';
  write(dir, '.gemini/settings.json', mine);
  const r = hzl(dir, ['setup', 'gemini']);
  expect(r.status).toBe(5);
  expect(r.stderr).toMatch(/^hzl: \.gemini\/settings\.json is not valid JSON \([^\n]*\); [^\n]*\n$/);
  expect(read(dir, '.gemini/settings.json')).toBe(mine);
  expect(existsSync(join(dir, 'GEMINI.md'))).toBe(false);
});

describe("editJsonText: adding then taking out hzl's entries is the identity, over many layouts", () => {
  let seed = 7; // a fixed seed: the same thousand files on every run
  const pick = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const value = (depth: number): unknown => {
    const kind = pick(depth > 2 ? 4 : 6);
    if (kind === 0) return pick(100);
    if (kind === 1) return ['a', 'é\u00e9', 'x"y', 'https://a//b'][pick(4)];
    if (kind === 2) return pick(2) === 0;
    if (kind === 3) return null;
    if (kind === 4) return Array.from({ length: pick(3) }, () => value(depth + 1));
    const o: Json = {};
    for (let i = pick(4); i > 0; i -= 1) o[['hooks', 'mcpServers', 'Stop', 'env', 'x'][pick(5)]!] = value(depth + 1);
    return o;
  };
  const settings = (): Json => {
    const o: Json = {};
    for (let i = pick(4); i > 0; i -= 1) o[['model', 'env', 'permissions', 'theme'][pick(4)]!] = value(1);
    if (pick(2)) o.hooks = pick(2) ? { Stop: [{ hooks: [{ type: 'command', command: 'say' }] }] } : { x: 1 };
    if (pick(2)) o.mcpServers = { db: { command: 'db', args: ['-y'] } };
    return o;
  };
  const layout = (v: unknown): string => {
    const style = pick(5);
    const eol = pick(3) === 0 ? '\r\n' : '\n';
    const text = style === 0 ? JSON.stringify(v) : JSON.stringify(v, null, ['\t', '  ', '    ', 3][style - 1]);
    return text.replace(/\n/g, eol) + (pick(2) ? eol : '');
  };
  const changes: Array<[(v: Json) => Json, (v: Json) => Json]> = [
    [(v) => withHooks(v, CLAUDE_HOOKS), (v) => withoutHooks(v, CLAUDE_HOOKS)],
    [withMcpServer, withoutMcpServer],
    [(v) => withHooks(withMcpServer(v), GEMINI_HOOKS), (v) => withoutHooks(withoutMcpServer(v), GEMINI_HOOKS)],
  ];

  it('a thousand generated files', () => {
    let compared = 0;
    for (let i = 0; i < 1000; i += 1) {
      const text = layout(settings());
      const [add, drop] = changes[pick(changes.length)]!;
      const doc = parseJsonText(text);
      const added = parseJsonText(editJsonText(doc, add(doc.value as Json)));
      expect(added.value).toEqual(add(doc.value as Json));
      const back = drop(added.value as Json);
      if (!isDeepStrictEqual(back, doc.value)) continue; // hzl's entries alone filled a container: it goes
      expect(editJsonText(added, back)).toBe(text);
      compared += 1;
    }
    expect(compared).toBeGreaterThan(900);
  });
});

describe("a rerun keeps what the user added to hzl's MCP entry", () => {
  for (const [agent, path] of [
    ['cursor', '.cursor/mcp.json'],
    ['gemini', '.gemini/settings.json'],
  ] as const) {
    it(`${agent}: env and a -C in ${path} survive setup ${agent}; --remove takes the entry out`, () => {
      const repo = tempRepo();
      expect(hzl(repo, ['setup', agent]).status).toBe(0);
      const mine = read(repo, path).replace(
        /"args": \[\s*"mcp"\s*\]/,
        '"args": ["-C", "sub", "mcp"],\n      "env": { "HZL_AUTHOR": "cursor-agent" }',
      );
      expect(mine).toContain('HZL_AUTHOR');
      writeFileSync(join(repo, path), mine);
      expect(hzl(repo, ['setup', agent]).status).toBe(0);
      expect(read(repo, path)).toBe(mine);
      expect(hzl(repo, ['setup', agent, '--remove']).status).toBe(0);
      expect(existsSync(join(repo, path)) ? read(repo, path) : '').not.toContain('HZL_AUTHOR');
    });
  }
});
