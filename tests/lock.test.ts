// Unit tests of the lock primitives, in this process, on real files.

import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidDataError } from '../src/core/errors.js';
import { breakStale, removeIfSame } from '../src/store/lock-breaker.js';
import { judge } from '../src/store/lock-owner.js';
import { withLock, withLockAsync } from '../src/store/lock.js';
import { tempDir } from './helpers.js';

const DEAD = 2 ** 22 + 12345; // above Linux's default pid_max: nobody has it
const stale = `${DEAD}\n${hostname()}\n1700000000000-dead\n`;
const live = `${process.pid}\n${hostname()}\n1700000000000-live\n`;

describe('removeIfSame', () => {
  it('deletes the file judged stale, and leaves nothing else behind', () => {
    const dir = tempDir();
    const lock = join(dir, 'task-1.lock');
    writeFileSync(lock, stale);
    const judged = judge(lock, 60_000)!;
    expect(judged.stale).toBe(true);
    removeIfSame(lock, judged);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('puts back a fresh lock that took the place of the one judged stale', () => {
    const dir = tempDir();
    const lock = join(dir, 'task-1.lock');
    writeFileSync(lock, stale);
    const judged = judge(lock, 60_000)!;
    // Between the look and the act: the stale lock went, and a live process took the lock.
    rmSync(lock);
    writeFileSync(lock, live);
    removeIfSame(lock, judged);
    expect(readFileSync(lock, 'utf8')).toBe(live);
    expect(readdirSync(dir)).toEqual(['task-1.lock']);
  });

  it('leaves alone a folder made where the file was', () => {
    const dir = tempDir();
    const lock = join(dir, 'task-1.lock.break');
    writeFileSync(lock, stale);
    const judged = judge(lock, 60_000)!;
    rmSync(lock);
    mkdirSync(lock);
    writeFileSync(join(lock, 'inside'), live);
    removeIfSame(lock, judged);
    expect(readdirSync(dir)).toEqual(['task-1.lock.break']);
    expect(readdirSync(lock)).toEqual(['inside']);
  });
});

describe('breakStale', () => {
  it('waits for a breaker that is alive, and removes the stale lock once its turn comes', () => {
    const dir = tempDir();
    const lock = join(dir, 'task-1.lock');
    writeFileSync(lock, stale);
    mkdirSync(`${lock}.breaker`);
    writeFileSync(join(`${lock}.breaker`, `${process.pid}-0123456789ab`), live);
    expect(breakStale(lock)).toBe(false);
    expect(readFileSync(lock, 'utf8')).toBe(stale);
    rmSync(`${lock}.breaker`, { recursive: true });
    expect(breakStale(lock)).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('clears a dead breaker by its own name, then breaks the lock on the next try', () => {
    const dir = tempDir();
    const lock = join(dir, 'task-1.lock');
    writeFileSync(lock, stale);
    mkdirSync(`${lock}.breaker`);
    writeFileSync(join(`${lock}.breaker`, `${DEAD}-0123456789ab`), stale);
    expect(breakStale(lock)).toBe(false);
    expect(breakStale(lock)).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('withLock', () => {
  it('a folder where the lock should be is invalid data, at once', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'task-1.lock'));
    expect(() => withLock(join(dir, 'task-1.lock'), { what: 'task #1', timeoutMs: 60_000 }, () => 1)).toThrow(
      InvalidDataError,
    );
  });

  it('takes and releases a lock, leaving nothing behind', () => {
    const dir = tempDir();
    const lock = join(dir, 'task-1.lock');
    expect(withLock(lock, { what: 'task #1' }, () => readFileSync(lock, 'utf8').split('\n')[0])).toBe(
      String(process.pid),
    );
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('withLockAsync in one process', () => {
  it('holders take turns instead of one blocking the thread while the other awaits', async () => {
    const path = join(tempDir(), 'locks', 'commit.lock');
    const order: string[] = [];
    const tick = () => new Promise((resolve) => setImmediate(resolve));
    const first = withLockAsync(path, { what: 'a test', timeoutMs: 500 }, async () => {
      order.push('first in');
      await tick(); // as a commit awaits git
      order.push('first out');
    });
    const second = withLockAsync(path, { what: 'a test', timeoutMs: 500 }, async () => {
      order.push('second in');
    });
    await Promise.all([first, second]);
    expect(order).toEqual(['first in', 'first out', 'second in']);
    // A failing holder lets the next one in too.
    const failing = withLockAsync(path, { what: 'a test', timeoutMs: 500 }, async () => {
      throw new Error('boom');
    });
    const after = withLockAsync(path, { what: 'a test', timeoutMs: 500 }, async () => 'ran');
    await expect(failing).rejects.toThrow('boom');
    await expect(after).resolves.toBe('ran');
  });
});
