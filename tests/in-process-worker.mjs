// The worker thread behind tests/in-process.ts: it loads the built dist/main.js once and runs
// one argv at a time through its runArgv, with the test's cwd, environment and stdin, and
// answers on the port before it wakes the waiting test thread.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { workerData } from 'node:worker_threads';

const { dist, port, signal } = workerData;
const hzl = createRequire(import.meta.url)(join(dist, 'main.js'));
hzl.setBundleLoader({ dist, importModule: (specifier) => import(specifier) });
const flag = new Int32Array(signal);

/** What a pipe gives a process: no TTY, and the bytes as chunks. */
function sink() {
  const chunks = [];
  return { stream: { write: (text) => chunks.push(String(text)) > 0, isTTY: false }, text: () => chunks.join('') };
}

async function call({ cwd, args, env, input }) {
  const stdout = sink();
  const stderr = sink();
  const stdin = Readable.from(input === '' ? [] : [Buffer.from(input)]);
  const io = { stdout: stdout.stream, stderr: stderr.stream, readStdin: hzl.stdinReader(stdin, args) };
  let status;
  try {
    status = await hzl.runArgv(args, { cwd, env, io });
  } catch (err) {
    status = 1;
    stderr.stream.write(`in-process runner: ${err instanceof Error ? err.stack : String(err)}\n`);
  }
  return { status, stdout: stdout.text(), stderr: stderr.text() };
}

port.on('message', async ({ seq, ...request }) => {
  port.postMessage(await call(request));
  Atomics.store(flag, 0, seq); // the number of the call answered: see tests/in-process.ts
  Atomics.notify(flag, 0);
});
