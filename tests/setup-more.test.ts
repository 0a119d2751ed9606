// `hzl setup`, continued: one AGENTS.md block writer for `init --agents` and `setup codex`, JSON
// configs given back byte for byte whatever their layout, and Cursor's and Gemini CLI's hooks.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
