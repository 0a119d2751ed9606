// `hzl setup <agent>` and the hooks it installs (`hzl prime --hook`, `hzl prime --stop-hook`).

import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { countTokens } from 'gpt-tokenizer';
import { describe, expect, it } from 'vitest';
import { withBlock, withoutBlock } from '../src/core/marked-block.js';
import { baseEnv, git, hzl, readTask, runInProcess, tempDir, tempRepo } from './helpers.js';

runInProcess();

/** What a user already has in each file setup touches: odd spacing, CRLF, no final newline. */
const USER_FILES: Record<string, Record<string, string>> = {
  claude: {
    '.claude/settings.json': [
      '{',
      '  "permissions": {',
      '    "allow": [',
      '      "Bash(npm test)"',
      '    ]',
      '  },',
      '  "hooks": {',
      '    "SessionStart": [',
      '      {',
      '        "matcher": "startup",',
      '        "hooks": [',
      '          {',
      '            "type": "command",',
      '            "command": "echo mine"',
      '          }',
      '        ]',
      '      }',
      '    ]',
      '  }',
      '}',
      '',
    ].join('\n'),
    'CLAUDE.md': '# Project\n\nUse pnpm, not npm.',
  },
  codex: {
    'AGENTS.md': '# Agents\r\n\r\nRun `make test` before you push.\r\n',
    '.codex/config.toml': 'model = "o4"\n\n[mcp_servers.docs]\ncommand = "docs-mcp"\n',
  },
  cursor: {
    '.cursor/mcp.json':
      '{\n    "mcpServers": {\n        "db": {\n            "command": "db-mcp"\n        }\n    }\n}\n',
  },
  gemini: {
    'GEMINI.md': 'Be brief.\n\n',
    '.gemini/settings.json': '{\n  "theme": "dark"\n}\n',
  },
};

const TOUCHED: Record<string, string[]> = {
  claude: ['.claude/settings.json', 'CLAUDE.md'],
  codex: ['AGENTS.md', '.codex/config.toml'],
  cursor: ['.cursor/rules/hzl.mdc', '.cursor/mcp.json', '.cursor/hooks.json'],
  gemini: ['GEMINI.md', '.gemini/settings.json'],
};

function files(dir: string, agent: string): Record<string, string | null> {
  return Object.fromEntries(
    TOUCHED[agent]!.map((p) => [p, existsSync(join(dir, p)) ? readFileSync(join(dir, p), 'utf8') : null]),
  );
}

function writeUserFiles(dir: string, agent: string): void {
  for (const [path, text] of Object.entries(USER_FILES[agent]!)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

describe('hzl setup', () => {
  for (const agent of ['claude', 'codex', 'cursor', 'gemini']) {
    it(`${agent}: writes once, a rerun changes nothing, --remove gives back the user's bytes`, () => {
      const dir = tempRepo();
      writeUserFiles(dir, agent);
      const original = files(dir, agent);
      const first = hzl(dir, ['setup', agent]);
      expect(first.stderr).toContain(`Set up hzl for ${agent}`);
      expect(first.status).toBe(0);
      const written = files(dir, agent);
      for (const path of TOUCHED[agent]!) expect(written[path]).not.toBe(original[path]);
      // The user's Markdown and TOML stay where they were, untouched, ahead of hzl's block.
      for (const [path, text] of Object.entries(USER_FILES[agent]!)) {
        if (!path.endsWith('.json')) expect(written[path]!.startsWith(text)).toBe(true);
        else
          expect(Object.keys(JSON.parse(written[path]!))).toEqual(
            expect.arrayContaining(Object.keys(JSON.parse(text))),
          );
      }
      const second = hzl(dir, ['setup', agent]);
      expect(second.status).toBe(0);
      expect(second.stderr).toContain('nothing to change');
      expect(files(dir, agent)).toEqual(written);
      const removed = hzl(dir, ['setup', agent, '--remove']);
      expect(removed.status).toBe(0);
      expect(files(dir, agent)).toEqual(original);
      expect(hzl(dir, ['setup', agent, '--remove']).stderr).toContain('nothing to change');
    });
  }

  it("claude: hooks for session start (with compaction) and stop, beside the user's hooks", () => {
    const dir = tempRepo();
    writeUserFiles(dir, 'claude');
    expect(hzl(dir, ['setup', 'claude']).status).toBe(0);
    const settings = JSON.parse(readFileSync(join(dir, '.claude/settings.json'), 'utf8'));
    expect(settings.permissions).toEqual({ allow: ['Bash(npm test)'] });
    expect(settings.hooks.SessionStart).toEqual([
      { matcher: 'startup', hooks: [{ type: 'command', command: 'echo mine' }] },
      { matcher: 'startup|resume|clear|compact', hooks: [{ type: 'command', command: 'hzl prime --hook' }] },
    ]);
    expect(settings.hooks.Stop).toEqual([{ hooks: [{ type: 'command', command: 'hzl prime --stop-hook' }] }]);
    expect(readFileSync(join(dir, 'CLAUDE.md'), 'utf8')).toContain('hzl prime --hook');
  });

  it("claude: a rerun keeps hzl's hooks where they are when the user added some after them", () => {
    const dir = tempRepo();
    expect(hzl(dir, ['setup', 'claude']).status).toBe(0);
    const path = join(dir, '.claude/settings.json');
    const settings = JSON.parse(readFileSync(path, 'utf8'));
    settings.hooks.Stop.push({ hooks: [{ type: 'command', command: 'notify-send done' }] });
    writeFileSync(path, `${JSON.stringify(settings, null, 2)}\n`);
    const before = readFileSync(path, 'utf8');
    expect(hzl(dir, ['setup', 'claude']).stderr).toContain('nothing to change');
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(hzl(dir, ['setup', 'claude', '--remove']).status).toBe(0);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({
      hooks: { Stop: [{ hooks: [{ type: 'command', command: 'notify-send done' }] }] },
    });
  });

  it('in a fresh repository, creates the files and --remove deletes them again', () => {
    const dir = tempRepo();
    const status = git(dir, 'status', '--porcelain');
    for (const agent of ['claude', 'codex', 'cursor', 'gemini']) expect(hzl(dir, ['setup', agent]).status).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, '.cursor/mcp.json'), 'utf8'))).toEqual({
      mcpServers: { hzl: { command: 'hzl', args: ['mcp'] } },
    });
    expect(readFileSync(join(dir, '.codex/config.toml'), 'utf8')).toContain(
      '[mcp_servers.hzl]\ncommand = "hzl"\nargs = ["mcp"]\n',
    );
    for (const agent of ['claude', 'codex', 'cursor', 'gemini'])
      expect(hzl(dir, ['setup', agent, '--remove']).status).toBe(0);
    expect(git(dir, 'status', '--porcelain')).toBe(status);
  });

  it('refuses a settings file that is not valid JSON, writing nothing', () => {
    const dir = tempRepo();
    mkdirSync(join(dir, '.claude'));
    writeFileSync(join(dir, '.claude/settings.json'), '{ "hooks": [ }');
    const r = hzl(dir, ['setup', 'claude']);
    expect(r.status).toBe(5);
    expect(r.stderr).toMatch(
      new RegExp(
        String.raw`^hzl: \.claude\/settings\.json is not valid JSON \([^\n]*\); ` +
          String.raw`fix it or move it aside, then run 'hzl setup claude' again\n$`,
      ),
    );
    expect(readFileSync(join(dir, '.claude/settings.json'), 'utf8')).toBe('{ "hooks": [ }');
    expect(existsSync(join(dir, 'CLAUDE.md'))).toBe(false);
    writeFileSync(join(dir, '.claude/settings.json'), '{ "hooks": [] }');
    expect(hzl(dir, ['setup', 'claude']).stderr).toMatch(
      /^hzl: \.claude\/settings\.json has a 'hooks' that is not an object; /,
    );
  });

  it('names the agents it knows when given another', () => {
    const r = hzl(tempRepo(), ['setup', 'vim']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("hzl: unknown agent 'vim': use claude, codex, cursor or gemini\n");
  });
});

describe('hzl prime --hook', () => {
  it('stays under 1,500 tokens with 20 open tasks, and quotes the name in its commands', () => {
    const dir = tempRepo();
    const env = { HZL_AUTHOR: 'Alice Dev' };
    const long = 'Reworked the session store (src/session/store.ts, src/session/cookie.ts); next: rotate keys. '.repeat(
      6,
    );
    for (let i = 1; i <= 20; i++) {
      expect(
        hzl(dir, ['task', 'add', `Task number ${i} with a reasonably long title that says what is to be done`]).status,
      ).toBe(0);
      expect(hzl(dir, ['task', 'claim', String(i)], { env }).status).toBe(0);
      expect(hzl(dir, ['task', 'checkpoint', String(i), long], { env }).status).toBe(0);
    }
    const r = hzl(dir, ['prime', '--hook'], { env });
    expect(r.status).toBe(0);
    expect(countTokens(r.stdout)).toBeLessThan(1500);
    expect(r.stdout).toContain("hzl task claim --next --author 'Alice Dev'");
    expect(r.stdout).toContain('- #1 Task number 1');
    expect(r.stdout).toMatch(/… and \d+ more: hzl task list --author 'Alice Dev'\n$/);
  });

  it('shows the handoff note of a task handed to the agent', () => {
    const dir = tempRepo();
    const env = { HZL_AUTHOR: 'claude-code' };
    hzl(dir, ['task', 'add', 'Write docs']);
    hzl(dir, ['task', 'claim', '1'], { env: { HZL_AUTHOR: 'codex' } });
    hzl(dir, ['task', 'handoff', '1', 'Outline done; see docs/outline.md', '--to', 'claude-code'], {
      env: { HZL_AUTHOR: 'codex' },
    });
    const r = hzl(dir, ['prime', '--hook'], { env });
    expect(r.stdout).toContain('- #1 Write docs (ready, handed to you: claim it)');
    expect(r.stdout).toMatch(/handoff: \[[^\]]+\] codex: HANDOFF: Outline done; see docs\/outline\.md/);
  });

  it('prints nothing outside an hzl project (a hook runs in every session)', () => {
    const dir = tempRepo({ init: false });
    const r = hzl(dir, ['prime', '--hook']);
    expect(r).toEqual({ status: 0, stdout: '', stderr: '' });
  });
});

/** A repository whose `hzl init` is committed: what is left uncommitted is the test's own. */
function committedRepo(): string {
  const dir = tempRepo();
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'hzl init');
  return dir;
}

describe('handoff file references', () => {
  it('a handoff names the branch, HEAD and the files changed since the claim; show prints them under the note', () => {
    const dir = committedRepo();
    const env = { HZL_AUTHOR: 'codex' };
    hzl(dir, ['task', 'add', 'Rate limiting']);
    expect(hzl(dir, ['task', 'claim', '1'], { env }).status).toBe(0);
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src/rate.ts'), 'committed after the claim\n');
    git(dir, 'add', 'src/rate.ts');
    // Committed a few seconds after the claim (times have whole seconds; see docs/decisions.md).
    const later = new Date(Date.now() + 5000).toISOString();
    const commit = spawnSync('git', ['commit', '-qm', 'rate'], {
      cwd: dir,
      env: baseEnv({ GIT_COMMITTER_DATE: later }),
    });
    expect(commit.status).toBe(0);
    writeFileSync(join(dir, 'notes, draft.md'), 'not committed\n');
    const head = git(dir, 'rev-parse', '--short', 'HEAD').trim();
    expect(hzl(dir, ['task', 'handoff', '1', 'Bucket done; tests remain'], { env }).status).toBe(0);
    const line = `Files: branch main @ ${head}; changed since the claim: "notes, draft.md", src/rate.ts`;
    expect(readTask(dir, 1)).toContain(`codex: HANDOFF: Bucket done; tests remain\n  ${line}\n`);
    const show = hzl(dir, ['task', 'show', '1']).stdout;
    expect(show).toMatch(
      new RegExp(`HANDOFF: Bucket done; tests remain\\n\\s+${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n`),
    );
  });

  it('a committed file with a name that is not ASCII is named as it is, not in C quotes', () => {
    const dir = committedRepo();
    const env = { HZL_AUTHOR: 'codex' };
    hzl(dir, ['task', 'add', 'Accents']);
    expect(hzl(dir, ['task', 'claim', '1'], { env }).status).toBe(0);
    writeFileSync(join(dir, 'café.ts'), 'x\n');
    git(dir, 'add', 'café.ts');
    const later = new Date(Date.now() + 5000).toISOString();
    expect(
      spawnSync('git', ['commit', '-qm', 'accents'], { cwd: dir, env: baseEnv({ GIT_COMMITTER_DATE: later }) }).status,
    ).toBe(0);
    expect(hzl(dir, ['task', 'checkpoint', '1', 'Named', '--files'], { env }).status).toBe(0);
    expect(readTask(dir, 1)).toMatch(/changed since the claim: café\.ts\n/);
  });

  it('checkpoint --files appends the same line', () => {
    const dir = committedRepo();
    const env = { HZL_AUTHOR: 'codex' };
    hzl(dir, ['task', 'add', 'Docs']);
    hzl(dir, ['task', 'claim', '1'], { env });
    writeFileSync(join(dir, 'guide.md'), 'draft\n');
    expect(hzl(dir, ['task', 'checkpoint', '1', 'Outline written', '--files'], { env }).status).toBe(0);
    expect(readTask(dir, 1)).toMatch(
      /codex: Outline written\n {2}Files: branch main @ [0-9a-f]{7,}; changed since the claim: guide\.md\n/,
    );
  });

  it('outside git, it says so', () => {
    const dir = tempDir();
    expect(hzl(dir, ['init']).status).toBe(0);
    const env = { HZL_AUTHOR: 'codex' };
    hzl(dir, ['task', 'add', 'Docs'], { env });
    hzl(dir, ['task', 'claim', '1'], { env });
    hzl(dir, ['task', 'handoff', '1', 'Nothing yet'], { env });
    expect(readTask(dir, 1)).toContain('HANDOFF: Nothing yet\n  Files: not in a git work tree\n');
  });

  it('says so briefly when nothing changed', () => {
    const dir = committedRepo();
    const env = { HZL_AUTHOR: 'codex' };
    hzl(dir, ['task', 'add', 'Docs']);
    hzl(dir, ['task', 'claim', '1'], { env });
    hzl(dir, ['task', 'handoff', '1', 'Nothing yet'], { env });
    expect(readTask(dir, 1)).toMatch(
      /HANDOFF: Nothing yet\n {2}Files: branch main @ [0-9a-f]{7,}; nothing changed since the claim\n/,
    );
  });
});

describe('hzl prime --stop-hook', () => {
  const env = { HZL_AUTHOR: 'claude-code' };

  function heldTask(): string {
    const dir = committedRepo();
    hzl(dir, ['task', 'add', 'Auth'], { env });
    hzl(dir, ['task', 'claim', '1'], { env });
    hzl(dir, ['task', 'checkpoint', '1', 'Schema designed'], { env });
    return dir;
  }

  it('asks once for a checkpoint when a held task has files changed since its last one', () => {
    const dir = heldTask();
    const file = join(dir, 'auth.ts');
    writeFileSync(file, 'export {}\n');
    const later = new Date(Date.now() + 5000); // past the checkpoint's second, whatever the machine's speed
    utimesSync(file, later, later);
    const r = hzl(dir, ['prime', '--stop-hook'], { env, input: '{"hook_event_name":"Stop","stop_hook_active":false}' });
    expect(r.status).toBe(0);
    const answer = JSON.parse(r.stdout);
    expect(answer.decision).toBe('block');
    expect(answer.reason).toMatch(
      new RegExp(
        String.raw`^hzl: you hold #1 \(1 file changed since its last checkpoint\)\. ` +
          'Before stopping, record where it stands: hzl task checkpoint 1 --files ',
      ),
    );
    const again = hzl(dir, ['prime', '--stop-hook'], {
      env,
      input: '{"hook_event_name":"Stop","stop_hook_active":true}',
    });
    expect(again).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  it('says nothing when there is no work since the last checkpoint, or no task held', () => {
    const dir = heldTask();
    expect(hzl(dir, ['prime', '--stop-hook'], { env })).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(hzl(dir, ['prime', '--stop-hook'], { env: { HZL_AUTHOR: 'codex' } })).toEqual({
      status: 0,
      stdout: '',
      stderr: '',
    });
    expect(hzl(tempRepo({ init: false }), ['prime', '--stop-hook'], { env })).toEqual({
      status: 0,
      stdout: '',
      stderr: '',
    });
  });
});

describe('hzl setup with CLAUDE.md linked to AGENTS.md', () => {
  it('claude and codex keep a block each in the one file, and both come out again', () => {
    const dir = tempRepo();
    writeFileSync(join(dir, 'AGENTS.md'), '# Agents\n\nShared rules.\n');
    symlinkSync('AGENTS.md', join(dir, 'CLAUDE.md'));
    for (const agent of ['claude', 'codex']) expect(hzl(dir, ['setup', agent]).status).toBe(0);
    const both = readFileSync(join(dir, 'AGENTS.md'), 'utf8');
    expect(both).toContain('hzl setup claude');
    expect(both).toContain('## Working with hzl tasks');
    for (const agent of ['claude', 'codex']) expect(hzl(dir, ['setup', agent]).stderr).toContain('nothing to change');
    expect(readFileSync(join(dir, 'AGENTS.md'), 'utf8')).toBe(both);
    for (const agent of ['codex', 'claude']) expect(hzl(dir, ['setup', agent, '--remove']).status).toBe(0);
    expect(readFileSync(join(dir, 'AGENTS.md'), 'utf8')).toBe('# Agents\n\nShared rules.\n');
    expect(lstatSync(join(dir, 'CLAUDE.md')).isSymbolicLink()).toBe(true);
  });
});

describe('marked blocks', () => {
  const m = { beginPrefix: '<!-- hzl:begin', begin: '<!-- hzl:begin (test) -->', end: '<!-- hzl:end -->' };

  it('round-trips any ending: none, one line break, a blank line, CRLF, an empty file', () => {
    for (const text of ['x', 'x\n', 'x\n\n', '# A\r\n\r\nb\r\n', '']) {
      const added = withBlock(text, 'body', m);
      expect(withBlock(added, 'body', m)).toBe(added);
      expect(withoutBlock(added, m)).toBe(text);
    }
    expect(withBlock('# A\r\n', 'one\ntwo', m)).toBe(
      '# A\r\n\r\n<!-- hzl:begin (test) -->\r\none\r\ntwo\r\n<!-- hzl:end -->\r\n',
    );
  });

  it('refreshes a block in the middle in place and leaves the text around it', () => {
    const text = 'top\n<!-- hzl:begin (old words) -->\nold\n<!-- hzl:end -->\nbottom\n';
    expect(withBlock(text, 'new', m)).toBe('top\n<!-- hzl:begin (test) -->\nnew\n<!-- hzl:end -->\nbottom\n');
    expect(withoutBlock(text, m)).toBe('top\nbottom\n');
  });

  it("takes a lone marker for the user's text", () => {
    const text = 'see <!-- hzl:end --> here\n';
    expect(withoutBlock(text, m)).toBe(text);
    expect(withBlock(text, 'b', m).startsWith(text)).toBe(true);
  });
});
