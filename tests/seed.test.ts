// The user's scenario, command by command, through the built CLI in a real git repository. The
// scenario is our own copy (tests/fixtures/session-handoffs.md), so it runs everywhere; where the
// shared seed it was copied from is present (../shared/seeds/), the copy is checked against it.

import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseEnv, HZL, hzl, readTask, ROOT, runInProcess, tempDir, tempRepo } from './helpers.js';

runInProcess();

const SCENARIO = resolve(ROOT, 'tests', 'fixtures', 'session-handoffs.md');
const SHARED_SEED = resolve(ROOT, '..', 'shared', 'seeds', 'session-handoffs.md');

/** The scenario's hzl lines, in order, and the `show` output it expects (its untagged block). */
function scenario(): { lines: string[]; expectedShow: string[] } {
  const text = readFileSync(SCENARIO, 'utf8');
  const blocks = [...text.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const lines = blocks.flatMap((b) => b.split('\n')).filter((l) => l.trim().startsWith('hzl '));
  const output = /```\n(Task #1:[\s\S]*?)```/.exec(text);
  if (!output) throw new Error(`${SCENARIO}: no expected output of hzl task show`);
  return { lines, expectedShow: output[1]!.trimEnd().split('\n') };
}

/** When the expected output says a checkpoint was written (`[2024-01-15 10:30] text`), by text. */
function checkpointTimes(expectedShow: string[]): Map<string, string> {
  const times = new Map<string, string>();
  for (const line of expectedShow) {
    const m = /^ {2}\[(\d{4}-\d\d-\d\d) (\d\d:\d\d)\] (.+)$/.exec(line);
    if (m) times.set(m[3]!, `${m[1]}T${m[2]}:00Z`);
  }
  return times;
}

function seedRepo(): string {
  const repo = tempRepo();
  const titles = [
    'Implement user authentication',
    'Add rate limiting',
    'Write API docs',
    'Set up CI',
    'Design the users API',
  ];
  for (const title of titles)
    expect(hzl(repo, ['task', 'add', title], { env: { HZL_AUTHOR: 'alice' } }).status).toBe(0);
  return repo;
}

const sectionLines = (text: string, header: string) => {
  const start = text.indexOf(`${header}\n`);
  const end = text.indexOf('\n## ', start + 1);
  return text
    .slice(start + header.length + 1, end === -1 ? undefined : end)
    .split('\n')
    .filter((l) => l.startsWith('- '));
};

describe('session handoffs scenario', () => {
  it('records progress, resumes, hands off and completes exactly as the seed shows', () => {
    const repo = seedRepo();

    // Recording progress
    let r = hzl(repo, ['task', 'claim', '1', '--author', 'claude-code']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^Claimed #1 for claude-code, lease until \d{4}-\d\d-\d\d \d\d:\d\d\n$/);
    const checkpoints = [
      'Designed schema with users, sessions, tokens tables',
      'Implemented User model with bcrypt password hashing',
      'Started on Session model, need to add expiry logic',
    ];
    let before = readTask(repo, 1);
    for (const [n, text] of checkpoints.entries()) {
      r = hzl(repo, ['task', 'checkpoint', '1', text]);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe('');
      const after = readTask(repo, 1);
      // One appended line: the file grows by exactly that line, nothing else moves.
      const added = after.split('\n').filter((l) => !before.split('\n').includes(l));
      expect(added.filter((l) => l.startsWith('- '))).toEqual([
        expect.stringMatching(new RegExp(`^- \\[[^\\]]+\\] claude-code: ${text}$`)),
      ]);
      // The first checkpoint also opens the section with a blank line before ## History.
      expect(after.split('\n').length).toBe(before.split('\n').length + (n === 0 ? 2 : 1));
      before = after;
    }
    expect(sectionLines(before, '## Checkpoints')).toHaveLength(3);

    // Resuming work
    r = hzl(repo, ['task', 'list', '--status', 'in_progress']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('1\tin_progress\t0\tclaude-code\tImplement user authentication\n');
    r = hzl(repo, ['task', 'list', '--author', 'claude-code']);
    expect(r.stdout).toBe('1\tin_progress\t0\tclaude-code\tImplement user authentication\n');

    r = hzl(repo, ['task', 'show', '1']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const t = '\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d';
    expect(r.stdout).toMatch(
      new RegExp(
        [
          '^Task #1: Implement user authentication',
          'Status: in_progress',
          'Author: claude-code',
          `Lease until: ${t}`,
          '',
          'Checkpoints:',
          `  \\[${t}\\] Designed schema with users, sessions, tokens tables`,
          `  \\[${t}\\] Implemented User model with bcrypt password hashing`,
          `  \\[${t}\\] Started on Session model, need to add expiry logic`,
          '$',
        ].join('\n'),
      ),
    );

    // Handoff between agents
    r = hzl(repo, [
      'task',
      'checkpoint',
      '1',
      'HANDOFF: Auth logic done. Remaining: tests and docs. See auth_service.rb',
    ]);
    expect(r.status).toBe(0);
    r = hzl(repo, ['task', 'show', '1']);
    expect(r.stdout).toContain('] HANDOFF: Auth logic done. Remaining: tests and docs. See auth_service.rb\n');
    r = hzl(repo, ['task', 'checkpoint', '1', 'Added unit tests for AuthService'], { env: { HZL_AUTHOR: 'agent-2' } });
    expect(r.status).toBe(0);
    r = hzl(repo, ['task', 'show', '1']);
    expect(r.stdout).toMatch(/\] \(agent-2\) Added unit tests for AuthService\n$/);

    // What to checkpoint
    expect(
      hzl(repo, [
        'task',
        'checkpoint',
        '1',
        'Auth middleware complete (auth_middleware.rb). Next: add rate limiting. ' +
          'Using Redis for token storage per team decision.',
      ]).status,
    ).toBe(0);
    expect(hzl(repo, ['task', 'checkpoint', '1', 'Working on it']).status).toBe(0);
    expect(sectionLines(readTask(repo, 1), '## Checkpoints')).toHaveLength(7);

    // Example workflow: session 1 (morning)
    expect(hzl(repo, ['task', 'claim', '5', '--author', 'claude-code']).status).toBe(0);
    expect(
      hzl(repo, ['task', 'checkpoint', '5', 'Started API design. Decided on REST over GraphQL for simplicity.']).status,
    ).toBe(0);
    expect(
      hzl(repo, ['task', 'checkpoint', '5', 'Defined endpoints: GET/POST /users, GET/PUT/DELETE /users/:id']).status,
    ).toBe(0);
    // Session 2 (afternoon)
    r = hzl(repo, ['task', 'show', '5']);
    expect(r.stdout).toContain('Started API design. Decided on REST over GraphQL for simplicity.');
    expect(r.stdout).toContain('Defined endpoints: GET/POST /users, GET/PUT/DELETE /users/:id');
    expect(hzl(repo, ['task', 'checkpoint', '5', 'Implemented GET /users with pagination']).status).toBe(0);
    expect(hzl(repo, ['task', 'checkpoint', '5', 'Implemented POST /users with validation']).status).toBe(0);
    r = hzl(repo, ['task', 'complete', '5']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('Completed #5: Design the users API\n');

    const five = readTask(repo, 5);
    expect(five).toMatch(/^status: done$/m);
    expect(five).toMatch(/^author: claude-code$/m);
    expect(five).not.toMatch(/^lease_until:/m);
    expect(sectionLines(five, '## Checkpoints')).toHaveLength(4);
    expect(sectionLines(five, '## History').map((l) => l.replace(/^- \[[^\]]+\] /, ''))).toEqual([
      'alice: created (ready)',
      'claude-code: claimed (ready → in_progress, lease 2h)',
      // No actor named: hzl acts for the holder, and says who ran it (git's user.name).
      'claude-code: completed (in_progress → done) (run by Test User)',
    ]);
  });

  it('runs every hzl line of the scenario verbatim through a shell, and show prints its layout', () => {
    const repo = seedRepo();
    const binDir = tempDir();
    mkdirSync(binDir, { recursive: true });
    symlinkSync(HZL, join(binDir, 'hzl'));
    const { lines, expectedShow } = scenario();
    expect(lines.length).toBeGreaterThan(15);
    const times = checkpointTimes(expectedShow);
    expect(times.size).toBe(3);
    let firstShow: string | undefined;
    for (const line of lines) {
      // The checkpoints the expected output shows are written at the times it shows.
      const at = [...times].find(([text]) => line.includes(JSON.stringify(text)))?.[1] ?? '2024-01-15T10:00:00Z';
      const r = spawnSync('bash', ['-c', line], {
        cwd: repo,
        env: baseEnv({ PATH: `${binDir}:${process.env.PATH}`, HZL_NOW: at }),
        encoding: 'utf8',
      });
      expect({ line, status: r.status, stderr: r.stderr }).toMatchObject({ line, status: 0 });
      if (line.startsWith('hzl task show 1') && firstShow === undefined) firstShow = r.stdout;
    }
    // The layout the scenario shows, line for line; hzl adds the lease, which it leaves out.
    const shown = (firstShow ?? '').trimEnd().split('\n');
    expect(shown.filter((l) => !l.startsWith('Lease until: '))).toEqual(expectedShow);
    expect(shown.filter((l) => l.startsWith('Lease until: '))).toEqual([
      expect.stringMatching(/^Lease until: 2024-01-15 \d\d:\d\d$/),
    ]);
    const show = hzl(repo, ['task', 'show', '1']).stdout;
    expect(show).toMatch(/^Task #1: Implement user authentication\nStatus: in_progress\nAuthor: claude-code\n/);
    expect(show).toContain('Working on it');
    expect(hzl(repo, ['task', 'show', '5']).stdout).toMatch(/^Task #5: Design the users API\nStatus: done\n/);
  });

  it.skipIf(!existsSync(SHARED_SEED))('our copy of the scenario is still the shared seed', () => {
    expect(readFileSync(SCENARIO, 'utf8')).toBe(readFileSync(SHARED_SEED, 'utf8'));
  });
});
