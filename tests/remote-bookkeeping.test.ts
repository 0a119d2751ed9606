// The bookkeeping of claims across clones: the claims cache follows the remote's URL and keeps
// this clone's own changes through a listing's fetch, a claim that could not be taken back says
// so, a release leaves another clone's claim alone, and prime and serve show claims elsewhere.

import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cloneOf, commitAll, errors, remoteRefs, team } from './clone-helpers.js';
import { git, hzl, hzlAsync, runInProcess, snapshot, taskFile, tempDir, tempRepo } from './helpers.js';
import { fetchText, serve, stopServers } from './serve-helpers.js';
import { remoteUrl, urlInConfig } from '../src/git/remote-url.js';

runInProcess();

const AT = (iso: string, author = 'agent') => ({ env: { HZL_NOW: iso, HZL_AUTHOR: author } });
const stateDir = (repo: string) => join(repo, '.git', 'hzl');

/** A first clone with tasks pushed to main, and a second clone of the same remote. */
async function twoClones(titles: string[]) {
  const { first, bare } = await team(0);
  for (const title of titles) expect(hzl(first, ['task', 'add', title], AT('2024-01-01T09:00:00Z')).status).toBe(0);
  commitAll(first, 'tasks');
  git(first, 'push', '-q', 'origin', 'main');
  return { first, bare, other: cloneOf(bare) };
}

/** Resolves once `file` exists: the event a hook or a server announces itself with. */
async function fileAppears(file: string): Promise<void> {
  while (!existsSync(file)) await new Promise((done) => setTimeout(done, 20));
}

describe('the claims cache follows the URL of the remote', () => {
  it('after git remote set-url, the claims cached from the old URL are not used', async () => {
    const { first, other } = await twoClones(['Shared']);
    expect(hzl(other, ['task', 'claim', '1'], AT('2024-01-01T10:00:00Z', 'agent-3')).status).toBe(0);
    expect(hzl(first, ['task', 'list'], AT('2024-01-01T10:00:01Z')).stdout).toMatch(/agent-3 \(other clone\)/);
    // Another remote, where nobody claimed anything: within remote_cache, yet the old claims are gone.
    const elsewhere = join(tempDir(), 'elsewhere.git');
    git(first, 'init', '-q', '--bare', '-b', 'main', elsewhere);
    git(first, 'push', '-q', elsewhere, 'main');
    git(first, 'remote', 'set-url', 'origin', elsewhere);
    const r = hzl(first, ['task', 'list'], AT('2024-01-01T10:00:02Z'));
    expect([r.status, r.stdout, r.stderr]).toEqual([0, '1\tready\t0\t-\tShared\n', '']);
    const cache = JSON.parse(readFileSync(join(stateDir(first), 'remote-claims.json'), 'utf8'));
    expect(cache).toMatchObject({ remote: 'origin', url: elsewhere, claims: [] });
  }, 60_000);

  it('a remote renamed away and another added under the old name: its own claims, not the old cache', async () => {
    const { first, bare, other } = await twoClones(['Shared']);
    expect(hzl(other, ['task', 'claim', '1'], AT('2024-01-01T10:00:00Z', 'agent-3')).status).toBe(0);
    expect(hzl(first, ['task', 'show', '1'], AT('2024-01-01T10:00:01Z')).stderr).toMatch(/agent-3/);
    const elsewhere = join(tempDir(), 'elsewhere.git');
    git(first, 'init', '-q', '--bare', '-b', 'main', elsewhere);
    git(first, 'push', '-q', elsewhere, 'main');
    git(first, 'remote', 'rename', 'origin', 'old');
    git(first, 'remote', 'add', 'origin', elsewhere);
    const r = hzl(first, ['task', 'show', '1'], AT('2024-01-01T10:00:02Z'));
    expect([r.status, r.stderr]).toEqual([0, '']);
    // And back: the first remote's claims are fetched again (not those cached for the other URL).
    git(first, 'remote', 'set-url', 'origin', bare);
    expect(hzl(first, ['task', 'show', '1'], AT('2024-01-01T10:00:03Z')).stderr).toMatch(/agent-3/);
  }, 60_000);
});

describe('sync compares claims with the last sync of the same remote URL', () => {
  it('after git remote set-url, the first sync reports no changes: the old claims were not released', async () => {
    const { first, other } = await twoClones(['Shared']);
    expect(hzl(other, ['task', 'claim', '1'], AT('2024-01-01T10:00:00Z', 'agent-3')).status).toBe(0);
    expect(hzl(first, ['sync'], AT('2024-01-01T10:01:00Z')).status).toBe(0);
    const elsewhere = join(tempDir(), 'elsewhere.git');
    git(first, 'init', '-q', '--bare', '-b', 'main', elsewhere);
    git(first, 'push', '-q', elsewhere, 'main');
    git(first, 'remote', 'set-url', 'origin', elsewhere);
    const r = hzl(first, ['sync', '--json'], AT('2024-01-01T10:02:00Z'));
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ claims: [], changes: [] });
  }, 60_000);
});

/**
 * A reference-transaction hook in `repo` that, once armed, holds the next ref update (the
 * fetch of a listing, after it has the remote's refs) until `go` exists, and says `held` first.
 */
function holdNextFetch(repo: string) {
  const dir = tempDir();
  const [arm, held, go] = ['arm', 'held', 'go'].map((n) => join(dir, n)) as [string, string, string];
  const hooks = join(repo, '.git', 'hooks');
  mkdirSync(hooks, { recursive: true });
  const script = [
    '#!/bin/sh',
    '[ "$1" = prepared ] || exit 0',
    `[ -e '${arm}' ] || exit 0`,
    `rm -f '${arm}'; : > '${held}'`,
    `while [ ! -e '${go}' ]; do sleep 0.02; done`,
  ].join('\n');
  writeFileSync(join(hooks, 'reference-transaction'), `${script}\n`);
  chmodSync(join(hooks, 'reference-transaction'), 0o755);
  return { arm: () => writeFileSync(arm, ''), held, go: () => writeFileSync(go, '') };
}

describe('own claim changes survive a listing that fetched before them', () => {
  it('a release while a listing fetches: the listing does not bring the released claim back', async () => {
    const { first, other } = await twoClones(['Mine', 'Theirs']);
    expect(hzl(first, ['task', 'claim', '1'], AT('2024-01-01T10:00:00Z')).status).toBe(0);
    expect(hzl(first, ['task', 'list'], AT('2024-01-01T10:00:10Z')).stdout).toMatch(/^1\tin_progress\t0\tagent\t/m);
    // A new claim elsewhere, so that the next fetch here updates a ref (and the hook runs).
    expect(hzl(other, ['task', 'claim', '2'], AT('2024-01-01T10:00:20Z', 'agent-3')).status).toBe(0);
    const hold = holdNextFetch(first);
    hold.arm();
    const listing = hzlAsync(first, ['task', 'list'], AT('2024-01-01T10:01:00Z'));
    await fileAppears(hold.held);
    const release = hzl(first, ['task', 'release', '1'], AT('2024-01-01T10:01:05Z'));
    expect(release.status, release.stderr).toBe(0);
    hold.go();
    expect((await listing).status).toBe(0);
    const r = hzl(first, ['task', 'list'], AT('2024-01-01T10:01:10Z'));
    expect([r.status, r.stdout, r.stderr]).toEqual([
      0,
      '1\tready\t0\t-\tMine\n2\tin_progress\t0\tagent-3 (other clone)\tTheirs\n',
      '',
    ]);
  }, 60_000);
});

/** A pre-receive hook on the bare remote that refuses every deletion of a ref. */
function refuseDeletions(bare: string): () => void {
  const hook = join(bare, 'hooks', 'pre-receive');
  const zero = '0000000000000000000000000000000000000000';
  writeFileSync(hook, `#!/bin/sh\nwhile read old new ref; do [ "$new" = ${zero} ] && exit 1; done\nexit 0\n`);
  chmodSync(hook, 0o755);
  return () => writeFileSync(hook, '#!/bin/sh\nexit 0\n');
}

describe('a claim pushed early that could not be taken back', () => {
  it('says so in one line, keeps the refusal exit code, and hzl sync takes it back later', async () => {
    const { first, bare } = await team(0);
    expect(hzl(first, ['task', 'add', 'Finished'], AT('2024-01-01T09:00:00Z')).status).toBe(0);
    expect(hzl(first, ['task', 'complete', '1', '--force'], AT('2024-01-01T09:01:00Z')).status).toBe(0);
    const allow = refuseDeletions(bare);
    const plain = hzl(first, ['task', 'claim', '1'], AT('2024-01-01T10:00:00Z'));
    const lines = errors(plain.stderr).split('\n').filter(Boolean);
    expect(lines).toHaveLength(2);
    const warning = lines.find((l) => l.includes('warning'));
    expect(warning).toMatch(/^hzl: warning: the claim on #1 pushed to 'origin' could not be taken back \(.+\); /);
    expect(warning).toMatch(/; other clones see it until its lease ends \(2024-01-01 12:00.*\): /);
    expect(warning).toMatch(/: run 'hzl sync' later to take it back$/);
    const refusal = hzl(first, ['task', 'claim', '1', '--offline'], AT('2024-01-01T10:00:00Z'));
    expect(plain.status).toBe(refusal.status);
    expect(lines).toContain(errors(refusal.stderr).trim());
    expect(remoteRefs(bare, 'refs/hzl/claims/')).toEqual(['refs/hzl/claims/1']);
    allow();
    const sync = hzl(first, ['sync'], AT('2024-01-01T10:05:00Z'));
    expect(sync.status, sync.stderr).toBe(0);
    expect(errors(sync.stderr)).toMatch(/took back the claim on #1/);
    expect(remoteRefs(bare, 'refs/hzl/claims/')).toEqual([]);
  }, 60_000);
});

describe('a claim whose local write failed and that could not be taken back', () => {
  it('claim and claim --next say so in one line, exit as the write failed, and sync takes it back', async () => {
    const { first, bare } = await team(0);
    expect(hzl(first, ['task', 'add', 'Read-only'], AT('2024-01-01T09:00:00Z')).status).toBe(0);
    const file = taskFile(first, 1);
    const allow = refuseDeletions(bare);
    chmodSync(file, 0o444);
    try {
      for (const args of [
        ['task', 'claim', '1'],
        ['task', 'claim', '--next'],
      ]) {
        const r = hzl(first, args, AT('2024-01-01T10:00:00Z', 'carol'));
        expect(r.status, args.join(' ')).toBe(5);
        const warnings = errors(r.stderr)
          .split('\n')
          .filter((l) => l.startsWith('hzl: warning:'));
        expect(warnings, args.join(' ')).toEqual([
          expect.stringMatching(/^hzl: warning: the claim on #1 pushed to 'origin' could not be taken back /),
        ]);
      }
    } finally {
      chmodSync(file, 0o644);
    }
    expect(remoteRefs(bare, 'refs/hzl/claims/')).toEqual(['refs/hzl/claims/1']);
    // A listing meanwhile caches the claim left on the remote.
    expect(hzl(first, ['task', 'list'], AT('2024-01-01T10:00:01Z', 'carol')).stdout).toMatch(/in_progress/);
    allow();
    expect(hzl(first, ['sync'], AT('2024-01-01T10:00:02Z')).status).toBe(0);
    expect(remoteRefs(bare, 'refs/hzl/claims/')).toEqual([]);
    // Taken back: neither the claims cache nor this clone's memory of the push shows it any more.
    const list = hzl(first, ['task', 'list'], AT('2024-01-01T10:00:03Z', 'carol'));
    expect([list.stdout, list.stderr]).toEqual(['1\tready\t0\t-\tRead-only\n', '']);
  }, 60_000);
});

describe('an offline add whose work list cannot be written', () => {
  it('exits 4 and writes no task: sync would never learn of one written then', () => {
    const repo = tempRepo();
    writeFileSync(join(repo, '.hzl', 'config.yml'), 'remote: origin\n');
    const locks = join(stateDir(repo), 'locks');
    mkdirSync(locks, { recursive: true });
    // Held by this live process: not stale, so the add waits HZL_LOCK_TIMEOUT_MS and gives up.
    writeFileSync(join(locks, 'offline.lock'), `${process.pid}\n${hostname()}\n1700000000000-live\n`);
    const before = snapshot(repo);
    const r = hzl(repo, ['task', 'add', 'A', '--offline'], { env: { HZL_AUTHOR: 'a', HZL_LOCK_TIMEOUT_MS: '200' } });
    expect(r.stderr).toMatch(/^hzl: the offline work list is locked by another hzl process/);
    expect(r.status).toBe(4);
    expect(snapshot(repo)).toEqual(before);
    rmSync(join(locks, 'offline.lock'));
    expect(hzl(repo, ['task', 'add', 'A', '--offline'], { env: { HZL_AUTHOR: 'a' } }).status).toBe(0);
    expect(JSON.parse(readFileSync(join(stateDir(repo), 'offline.json'), 'utf8'))).toEqual([
      { kind: 'id', id: 1, file: '1-a.md', created: expect.stringMatching(/^\d{4}-/) },
    ]);
  });
});

describe('a release drops only a claim this clone holds', () => {
  it('the same author name in another clone: its claim on the remote stays, and the release says so', async () => {
    const { first, bare, other } = await twoClones(['Shared']);
    // The other clone claims #1 as "claude" and pushes its file; this clone pulls it.
    expect(hzl(other, ['task', 'claim', '1'], AT('2024-01-01T10:00:00Z', 'claude')).status).toBe(0);
    commitAll(other, 'claim #1');
    git(other, 'push', '-q', 'origin', 'main');
    git(first, 'pull', '-q', 'origin', 'main');
    const r = hzl(first, ['task', 'release', '1'], AT('2024-01-01T10:05:00Z', 'claude'));
    expect(r.status, r.stderr).toBe(0);
    expect(errors(r.stderr)).toMatch(
      /^hzl: warning: the claim on #1 on 'origin' is claude's in another clone \(.*\): left there\b.*$/m,
    );
    expect(remoteRefs(bare, 'refs/hzl/claims/')).toEqual(['refs/hzl/claims/1']);
    // Its holder still releases it.
    expect(hzl(other, ['task', 'release', '1'], AT('2024-01-01T10:06:00Z', 'claude')).status).toBe(0);
    expect(remoteRefs(bare, 'refs/hzl/claims/')).toEqual([]);
  }, 60_000);
});

/** Task #1 "Shared" claimed by agent-3 in the other clone (lease 30m from 10:00); #2 "Free" open. */
async function claimedElsewhere() {
  const clones = await twoClones(['Shared', 'Free']);
  const claim = hzl(clones.other, ['task', 'claim', '1', '--lease', '30m'], AT('2024-01-01T10:00:00Z', 'agent-3'));
  expect(claim.status, claim.stderr).toBe(0);
  return clones;
}

describe('prime shows claims held in other clones', () => {
  it('the guide lists them with holder, clone and lease, and --json has them', async () => {
    const { first, other } = await claimedElsewhere();
    const r = hzl(first, ['prime'], AT('2024-01-01T10:05:00Z'));
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain('## Claimed in other clones');
    expect(r.stdout).toMatch(
      new RegExp(`^- #1 Shared \\(in_progress: agent-3 in [^\\n]*${other}, lease until 2024-01-01 10:30`, 'm'),
    );
    const json = JSON.parse(hzl(first, ['prime', '--json'], AT('2024-01-01T10:05:00Z')).stdout);
    expect(json.claimed_elsewhere).toEqual([
      expect.objectContaining({
        id: 1,
        status: 'in_progress',
        author: 'agent-3',
        remote_claim: expect.objectContaining({ author: 'agent-3', lease_until: '2024-01-01T10:30:00Z' }),
      }),
    ]);
  }, 60_000);

  it('the hook counts a task claimed elsewhere as taken, and names it', async () => {
    const { first } = await claimedElsewhere();
    const r = hzl(first, ['prime', '--hook'], AT('2024-01-01T10:05:00Z'));
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain('You hold no task. 1 ready to claim.');
    expect(r.stdout).toMatch(/^Claimed in other clones: #1 by agent-3 \(lease until 2024-01-01 10:30[^)]*\)$/m);
  }, 60_000);

  it('the same author name in this clone does not make another clone\'s claim "yours"', async () => {
    const { first, other } = await twoClones(['Shared']);
    expect(hzl(other, ['task', 'claim', '1'], AT('2024-01-01T10:00:00Z', 'claude')).status).toBe(0);
    commitAll(other, 'claim #1');
    git(other, 'push', '-q', 'origin', 'main');
    git(first, 'pull', '-q', 'origin', 'main');
    const r = hzl(first, ['prime', '--hook'], AT('2024-01-01T10:05:00Z', 'claude'));
    expect(r.stdout).toContain('You hold no task. 0 ready to claim.');
    expect(r.stdout).toMatch(/^Claimed in other clones: #1 by claude /m);
  }, 60_000);
});

describe('serve shows claims held in other clones', () => {
  afterEach(stopServers);

  it('the board card and the task page name the holder and the other clone, with the lease', async () => {
    const { first, other } = await claimedElsewhere();
    const served = await serve(first, [], { HZL_NOW: '2024-01-01T10:05:00Z', HZL_AUTHOR: 'agent' });
    const board = await fetchText(`${served.base}/`);
    expect(board.status).toBe(200);
    const card = /<a class="card s-([a-z_]+)" href="\/task\/1"[\s\S]*?<\/a>/.exec(board.body);
    expect(card?.[1]).toBe('in_progress');
    expect(card?.[0]).toMatch(/agent-3 \(other clone\)/);
    const page = await fetchText(`${served.base}/task/1`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('Claimed elsewhere');
    expect(page.body).toMatch(new RegExp(`agent-3 in [^<]*${other}[^<]*, lease until 2024-01-01 10:30`));
  }, 60_000);
});

describe('the board shows claims held in other clones', () => {
  it('piped (the plain board): the card is in progress, with the holder in the other clone', async () => {
    const { first } = await claimedElsewhere();
    const r = hzl(first, ['board'], AT('2024-01-01T10:05:00Z'));
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/^In progress \(1\)\n {2}#1 Shared \(agent-3 \(other clone\) · no checkpoint\)$/m);
  }, 60_000);
});

describe("the URL of a remote, read from the clone's config file", () => {
  const config = [
    '[core]',
    '\tbare = false',
    '[remote "upstream"]',
    '\turl = /elsewhere.git',
    '[Remote "origin"]',
    '\tfetch = +refs/heads/*:refs/remotes/origin/*',
    '\tURL = "/path with space/r.git" ; a comment',
    '\turl = /second.git',
    '[remote "Origin"]',
    '\turl = /other-case.git',
  ].join('\n');

  it('is the first url of that remote, as git reads the value', () => {
    expect(urlInConfig(config, 'origin')).toBe('/path with space/r.git');
    expect(urlInConfig(config, 'upstream')).toBe('/elsewhere.git');
    expect(urlInConfig(config, 'Origin')).toBe('/other-case.git');
    expect(urlInConfig(config, 'gone')).toBeUndefined();
  });

  it('joins a value continued on the next line, as git does', () => {
    const dir = tempDir();
    const cases = [
      '[remote "origin"]\n\turl = /srv/team\\\nA.git\n',
      '[remote "origin"]\r\n\turl = "/srv/q \\\r\nr.git"\r\n',
      '[remote "origin"]\n\turl = /srv/a.git ; no \\\n\tfetch = x\n',
      '[remote "origin"]\n\turl = /srv/b\\\\\n',
    ];
    for (const [i, text] of cases.entries()) {
      const file = join(dir, `config-${i}`);
      writeFileSync(file, text);
      const byGit = git(dir, 'config', '-f', file, '--get', 'remote.origin.url').replace(/\n$/, '');
      expect({ text, url: urlInConfig(text, 'origin') }).toEqual({ text, url: byGit });
    }
  });

  // git 2.39 reads an empty `url =` as one more URL, an empty one, not as a reset of the list
  // (git 2.46 and later reset it): the first URL, the one git fetches from, may be empty.
  it('with an empty url line, is the URL git fetches from: the first, even when empty', () => {
    const cases = [
      ['url =', 'url = /srv/a.git'],
      ['url = /srv/a.git', 'url =', 'url = /srv/b.git'],
      ['url = /srv/a.git', 'url ='],
      ['url = ""', 'url = /srv/b.git'],
      ['url = ; only a comment', 'url = /srv/b.git'],
    ];
    for (const lines of cases) {
      const repo = tempRepo();
      const file = join(repo, '.git', 'config');
      writeFileSync(file, `${readFileSync(file, 'utf8')}[remote "origin"]\n${lines.map((l) => `\t${l}\n`).join('')}`);
      const text = readFileSync(file, 'utf8');
      const fetchedFrom = git(repo, 'remote', 'get-url', 'origin').replace(/\n$/, '');
      const first = git(repo, 'config', '-f', file, '--get-all', 'remote.origin.url').split('\n')[0];
      const where = { cwd: repo, commonDir: join(repo, '.git') };
      expect({ lines, first, url: urlInConfig(text, 'origin') }).toEqual({ lines, first, url: fetchedFrom });
      expect({ lines, url: remoteUrl('origin', where, process.env) }).toEqual({ lines, url: fetchedFrom });
    }
  });

  it('is the URL git fetches from, also when the file includes another (git is asked then)', () => {
    const repo = tempRepo();
    const extra = join(tempDir(), 'extra.config');
    writeFileSync(extra, '[remote "origin"]\n\turl = /from/include.git\n');
    // The file's own url comes first, and git fetches from the first: `git config --get` would
    // show the include's, the last one.
    git(repo, 'config', 'remote.origin.url', '/local.git');
    git(repo, 'config', 'include.path', extra);
    const where = { cwd: repo, commonDir: join(repo, '.git') };
    expect(remoteUrl('origin', where, process.env)).toBe(git(repo, 'remote', 'get-url', 'origin').trim());
    expect(remoteUrl('origin', where, process.env)).toBe('/local.git');
    // An empty url in the include is one more URL after the first, not a reset (git 2.39).
    writeFileSync(extra, '[remote "origin"]\n\turl =\n');
    expect(remoteUrl('origin', where, process.env)).toBe(git(repo, 'remote', 'get-url', 'origin').trim());
    expect(remoteUrl('origin', where, process.env)).toBe('/local.git');
  });
});
