// How a push of hzl's own ends: hzl lets go of the remote once it has its answer (whatever the
// remote does next), lets a receive-pack that outlived the time finish rather than kill it (a
// killed one leaves its ref locked), and does not count its own busy time against the remote.

import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { type AddressInfo, type Server, type Socket, createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { errors, remoteRefs, team } from './clone-helpers.js';
import { git, hzl, hzlAsync, readTask, snapshot, tempDir } from './helpers.js';

const ZERO = '0'.repeat(40);
const pkt = (text: string) => `${(Buffer.byteLength(text) + 4).toString(16).padStart(4, '0')}${text}`;

const servers: Server[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const s of servers.splice(0)) await new Promise((done) => s.close(done));
});

/**
 * A server that answers a push as receive-pack does (an empty ref list, then "ok" for the ref it
 * is sent), and afterwards keeps the connection open and says nothing, or sends without end.
 */
async function lingeringServer(after: 'silence' | 'flood'): Promise<number> {
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    sockets.push(socket);
    let got = '';
    let listed = false;
    socket.on('data', (data) => {
      got += data.toString('latin1');
      if (!listed && got.includes('git-receive-pack')) {
        listed = true;
        socket.write(`${pkt(`${ZERO} capabilities^{}\0report-status delete-refs\n`)}0000`);
      }
      const ref = / (refs\/hzl\/[^\0\n]+)\0/.exec(got)?.[1];
      if (listed && ref && got.includes('PACK')) {
        got = '';
        socket.write(`${pkt('unpack ok\n')}${pkt(`ok ${ref}\n`)}0000`);
        if (after === 'flood') {
          const chunk = Buffer.alloc(64 * 1024, 'x');
          const more = () => {
            while (!socket.destroyed && socket.write(chunk));
          };
          socket.on('drain', more);
          more();
        }
      }
    });
    socket.on('error', () => undefined);
  });
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return (server.address() as AddressInfo).port;
}

describe('once the remote has answered', () => {
  for (const after of ['silence', 'flood'] as const) {
    it(`hzl ends, though the remote keeps the connection (${after})`, async () => {
      const { clones } = await team(1);
      const clone = clones[0]!;
      expect(hzl(clone, ['task', 'add', 'One', '--author', 'a']).status).toBe(0);
      git(clone, 'remote', 'set-url', 'origin', `git://127.0.0.1:${await lingeringServer(after)}/r.git`);
      const r = await hzlAsync(clone, ['task', 'claim', '1', '--author', 'a']);
      expect(r.status, r.stderr).toBe(0);
      expect(readTask(clone, 1)).toMatch(/\nauthor: a\n/);
    });
  }
});

describe('a receive-pack on a path that outlives the time', () => {
  it('is let finish, not killed: its ref lands and stays unlocked, and a claim again works', async () => {
    const { bare, clones } = await team(1);
    const clone = clones[0]!;
    expect(hzl(clone, ['task', 'add', 'One', '--author', 'a']).status).toBe(0);
    // The remote holds the ref's lock (the transaction is prepared) until the test says go.
    const go = join(tempDir(), 'go');
    const hook = join(bare, 'hooks', 'reference-transaction');
    writeFileSync(hook, `#!/bin/sh\n[ "$1" = prepared ] || exit 0\nwhile [ ! -e '${go}' ]; do sleep 0.05; done\n`);
    chmodSync(hook, 0o755);
    const before = snapshot(clone);
    const r = await hzlAsync(clone, ['task', 'claim', '1', '--author', 'a'], {
      env: { HZL_REMOTE_TIMEOUT_MS: '250' },
    });
    expect(r.status).toBe(6);
    expect(errors(r.stderr)).toMatch(/\(no answer in 1 s; the ref may have reached it: 'hzl sync' shows/);
    expect(snapshot(clone)).toEqual(before);

    writeFileSync(go, '');
    const lock = join(bare, 'refs', 'hzl', 'claims', '1.lock');
    for (let i = 0; i < 600 && (existsSync(lock) || remoteRefs(bare, 'refs/hzl/claims/').length === 0); i++)
      await new Promise((done) => setTimeout(done, 50));
    expect(existsSync(lock)).toBe(false);
    expect(remoteRefs(bare, 'refs/hzl/claims/')).toEqual(['refs/hzl/claims/1']);
    // The record that landed is this clone's: claiming again takes it over.
    const again = hzl(clone, ['task', 'claim', '1', '--author', 'a']);
    expect(again.status, again.stderr).toBe(0);
  });
});

describe("hzl's own busy time", () => {
  it('does not count against the remote: a claim that waited on a lock longer than the push may take still lands', async () => {
    const { bare, clones } = await team(1, 'daemon');
    const clone = clones[0]!;
    expect(hzl(clone, ['task', 'add', 'One', '--author', 'a']).status).toBe(0);
    const locks = join(clone, '.git', 'hzl', 'locks');
    mkdirSync(locks, { recursive: true });
    const lock = join(locks, 'task-1.lock');
    writeFileSync(lock, `${process.pid}\n${hostname()}\n1700000000000-live\n`); // held by this live process
    const claim = hzlAsync(clone, ['task', 'claim', '1', '--author', 'a'], { env: { HZL_REMOTE_TIMEOUT_MS: '500' } });
    // Held past the push's 2 s on purpose: hzl waits for it blocked, and its push must not time out meanwhile.
    await new Promise((done) => setTimeout(done, 2500));
    rmSync(lock);
    const r = await claim;
    expect(r.status, r.stderr).toBe(0);
    expect(remoteRefs(bare, 'refs/hzl/claims/')).toEqual(['refs/hzl/claims/1']);
  });
});
