// .hzl-example/ is the format's showcase: every file must round-trip byte for byte and the CLI
// must read it as a project.

import { cpSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STATUSES } from '../src/core/task.js';
import { parseConfig } from '../src/format/config.js';
import { parseTaskFile, renderTaskFile } from '../src/format/task-file.js';
import { hzl, ROOT, runInProcess, tempRepo } from './helpers.js';

runInProcess();

const EXAMPLE = join(ROOT, '.hzl-example');
const TASKS = join(EXAMPLE, 'tasks');
const files = readdirSync(TASKS).filter((n) => n.endsWith('.md'));

describe('.hzl-example', () => {
  it.each(files)('%s round-trips byte for byte', (name) => {
    const text = readFileSync(join(TASKS, name), 'utf8');
    const doc = parseTaskFile(text, name);
    expect(renderTaskFile(doc.task, doc)).toBe(text);
    expect(renderTaskFile(doc.task)).toBe(text); // hzl wrote it: canonical form
  });

  it('shows every status, checkpoints, a handoff, a dependency and a subtask', () => {
    const tasks = files.map((n) => parseTaskFile(readFileSync(join(TASKS, n), 'utf8'), n).task);
    expect(new Set(tasks.map((t) => t.status))).toEqual(new Set(STATUSES));
    expect(tasks.some((t) => t.checkpoints.some((c) => c.text.startsWith('HANDOFF:')))).toBe(true);
    expect(tasks.some((t) => t.checkpoints.some((c) => c.text.includes('\n')))).toBe(true);
    expect(tasks.some((t) => t.depends_on.length > 0)).toBe(true);
    expect(tasks.some((t) => t.parent !== undefined)).toBe(true);
    expect(parseConfig(readFileSync(join(EXAMPLE, 'config.yml'), 'utf8'), 'config.yml')).toEqual({
      commit: false,
      lease: '2h',
    });
  });

  it('is read by the CLI as a project', () => {
    const repo = tempRepo({ init: false });
    cpSync(EXAMPLE, join(repo, '.hzl'), { recursive: true });
    const list = hzl(repo, ['task', 'list', '--all', '--json']);
    expect(list.status).toBe(0);
    expect(list.stderr).toBe('');
    expect(JSON.parse(list.stdout).tasks).toHaveLength(files.length);
    const show = hzl(repo, ['task', 'show', '1']);
    expect(show.status).toBe(0);
    expect(show.stdout).toContain('Depends on: #2 (done)');
    expect(show.stdout).toContain('    Remaining: login rate limit hook and docs.');
    expect(show.stdout).toContain('] (codex) Picked up from the handoff.');
  });
});
