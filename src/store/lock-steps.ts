// Stepping through lock races, for tests only. With HZL_TEST_LOCK_STEPS=<folder>, a process
// stops at each named step of taking or breaking a lock (it writes `<pid>.<n>.<step>` there)
// until the test writes `<pid>.<n>.go`; before it sleeps waiting for a lock held by someone
// else, it writes `<pid>.<n>.waiting`. A test can so drive two processes through any
// interleaving it wants. Unset (always, outside tests), both are no-ops.

import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const folder = process.env.HZL_TEST_LOCK_STEPS;
const sleeper = new Int32Array(new SharedArrayBuffer(4));
let steps = 0;
let waitingNoted = -1;

export function lockStep(name: string): void {
  if (!folder) return;
  const n = ++steps;
  writeFileSync(join(folder, `${process.pid}.${n}.${name}`), '');
  const go = join(folder, `${process.pid}.${n}.go`);
  while (!existsSync(go)) Atomics.wait(sleeper, 0, 0, 2);
}

export function lockWaiting(): void {
  if (!folder || waitingNoted === steps) return;
  waitingNoted = steps;
  writeFileSync(join(folder, `${process.pid}.${steps}.waiting`), '');
}
