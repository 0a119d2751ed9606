// Work across clones: the merge driver in a fresh clone and when hzl cannot run, and coordination
// of ids and claims through a shared remote (a bare repository by path and over `git daemon`).

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { driverCommand } from '../src/git/config.js';
import {
  baseEnv,
  git,
  hzl,
  hzlAsync,
  readTask,
  runInProcess,
  snapshot,
  taskFile,
  tempDir,
  tempRepo,
} from './helpers.js';
import { bareRemote, cloneOf, commitAll, errors, remoteRefs, team } from './clone-helpers.js';

runInProcess();

const AT = (iso: string) => ({ env: { HZL_NOW: iso, HZL_AUTHOR: 'agent' } });

/** A team of one clone, and a task added in the first repository that the other has pulled. */
async function sharedTask(title: string) {
  const { first, bare, clones } = await team(1, 'path');
  hzl(first, ['task', 'add', title], AT('2024-01-01T10:00:00Z'));
  commitAll(first, 'task');
  git(first, 'push', '-q', 'origin', 'main');
  const other = clones[0]!;
  git(other, 'pull', '-q', 'origin', 'main');
  return { first, bare, other };
}

function pull(repo: string) {
  const r = spawnSync('git', ['pull', '--no-rebase', '--no-edit', 'origin', 'main'], {
    cwd: repo,
    env: baseEnv(),
    encoding: 'utf8',
  });
  return { status: r.status, output: r.stdout + r.stderr };
}

describe('the merge driver across clones', () => {
  it('a fresh clone registers the driver at its first hzl command, and then merges with no markers', () => {
    const a = tempRepo();
    hzl(a, ['task', 'add', 'Shared'], AT('2024-01-01T10:00:00Z'));
    const bare = bareRemote(a);
    const b = cloneOf(bare);
    expect(spawnSync('git', ['config', '--get', 'merge.hzl.driver'], { cwd: b, env: baseEnv() }).status).toBe(1);

    hzl(a, ['task', 'checkpoint', '1', 'from clone a'], AT('2024-01-01T11:00:00Z'));
    commitAll(a, 'a');
    git(a, 'push', '-q', 'origin', 'main');

    const first = hzl(b, ['task', 'checkpoint', '1', 'from clone b'], AT('2024-01-01T12:00:00Z'));
    expect(first.status).toBe(0);
    expect(first.stderr).toMatch(
      new RegExp(
        '^hzl: note: registered the hzl merge driver in this clone ' +
          String.raw`\(git config merge\.hzl\.driver\), as \.gitattributes asks\n`,
      ),
    );
    expect(hzl(b, ['task', 'show', '1']).stderr).not.toMatch(/note:/); // once
    commitAll(b, 'b');

    const merged = pull(b);
    expect(merged.status, merged.output).toBe(0);
    const text = readTask(b, 1);
    expect(text).not.toMatch(/^(<<<<<<<|=======|>>>>>>>)/m);
    expect(text).toContain('agent: from clone a');
    expect(text).toContain('agent: from clone b');
  });

  it('when the registered hzl cannot run, the file keeps both sides with conflict markers', () => {
    const a = tempRepo();
    hzl(a, ['task', 'add', 'Shared'], AT('2024-01-01T10:00:00Z'));
    const bare = bareRemote(a);
    const b = cloneOf(bare);
    // What `hzl init` registered, from an install that has since been moved away.
    const gone = join(tempDir(), 'moved', 'bin', 'hzl.js');
    git(b, 'config', 'merge.hzl.name', 'hzl task merge');
    git(b, 'config', 'merge.hzl.driver', driverCommand([process.execPath, gone]));

    // Both sides add a line at the same place (by hand: an hzl command in b would register itself again).
    const append = (repo: string, line: string) => {
      const file = taskFile(repo, 1);
      writeFileSync(file, `${readFileSync(file, 'utf8')}- [2024-01-01T12:00:00Z] agent: ${line}\n`);
      return file;
    };
    append(a, 'from clone a');
    commitAll(a, 'a');
    git(a, 'push', '-q', 'origin', 'main');
    const file = append(b, 'from clone b');
    commitAll(b, 'b');

    const merged = pull(b);
    expect(merged.status).not.toBe(0);
    expect(merged.output).toMatch(/hzl merge driver could not run: used git merge-file/);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^<<<<<<< ours$/m);
    expect(text).toContain('from clone a');
    expect(text).toContain('from clone b');

    // The next hzl command registers a driver that runs; doctor says how to redo the merge with it.
    const doctor = hzl(b, ['doctor']);
    expect(doctor.stderr).toMatch(/^hzl: note: re-registered the hzl merge driver/);
    expect(doctor.stdout).toContain(
      `redo it with the hzl driver (git checkout -m -- .hzl/tasks/${file.split('/').pop()})`,
    );
    git(b, 'checkout', '-m', '--', file);
    const redone = readFileSync(file, 'utf8');
    expect(redone).not.toMatch(/^(<<<<<<<|=======|>>>>>>>)/m);
    expect(redone).toContain('agent: from clone a');
    expect(redone).toContain('agent: from clone b');
  });

  it('an older registration without the fallback is replaced at the next command', () => {
    const repo = tempRepo();
    const quote = (w: string) => `'${w}'`;
    git(
      repo,
      'config',
      'merge.hzl.driver',
      `${quote(process.execPath)} ${quote(join(process.cwd(), 'bin', 'hzl.js'))} merge-driver %O %A %B %P`,
    );
    const r = hzl(repo, ['task', 'list']);
    expect(r.stderr).toMatch(/^hzl: note: re-registered the hzl merge driver/);
    expect(git(repo, 'config', '--get', 'merge.hzl.driver')).toContain('git merge-file');
    expect(hzl(repo, ['task', 'list']).stderr).not.toMatch(/note:/);
  });
});

// Coordination through the remote

describe('hzl init --remote', () => {
  it('writes remote: NAME into .hzl/config.yml once the remote answers', () => {
    const repo = tempRepo();
    bareRemote(repo);
    const r = hzl(repo, ['init', '--remote', 'origin']);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(repo, '.hzl', 'config.yml'), 'utf8')).toMatch(/^remote: origin$/m);
    expect(hzl(repo, ['init', '--remote', 'origin']).stderr).toMatch(/already set up/);
  });

  it('in a repository not yet set up, an unreachable remote is exit 6 and nothing is created', () => {
    const repo = tempRepo({ init: false });
    git(repo, 'remote', 'add', 'origin', join(tempDir(), 'nowhere.git'));
    const r = hzl(repo, ['init', '--remote', 'origin']);
    expect(r.status).toBe(6);
    expect(r.stderr).toMatch(
      new RegExp(
        String.raw`^hzl: cannot coordinate through the remote 'origin' \(.+\); ` +
          String.raw`check the network and your access to it; nothing was written\n$`,
      ),
    );
    expect(existsSync(join(repo, '.hzl'))).toBe(false);
  });

  it('refuses a remote that does not exist, and writes nothing', () => {
    const repo = tempRepo();
    const before = readFileSync(join(repo, '.hzl', 'config.yml'), 'utf8');
    const r = hzl(repo, ['init', '--remote', 'upstream']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      "hzl: there is no git remote 'upstream' in this repository; add it with 'git remote add upstream URL' first\n",
    );
    expect(readFileSync(join(repo, '.hzl', 'config.yml'), 'utf8')).toBe(before);
  });
});

describe('ids and claims agreed through the remote', () => {
  it('8 clones adding 5 tasks each at once get 40 distinct ids (over git daemon)', async () => {
    const { clones, bare } = await team(8, 'daemon');
    const runs = await Promise.all(
      clones.flatMap((c, i) =>
        Array.from({ length: 5 }, (_, j) => hzlAsync(c, ['task', 'add', `task ${i}.${j}`], AT('2024-01-01T10:00:00Z'))),
      ),
    );
    for (const r of runs) expect(r.status, errors(r.stderr)).toBe(0);
    const ids = runs.map((r) => Number(r.stdout.trim()));
    expect(new Set(ids).size).toBe(40);
    expect(remoteRefs(bare, 'refs/hzl/ids/')).toHaveLength(40);
  }, 180_000);

  it('16 clones racing for one task: exactly one wins, 15 exit 4 naming the holder', async () => {
    const { first, clones } = await team(0, 'path');
    hzl(first, ['task', 'add', 'Contested'], AT('2024-01-01T10:00:00Z'));
    commitAll(first, 'task');
    git(first, 'push', '-q', 'origin', 'main');
    const racers = Array.from({ length: 16 }, () => cloneOf(git(first, 'remote', 'get-url', 'origin').trim()));
    void clones;
    const runs = await Promise.all(
      racers.map((c, i) => hzlAsync(c, ['task', 'claim', '1', '--author', `agent-${i}`], AT('2024-01-01T11:00:00Z'))),
    );
    const winners = runs.filter((r) => r.status === 0);
    expect(winners).toHaveLength(1);
    const winner = runs.indexOf(winners[0]!);
    for (const r of runs.filter((x) => x.status !== 0)) {
      expect(r.status, r.stderr).toBe(4);
      expect(errors(r.stderr)).toMatch(
        new RegExp(
          `^hzl: task #1 is claimed by agent-${winner} in .*: ` +
            `pick another task, or take it over with 'hzl task steal 1 --force'\\n$`,
        ),
      );
    }
    // The losers' files are untouched.
    expect(readTask(racers[(winner + 1) % 16]!, 1)).toMatch(/^status: ready$/m);
  }, 180_000);

  it('claim --next from 10 clones over 10 tasks takes 10 distinct tasks (over git daemon)', async () => {
    const { first, daemon } = await team(0, 'daemon');
    for (let i = 1; i <= 10; i++) hzl(first, ['task', 'add', `task ${i}`], AT('2024-01-01T10:00:00Z'));
    commitAll(first, 'tasks');
    git(first, 'push', '-q', 'origin', 'main');
    const racers = Array.from({ length: 10 }, () => cloneOf(daemon!.url));
    const runs = await Promise.all(
      racers.map((c, i) =>
        hzlAsync(c, ['task', 'claim', '--next', '--json', '--author', `agent-${i}`], AT('2024-01-01T11:00:00Z')),
      ),
    );
    const taken = runs.map((r) => {
      expect(r.status, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { task: { id: number } }).task.id;
    });
    expect(new Set(taken).size).toBe(10);
  }, 180_000);

  it('a release drops the remote claim, so another clone can claim the task', async () => {
    const { first, bare, other } = await sharedTask('Passed on');
    expect(hzl(first, ['task', 'claim', '1', '--author', 'alice'], AT('2024-01-01T11:00:00Z')).status).toBe(0);
    expect(remoteRefs(bare, 'refs/hzl/claims/')).toEqual(['refs/hzl/claims/1']);
    expect(hzl(other, ['task', 'claim', '1', '--author', 'bob'], AT('2024-01-01T11:05:00Z')).status).toBe(4);
    expect(hzl(first, ['task', 'release', '1', '--author', 'alice'], AT('2024-01-01T11:10:00Z')).status).toBe(0);
    expect(remoteRefs(bare, 'refs/hzl/claims/')).toEqual([]);
    expect(hzl(other, ['task', 'claim', '1', '--author', 'bob'], AT('2024-01-01T11:15:00Z')).status).toBe(0);
  }, 60_000);

  it('steal --force takes a claim held in another clone; --if-expired only once its lease ran out', async () => {
    const { first, other } = await sharedTask('Taken over');
    expect(
      hzl(first, ['task', 'claim', '1', '--author', 'alice', '--lease', '30m'], AT('2024-01-01T11:00:00Z')).status,
    ).toBe(0);
    // In the other clone the task looks ready: claim it there, then steal it from the remote.
    expect(hzl(other, ['task', 'claim', '1', '--author', 'bob'], AT('2024-01-01T11:05:00Z')).stderr).toMatch(
      /claimed by alice in .*steal 1 --force'/,
    );
    expect(hzl(other, ['task', 'claim', '1', '--author', 'bob'], AT('2024-01-01T12:00:00Z')).stderr).toMatch(
      /steal 1 --if-expired'/,
    );
  }, 60_000);

  it('an unreachable remote: exit 6, one line naming it, and nothing written', async () => {
    const { first, daemon } = await team(0, 'daemon');
    hzl(first, ['task', 'add', 'Before'], AT('2024-01-01T10:00:00Z'));
    await daemon!.stop();
    const before = snapshot(first);
    for (const args of [
      ['task', 'add', 'After'],
      ['task', 'claim', '1'],
    ]) {
      const r = hzl(first, args, AT('2024-01-01T11:00:00Z'));
      expect(r.status).toBe(6);
      expect(r.stderr).toMatch(
        new RegExp(
          String.raw`^hzl: cannot coordinate through the remote 'origin' \(.+\); ` +
            String.raw`check the network and your access to it; nothing was written\n$`,
        ),
      );
    }
    expect(snapshot(first)).toEqual(before);
  }, 60_000);

  it('without a remote in the config, nothing goes to the remote', () => {
    const repo = tempRepo();
    const bare = bareRemote(repo);
    hzl(repo, ['task', 'add', 'Local'], AT('2024-01-01T10:00:00Z'));
    expect(hzl(repo, ['task', 'claim', '1'], AT('2024-01-01T11:00:00Z')).status).toBe(0);
    expect(remoteRefs(bare, 'refs/hzl/')).toEqual([]);
  });
});

describe('hzl sync', () => {
  it('lists the claims on the remote and reports what changed elsewhere since the last sync', async () => {
    const { first, clones } = await team(1, 'path');
    hzl(first, ['task', 'add', 'One'], AT('2024-01-01T10:00:00Z'));
    hzl(first, ['task', 'add', 'Two'], AT('2024-01-01T10:00:00Z'));
    commitAll(first, 'tasks');
    git(first, 'push', '-q', 'origin', 'main');
    const other = clones[0]!;
    git(other, 'pull', '-q', 'origin', 'main');
    expect(
      hzl(first, ['task', 'claim', '1', '--author', 'alice', '--lease', '1h'], AT('2024-01-01T11:00:00Z')).status,
    ).toBe(0);

    const once = hzl(other, ['sync'], AT('2024-01-01T11:05:00Z'));
    expect(once.status, once.stderr).toBe(0);
    expect(once.stdout).toMatch(/^#1 alice in .+, lease until 2024-01-01 12:00\S*/m);

    expect(hzl(first, ['task', 'release', '1', '--author', 'alice'], AT('2024-01-01T11:10:00Z')).status).toBe(0);
    expect(hzl(first, ['task', 'claim', '2', '--author', 'alice'], AT('2024-01-01T11:10:00Z')).status).toBe(0);
    const again = hzl(other, ['sync', '--json'], AT('2024-01-01T11:15:00Z'));
    const doc = JSON.parse(again.stdout) as { claims: Array<{ id: number }>; changes: string[] };
    expect(doc.claims.map((c) => c.id)).toEqual([2]);
    expect(doc.changes).toEqual([expect.stringMatching(/^#2 claimed by alice in /), '#1 released by alice']);
  }, 60_000);

  it('without a remote: exit 2, saying how to set one', () => {
    const r = hzl(tempRepo(), ['sync']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("hzl: no remote to sync with: run 'hzl init --remote origin' (see docs/clones.md)\n");
  });
});

describe('pull request checks', () => {
  /** A repository whose task files hold a duplicate id and conflict markers. */
  function brokenRepo(): string {
    const repo = tempRepo();
    hzl(repo, ['task', 'add', 'One'], AT('2024-01-01T10:00:00Z'));
    hzl(repo, ['task', 'add', 'Two'], AT('2024-01-01T10:00:00Z'));
    const dir = join(repo, '.hzl', 'tasks');
    writeFileSync(join(dir, '1-copy.md'), readFileSync(taskFile(repo, 1), 'utf8').replace('title: One', 'title: Copy'));
    writeFileSync(
      taskFile(repo, 2),
      `${readTask(repo, 2)}<<<<<<< ours\n- [2024-01-01T11:00:00Z] a: x\n` +
        `=======\n- [2024-01-01T11:00:00Z] b: y\n>>>>>>> theirs\n`,
    );
    return repo;
  }

  it('doctor --ci: one line per problem in the task files, exit 5; nothing about this clone', () => {
    const clean = tempRepo();
    git(clean, 'config', '--unset', 'merge.hzl.driver');
    writeFileSync(join(clean, '.gitattributes'), ''); // a runner's clone may lack it all: not the pull request's fault
    expect(hzl(clean, ['doctor', '--ci']).status).toBe(0);

    const r = hzl(brokenRepo(), ['doctor', '--ci']);
    expect(r.status).toBe(5);
    const lines = r.stdout.trim().split('\n');
    expect(lines.every((l) => l.startsWith('problem: '))).toBe(true);
    expect(lines.some((l) => /^problem: \.hzl\/tasks\/1-(copy|one)\.md: id 1 is also used by/.test(l))).toBe(true);
    expect(lines.some((l) => /^problem: \.hzl\/tasks\/2-two\.md:\d+: conflict markers/.test(l))).toBe(true);
    expect(r.stderr).toMatch(/^hzl: \d+ problems? found: see above\n$/);
  });

  it('doctor --ci under GitHub Actions prints annotations', () => {
    const r = hzl(brokenRepo(), ['doctor', '--ci'], { env: { GITHUB_ACTIONS: 'true' } });
    expect(r.status).toBe(5);
    const lines = r.stdout.trim().split('\n');
    expect(lines.every((l) => /^::error file=\.hzl\/tasks\/[^,]+,(line=\d+,)?title=hzl [a-z-]+::/.test(l))).toBe(true);
    expect(lines.some((l) => /^::error file=\.hzl\/tasks\/1-(copy|one)\.md,title=hzl duplicate-id::/.test(l))).toBe(
      true,
    );
  });

  it('doctor --ci refuses --fix', () => {
    const r = hzl(tempRepo(), ['doctor', '--ci', '--fix']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('hzl: --ci only checks: drop --fix, or run hzl doctor --fix outside CI\n');
  });

  it('init --github writes a workflow that runs doctor --ci on pull requests, once', () => {
    const repo = tempRepo();
    const r = hzl(repo, ['init', '--github']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('.github/workflows/hzl.yml');
    const file = join(repo, '.github', 'workflows', 'hzl.yml');
    expect(readFileSync(file, 'utf8')).toMatch(/^on:\n {2}pull_request:$/m);
    expect(readFileSync(file, 'utf8')).toContain('run: npx --yes hzl doctor --ci');
    writeFileSync(file, '# mine\n');
    expect(hzl(repo, ['init', '--github']).status).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe('# mine\n');
  });
});

describe('offline work (HZL_OFFLINE=1), reconciled by hzl sync', () => {
  it('an id another clone took first is renumbered with a History line; offline claims reach the remote', async () => {
    const { first, bare, clones } = await team(1, 'path');
    const away = clones[0]!;
    const offline = { env: { HZL_NOW: '2024-01-01T10:00:00Z', HZL_AUTHOR: 'away', HZL_OFFLINE: '1' } };
    expect(hzl(away, ['task', 'add', 'Written offline'], offline).stdout).toBe('1\n');
    expect(hzl(away, ['task', 'claim', '1'], offline).status).toBe(0);
    expect(remoteRefs(bare, 'refs/hzl/')).toEqual([]);
    expect(hzl(first, ['task', 'add', 'Written online'], AT('2024-01-01T10:05:00Z')).stdout).toBe('1\n');

    const r = hzl(away, ['sync', '--json'], AT('2024-01-01T11:00:00Z'));
    expect(r.status, r.stderr).toBe(0);
    const { changes } = JSON.parse(r.stdout) as { changes: string[] };
    expect(changes[0]).toBe("#1 (added offline) was taken on 'origin' meanwhile: renumbered to #2");
    expect(changes[1]).toBe("#2 (claimed offline by away) is now claimed on 'origin'");
    expect(readTask(away, 2)).toMatch(
      new RegExp(
        String.raw`^- \[2024-01-01T11:00:00Z\] agent: renumbered from #1 ` +
          String.raw`\(added offline; another clone took #1 on the remote first\)$`,
        'm',
      ),
    );
    expect(remoteRefs(bare, 'refs/hzl/ids/')).toEqual(['refs/hzl/ids/1', 'refs/hzl/ids/2']);
    expect(remoteRefs(bare, 'refs/hzl/claims/')).toEqual(['refs/hzl/claims/2']);
    // Reconciled once: a second sync has nothing left to do.
    expect(
      (JSON.parse(hzl(away, ['sync', '--json'], AT('2024-01-01T11:05:00Z')).stdout) as { changes: string[] }).changes,
    ).toEqual([]);
  }, 60_000);
});

describe('repairs that converge', () => {
  it('two clones fixing the same duplicate id independently end, after pulling, with every task once', async () => {
    const { clones } = await team(2, 'path');
    const [a, b] = clones as [string, string];
    const off = (iso: string) => ({ env: { HZL_NOW: iso, HZL_AUTHOR: 'agent', HZL_OFFLINE: '1' } });
    expect(hzl(a, ['task', 'add', 'Alpha'], off('2024-01-01T10:00:00Z')).stdout).toBe('1\n');
    commitAll(a, 'alpha');
    git(a, 'push', '-q', 'origin', 'main');
    expect(hzl(b, ['task', 'add', 'Beta'], off('2024-01-01T10:05:00Z')).stdout).toBe('1\n');
    commitAll(b, 'beta');
    expect(pull(b).status).toBe(0);
    git(b, 'push', '-q', 'origin', 'main');
    expect(pull(a).status).toBe(0);

    // Each clone fixes it without seeing the other's fix, at its own time.
    expect(hzl(a, ['doctor', '--fix'], { env: { HZL_NOW: '2024-01-02T09:00:00Z' } }).status).toBe(0);
    expect(
      hzl(b, ['doctor', '--fix'], { env: { HZL_NOW: '2024-01-02T09:30:00Z', HZL_AUTHOR: 'someone-else' } }).status,
    ).toBe(0);
    commitAll(a, 'fix in a');
    git(a, 'push', '-q', 'origin', 'main');
    commitAll(b, 'fix in b');
    const merged = pull(b);
    expect(merged.status, merged.output).toBe(0);

    const names = readdirSync(join(b, '.hzl', 'tasks'))
      .filter((n) => n.endsWith('.md'))
      .sort();
    expect(names).toEqual(['1-alpha.md', '2-beta.md']);
    const beta = readTask(b, 2);
    expect(beta.match(/renumbered from #1/g)).toHaveLength(1);
    expect(hzl(b, ['doctor']).status).toBe(0);
  }, 60_000);
});

describe('checkpoints and the remote lease', () => {
  it('a checkpoint pushes the lease at most once per half lease, and never fails for the network', async () => {
    const { first, bare, daemon } = await team(0, 'daemon');
    hzl(first, ['task', 'add', 'Long work'], AT('2024-01-01T10:00:00Z'));
    expect(hzl(first, ['task', 'claim', '1', '--lease', '2h'], AT('2024-01-01T10:00:00Z')).status).toBe(0);
    const claimRef = () => git(bare, 'for-each-ref', '--format=%(objectname)', 'refs/hzl/claims/1').trim();
    const taken = claimRef();

    // Within the first half of the lease: local only.
    expect(hzl(first, ['task', 'checkpoint', '1', 'early'], AT('2024-01-01T10:30:00Z')).stderr).not.toMatch(/warning/);
    expect(claimRef()).toBe(taken);
    // Past it: the longer lease goes to the remote.
    expect(hzl(first, ['task', 'checkpoint', '1', 'later'], AT('2024-01-01T11:10:00Z')).status).toBe(0);
    const renewed = claimRef();
    expect(renewed).not.toBe(taken);
    expect(git(bare, 'log', '-1', '--format=%B', renewed)).toMatch(/^lease_until: 2024-01-01T13:10:00Z$/m);

    // The remote gone: the checkpoint is written all the same, with a warning.
    await daemon!.stop();
    const r = hzl(first, ['task', 'checkpoint', '1', 'offline now'], AT('2024-01-01T12:20:00Z'));
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(
      /^hzl: warning: the lease on the remote 'origin' was not renewed: cannot coordinate through the remote 'origin'/m,
    );
    expect(readTask(first, 1)).toContain('agent: offline now');
  }, 60_000);
});

describe('hzl sync --base', () => {
  /** main and a feature branch that both changed task #1; the feature branch checked out in `dev`. */
  function diverged() {
    const main = tempRepo();
    hzl(main, ['task', 'add', 'Shared'], AT('2024-01-01T10:00:00Z'));
    bareRemote(main);
    const dev = cloneOf(git(main, 'remote', 'get-url', 'origin').trim());
    git(dev, 'checkout', '-q', '-b', 'feature');
    hzl(dev, ['task', 'checkpoint', '1', 'on the branch'], AT('2024-01-01T11:00:00Z'));
    commitAll(dev, 'feature work');
    hzl(main, ['task', 'checkpoint', '1', 'on main'], AT('2024-01-01T12:00:00Z'));
    commitAll(main, 'main work');
    git(main, 'push', '-q', 'origin', 'main');
    return { main, dev };
  }

  it('merges the base with the driver and commits: the host has nothing left to merge', () => {
    const { dev } = diverged();
    const r = hzl(dev, ['sync', '--base', 'origin/main']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Merged origin\/main into this branch/);
    expect(
      spawnSync('git', ['merge-base', '--is-ancestor', 'origin/main', 'HEAD'], { cwd: dev, env: baseEnv() }).status,
    ).toBe(0);
    expect(git(dev, 'status', '--porcelain')).toBe('');
    const text = readTask(dev, 1);
    expect(text).not.toMatch(/^(<<<<<<<|=======|>>>>>>>)/m);
    expect(text).toContain('agent: on the branch');
    expect(text).toContain('agent: on main');
    expect(hzl(dev, ['sync', '--base', 'origin/main']).stderr).toMatch(/Already up to date with origin\/main/);
  });

  it('leaves conflicts outside .hzl/ to the user, naming them (exit 4)', () => {
    const { main, dev } = diverged();
    writeFileSync(join(dev, 'notes.txt'), 'branch\n');
    commitAll(dev, 'notes on the branch');
    writeFileSync(join(main, 'notes.txt'), 'main\n');
    commitAll(main, 'notes on main');
    git(main, 'push', '-q', 'origin', 'main');
    const r = hzl(dev, ['sync', '--base', 'origin/main']);
    expect(r.status).toBe(4);
    expect(r.stderr).toBe(
      'hzl: merging origin/main left conflicts in notes.txt: resolve them, git add them, then git commit\n',
    );
    expect(readTask(dev, 1)).not.toMatch(/^<<<<<<</m);
  });
});

describe('offline references', () => {
  it('depends_on and parent in tasks written offline follow the task they named when it is renumbered', async () => {
    const { first, clones } = await team(1, 'path');
    const away = clones[0]!;
    const offline = { env: { HZL_NOW: '2024-01-01T10:00:00Z', HZL_AUTHOR: 'away', HZL_OFFLINE: '1' } };
    hzl(away, ['task', 'add', 'Alpha'], offline);
    expect(hzl(away, ['task', 'add', 'Beta', '--depends-on', '1', '--parent', '1'], offline).stdout).toBe('2\n');
    hzl(first, ['task', 'add', 'Online'], AT('2024-01-01T10:05:00Z'));

    const r = hzl(away, ['sync', '--json'], AT('2024-01-01T11:00:00Z'));
    expect(r.status, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { changes: string[] }).changes).toEqual([
      "#1 (added offline) was taken on 'origin' meanwhile: renumbered to #3",
      '#2 (added offline) now names #3 where it named #1',
    ]);
    const beta = readTask(away, 2);
    expect(beta).toMatch(/^depends_on: \[3\]$/m);
    expect(beta).toMatch(/^parent: 3$/m);
    expect(readTask(away, 3)).toMatch(/^title: Alpha$/m);
  }, 60_000);
});

describe('task show and claims in other clones', () => {
  it('warns of a claim held in another clone, from a cache at most remote_cache old', async () => {
    const { first, other } = await sharedTask('Watched');
    expect(
      hzl(first, ['task', 'claim', '1', '--author', 'alice', '--lease', '1h'], AT('2024-01-01T11:00:00Z')).status,
    ).toBe(0);

    const seen = hzl(other, ['task', 'show', '1'], AT('2024-01-01T11:01:00Z'));
    expect(seen.status).toBe(0);
    expect(errors(seen.stderr)).toMatch(
      /^hzl: warning: #1 is claimed in another clone by alice \(.+\), lease until 2024-01-01 12:00\n$/,
    );
    const json = JSON.parse(hzl(other, ['task', 'show', '1', '--json'], AT('2024-01-01T11:01:10Z')).stdout) as {
      remote_claim: { author: string };
    };
    expect(json.remote_claim.author).toBe('alice');
    expect(hzl(first, ['task', 'show', '1'], AT('2024-01-01T11:01:00Z')).stderr).not.toMatch(/another clone/);

    expect(hzl(first, ['task', 'release', '1', '--author', 'alice'], AT('2024-01-01T11:02:00Z')).status).toBe(0);
    // Within remote_cache (30s) of the last fetch: the cached claims, no network.
    expect(hzl(other, ['task', 'show', '1'], AT('2024-01-01T11:01:20Z')).stderr).toMatch(
      /claimed in another clone by alice/,
    );
    // Past it: fetched again, and the claim is gone.
    expect(hzl(other, ['task', 'show', '1'], AT('2024-01-01T11:03:00Z')).stderr).not.toMatch(/another clone/);
  }, 60_000);
});
