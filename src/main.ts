// The entry point, and the one place that turns an error into an exit code.

import { parseArgv } from './argv.js';
import { type BundleLoader, loadBundle, setBundleLoader } from './bundles.js';
import type { Io, Surroundings } from './commands/context.js';
import { runCommand } from './commands/context.js';
import { REGISTRY } from './commands/registry.js';
import { ExitCode, type HzlError, InvalidDataError, UsageError } from './core/errors.js';
import { shellCommand } from './core/shell.js';
import { document } from './output/json.js';
import { visible } from './output/visible.js';
import { explainFsError, outputError } from './store/fs-errors.js';

/** More than any text hzl takes (checkpoints stop at 64 KiB): `yes | hzl … -` must end. */
const MAX_STDIN_BYTES = 1024 * 1024;

type Stdin = NodeJS.ReadableStream & { isTTY?: boolean; destroy?(): void };

/**
 * Reads all of stdin, as the process's own stdin or any stream a test hands in (or a function
 * that makes it: `process.stdin` costs ~2 ms to make, and most commands never read it). `argv`:
 * the call, for the advice when stdin is a terminal.
 */
export function stdinReader(input: Stdin | (() => Stdin), argv: string[]): () => Promise<string> {
  return async () => {
    const stdin = typeof input === 'function' ? input() : input;
    if (stdin.isTTY) {
      // The same call with the text piped in, quoted for a shell: it can be pasted as it is.
      const again = shellCommand(['hzl', ...argv]);
      throw new UsageError(
        "'-' reads the text from stdin, but stdin is a terminal: " +
          `pipe the text in (echo 'text' | ${again}) or give it as words`,
      );
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of stdin) {
      size += (chunk as Buffer).length;
      if (size > MAX_STDIN_BYTES) {
        stdin.destroy?.();
        throw new UsageError('the text on stdin is longer than 1 MiB; keep it shorter and point to files for the rest');
      }
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  };
}

/** Errors from any bundle: each has its own copy of the error classes, so no instanceof. */
function isHzlError(err: unknown): err is HzlError {
  return (
    err instanceof Error && typeof (err as HzlError).exitCode === 'number' && typeof (err as HzlError).code === 'string'
  );
}

async function run(argv: string[], surroundings: Surroundings): Promise<void> {
  const parsed = parseArgv(argv, surroundings);
  if (parsed.kind === 'run') await runCommand(parsed.spec, parsed.args);
  else {
    const cli = await loadBundle<typeof import('./cli.js')>('cli.mjs');
    await cli.runCli(parsed.argv, surroundings, REGISTRY);
  }
}

/** One line on stderr (with --json, one JSON error document instead); returns the exit code. */
function report(
  err: unknown,
  argv: string[],
  where: { cwd?: string; env: NodeJS.ProcessEnv; stderr: Io['stderr'] },
): number {
  const explained = isHzlError(err) ? err : explainFsError(err, where.cwd);
  const message = explained
    ? explained.message
    : `unexpected error: ${err instanceof Error ? err.message : String(err)}`;
  // With --json, the error is one JSON document on stderr and nothing else, so `2>&1 | jq` works.
  const options = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  if (options.includes('--json')) {
    const error = {
      code: explained?.code ?? 'unexpected',
      exitCode: explained?.exitCode ?? ExitCode.unexpected,
      message,
    };
    where.stderr.write(document('error', { error }));
  } else where.stderr.write(`hzl: ${visible(message)}\n`); // one line, whatever a file name or field holds
  if (!explained && where.env.HZL_DEBUG) where.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  return explained?.exitCode ?? ExitCode.unexpected;
}

/**
 * Runs one call with the given surroundings and returns its exit code: what the process does,
 * minus the process (the test suite runs most calls this way, in a worker thread).
 */
export async function runArgv(argv: string[], surroundings: Surroundings): Promise<number> {
  try {
    await run(argv, surroundings);
    return ExitCode.ok;
  } catch (err) {
    return report(err, argv, { cwd: surroundings.cwd, env: surroundings.env, stderr: surroundings.io.stderr });
  }
}

/** The working directory, or undefined when it was deleted under the shell. */
function workingDirectory(): string | undefined {
  try {
    return process.cwd();
  } catch {
    return undefined;
  }
}

/** Called by bin/hzl.js with a loader for the other bundles. */
export function main(loader: BundleLoader): void {
  setBundleLoader(loader);
  const argv = process.argv.slice(2);
  const fail = (err: unknown, cwd: string | undefined) => {
    process.exitCode = report(err, argv, { cwd, env: process.env, stderr: process.stderr });
  };
  // A reader that stops early (`hzl task list | head`) closes the pipe, and the next write fails
  // with EPIPE. Stop quietly instead of dying with a stack trace: output is printed only after
  // every file write is done, so nothing is left half-done. Any other failure (a full disk
  // behind `> file`) gets its one line.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      // Only the messages were lost when stderr fails: the outcome stands.
      if (err.code === 'EPIPE' || stream === process.stderr) process.exit(process.exitCode ?? 0);
      fail(outputError(err), undefined);
      process.exit();
    });
  }
  // A safety net: whatever escapes is still one line, never a stack or a page of bundled source.
  process.on('uncaughtException', (err) => {
    fail(err, workingDirectory());
    process.exit();
  });
  const cwd = workingDirectory();
  if (cwd === undefined) {
    fail(
      new InvalidDataError('the current directory no longer exists; cd to your repository and run the command again'),
      cwd,
    );
    return;
  }
  const io: Io = {
    stdout: process.stdout,
    stderr: process.stderr,
    readStdin: stdinReader(() => process.stdin, process.argv.slice(2)), // made only if read: ~2 ms
  };
  runArgv(argv, { cwd, env: process.env, io }).then((code) => {
    if (code !== ExitCode.ok) process.exitCode = code;
  });
}

export { setBundleLoader };
