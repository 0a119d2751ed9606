// The entry point, and the one place that turns an error into an exit code.

import { type BundleLoader, loadBundle, setBundleLoader } from './bundles.js';
import type { Io, Surroundings } from './commands/context.js';
import { runCommand } from './commands/context.js';
import { REGISTRY } from './commands/registry.js';
import { ExitCode, type HzlError, UsageError } from './core/errors.js';
import { fastParse, missingValue } from './fast-path.js';
import { document } from './output/json.js';
import { visible } from './output/visible.js';

const io: Io = {
  stdout: process.stdout,
  stderr: process.stderr,
  readStdin: async () => {
    if (process.stdin.isTTY) return '';
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

/** Errors from any bundle: each has its own copy of the error classes, so no instanceof. */
function isHzlError(err: unknown): err is HzlError {
  return err instanceof Error && typeof (err as HzlError).exitCode === 'number' && typeof (err as HzlError).code === 'string';
}

async function run(argv: string[], surroundings: Surroundings): Promise<void> {
  const fast = process.env.HZL_FAST_PATH === '0' ? undefined : fastParse(argv, surroundings);
  if (fast) await runCommand(fast.spec, fast.args);
  else {
    const problem = missingValue(argv);
    if (problem) throw new UsageError(problem);
    const cli = await loadBundle<typeof import('./cli.js')>('cli.mjs');
    await cli.runCli(argv, surroundings, REGISTRY);
  }
}

/** Called by bin/hzl.js with a loader for the other bundles. */
export function main(loader: BundleLoader): void {
  setBundleLoader(loader);
  // A reader that stops early (`hzl task list | head`) closes the pipe, and the next write fails
  // with EPIPE. Stop quietly instead of dying with a stack trace: output is printed only after
  // every file write is done, so nothing is left half-done.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      process.exit(process.exitCode ?? 0);
    });
  }
  const argv = process.argv.slice(2);
  run(argv, { cwd: process.cwd(), env: process.env, io }).catch((err: unknown) => {
    const known = isHzlError(err);
    const message = known ? err.message : `unexpected error: ${err instanceof Error ? err.message : String(err)}`;
    process.stderr.write(`hzl: ${visible(message)}\n`); // one line, whatever a file name or field holds
    if (argv.includes('--json')) {
      const error = { code: known ? err.code : 'unexpected', exitCode: known ? err.exitCode : ExitCode.unexpected, message };
      process.stderr.write(document('error', { error }));
    }
    if (!known && process.env.HZL_DEBUG) console.error(err);
    process.exitCode = known ? err.exitCode : ExitCode.unexpected;
  });
}
