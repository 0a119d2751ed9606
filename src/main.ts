// The entry point, and the one place that turns an error into an exit code.

import type { Io, Surroundings } from './commands/context.js';
import { runCommand } from './commands/context.js';
import { REGISTRY } from './commands/registry.js';
import { ExitCode, type HzlError } from './core/errors.js';
import { fastParse } from './fast-path.js';
import { document } from './output/json.js';

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

const argv = process.argv.slice(2);
const surroundings: Surroundings = { cwd: process.cwd(), env: process.env, io };

async function main(): Promise<void> {
  const fast = process.env.HZL_FAST_PATH === '0' ? undefined : fastParse(argv, surroundings);
  if (fast) await runCommand(fast.spec, fast.args);
  else {
    const cli = (await import(CLI_BUNDLE)) as typeof import('./cli.js');
    await cli.runCli(argv, surroundings, REGISTRY);
  }
}

// A separate bundle (see scripts/build.mjs); a non-literal specifier keeps it out of this one.
const CLI_BUNDLE = './cli.mjs';

/** Errors from either bundle: each has its own copy of the error classes, so no instanceof. */
function isHzlError(err: unknown): err is HzlError {
  return err instanceof Error && typeof (err as HzlError).exitCode === 'number' && typeof (err as HzlError).code === 'string';
}

main().catch((err: unknown) => {
  const known = isHzlError(err);
  const message = known ? err.message : `unexpected error: ${err instanceof Error ? err.message : String(err)}`;
  process.stderr.write(`hzl: ${message}\n`);
  if (argv.includes('--json')) {
    const error = { code: known ? err.code : 'unexpected', exitCode: known ? err.exitCode : ExitCode.unexpected, message };
    process.stderr.write(document('error', { error }));
  }
  if (!known && process.env.HZL_DEBUG) console.error(err);
  process.exitCode = known ? err.exitCode : ExitCode.unexpected;
});
