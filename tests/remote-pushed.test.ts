// What a clone remembers of the claims it pushed (<state dir>/remote-leases.json): two claims of
// different tasks at once in one clone each keep their entry, which a later release or failed
// write needs to take that claim back by compare-and-swap.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { letGo, started, team, tick } from './clone-helpers.js';
import { hzl, runInProcess, tempDir } from './helpers.js';

runInProcess();

describe('claims pushed by two commands at once', () => {
  it('both are remembered: the second waits while the first reads and writes the file', async () => {
    const { first } = await team(0);
    const at = { HZL_NOW: '2024-01-01T10:00:00Z', HZL_AUTHOR: 'carol' };
    for (const title of ['One', 'Two']) expect(hzl(first, ['task', 'add', title], { env: at }).status).toBe(0);
    const steps = tempDir();
    const env = { ...at, HZL_TEST_LOCK_STEPS: steps };
    const a = started(first, ['task', 'claim', '1'], env);
    // A stops once it has read what was pushed; then B claims #2 and runs until it waits, or ends.
    const stopped = (f: string) => f.endsWith('.pushed-read');
    while (!letGo(steps, a.pid, stopped).some(stopped)) await tick();
    const b = started(first, ['task', 'claim', '2'], env);
    while (!b.gone() && !letGo(steps, b.pid, stopped).some((f) => f.endsWith('.waiting') || stopped(f))) await tick();
    while (!a.gone() || !b.gone()) {
      letGo(steps, a.pid);
      letGo(steps, b.pid);
      await tick();
    }
    expect([await a.exit, await b.exit]).toEqual([0, 0]);
    const pushed = JSON.parse(readFileSync(join(first, '.git', 'hzl', 'remote-leases.json'), 'utf8'));
    expect(Object.keys(pushed).sort()).toEqual(['1', '2']);
  }, 120_000);
});
