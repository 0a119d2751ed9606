// hzl run in-process, yet called synchronously like spawnSync: a worker thread holds the built
// dist/main.js and runs each call through its runArgv (argument parsing, store, files, real git),
// while the test thread waits on a shared flag and then takes the answer off the port.
// docs/decisions.md ("A test suite that runs in minutes") says why and what stays a process.

import { join } from 'node:path';
import { MessageChannel, type MessagePort, Worker, receiveMessageOnPort } from 'node:worker_threads';

export interface Call {
  cwd: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  input: string;
}

export interface Answer {
  status: number;
  stdout: string;
  stderr: string;
}

const CALL_TIMEOUT_MS = 120_000;

let runner: { port: MessagePort; flag: Int32Array; worker: Worker } | undefined;

function start(root: string): NonNullable<typeof runner> {
  const { port1, port2 } = new MessageChannel();
  const signal = new SharedArrayBuffer(4);
  const worker = new Worker(join(root, 'tests', 'in-process-worker.mjs'), {
    workerData: { dist: join(root, 'dist'), port: port2, signal },
    transferList: [port2],
    stdout: false,
    stderr: false,
  });
  worker.unref(); // the test file ends when its tests do
  port1.unref();
  return { port: port1, flag: new Int32Array(signal), worker };
}

let calls = 0;

export function runInWorker(root: string, call: Call): Answer {
  runner ??= start(root);
  // The flag holds the number of the call answered last. A wake-up is not enough: the notify of
  // the previous answer can come after the test thread already saw its flag and moved on, and
  // then wake this wait early. So wait until the flag names this call.
  const seq = ++calls;
  runner.port.postMessage({ ...call, seq });
  const deadline = Date.now() + CALL_TIMEOUT_MS;
  for (let seen = Atomics.load(runner.flag, 0); seen !== seq; seen = Atomics.load(runner.flag, 0)) {
    const left = deadline - Date.now();
    if (left <= 0 || Atomics.wait(runner.flag, 0, seen, left) === 'timed-out') {
      throw new Error(`hzl ${call.args.join(' ')} (in-process) did not answer within ${CALL_TIMEOUT_MS / 1000} s`);
    }
  }
  const message = receiveMessageOnPort(runner.port);
  if (!message) throw new Error(`hzl ${call.args.join(' ')} (in-process): the worker woke the test without an answer`);
  return message.message as Answer;
}
