// A cloned repository can ship links at the files hzl writes beside the user's (AGENTS.md,
// CLAUDE.md, .claude/): hzl follows them only while they stay inside the repository.

import { mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hzl, runInProcess, tempDir, tempRepo } from './helpers.js';

runInProcess();

describe('links that lead outside the repository', () => {
  it('setup claude refuses a CLAUDE.md or a .claude that links outside, and writes nothing there', () => {
    for (const [name, makeLink] of [
      ['CLAUDE.md', (repo: string, outside: string) => symlinkSync(join(outside, 'notes.md'), join(repo, 'CLAUDE.md'))],
      ['.claude', (repo: string, outside: string) => symlinkSync(outside, join(repo, '.claude'))],
    ] as const) {
      const repo = tempRepo();
      const outside = tempDir();
      writeFileSync(join(outside, 'notes.md'), 'my own notes\n');
      makeLink(repo, outside);
      const r = hzl(repo, ['setup', 'claude']);
      expect({ name, status: r.status }).toEqual({ name, status: 5 });
      expect(r.stderr).toMatch(/leads outside the repository through a link/);
      expect(readdirSync(outside)).toEqual(['notes.md']);
      expect(readFileSync(join(outside, 'notes.md'), 'utf8')).toBe('my own notes\n');
    }
  });

  it('init --agents refuses an AGENTS.md that links outside; a link inside is followed and kept', () => {
    const repo = tempRepo();
    const outside = tempDir();
    writeFileSync(join(outside, 'victim'), 'keep me\n');
    symlinkSync(join(outside, 'victim'), join(repo, 'AGENTS.md'));
    const r = hzl(repo, ['init', '--agents']);
    expect(r.status).toBe(5);
    expect(readFileSync(join(outside, 'victim'), 'utf8')).toBe('keep me\n');

    const inside = tempRepo();
    mkdirSync(join(inside, 'docs'));
    writeFileSync(join(inside, 'docs', 'agents.md'), '# Ours\n');
    symlinkSync('docs/agents.md', join(inside, 'AGENTS.md'));
    expect(hzl(inside, ['init', '--agents']).status).toBe(0);
    expect(readFileSync(join(inside, 'docs', 'agents.md'), 'utf8')).toMatch(/^# Ours\n[\s\S]*hzl/);
  });
});
