// What every command handler gets: parsed global flags plus injected IO, environment and clock,
// and what it returns: one Output that is printed once, as JSON or for people.

import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { hzlCommandLine } from '../bundles.js';
import { UsageError } from '../core/errors.js';
import { ensureMergeDriver } from '../git/driver-guard.js';
import { now } from '../core/time.js';
import { printable } from '../core/validate.js';
import { document } from '../output/json.js';
import { type Style, makeStyle, colorWanted } from '../output/style.js';
import { visible } from '../output/visible.js';
import { unknownKeysWarning } from '../format/config.js';
import { type Project, openProject } from '../store/project.js';
import { TaskStore } from '../store/task-store.js';
import type { CommandSpec } from './spec.js';

export interface Io {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  readStdin(): Promise<string>;
}

/** The world outside the program, injected so that tests and main.ts can supply it. */
export interface Surroundings {
  cwd: string;
  env: NodeJS.ProcessEnv;
  io: Io;
}

export interface GlobalArgs {
  json?: boolean;
  C?: string;
  quiet?: boolean;
  color?: boolean;
  author?: string;
  commit?: boolean;
  offline?: boolean;
  surroundings: Surroundings;
}

export interface Ctx {
  dir: string; // where the command acts: cwd, or -C DIR
  env: NodeJS.ProcessEnv;
  io: Io;
  json: boolean;
  quiet: boolean;
  tty: boolean;
  style: Style;
  author?: string; // --author
  commit?: boolean; // --commit / --no-commit
  now(): Date;
}

export interface Output {
  kind: string;
  json: Record<string, unknown>;
  text?: string; // data for stdout
  message?: string; // for stderr, silenced by -q
  warnings?: string[]; // for stderr, always
}

export function contextOf(args: GlobalArgs): Ctx {
  const { cwd, io } = args.surroundings;
  const env = offlineEnv(args.surroundings.env, args.offline);
  const dir = args.C === undefined ? cwd : resolve(cwd, args.C);
  if (args.C !== undefined && !isDirectory(dir)) {
    throw new UsageError(`cannot run in '${printable(args.C)}' (-C): no such directory`);
  }
  const tty = io.stdout.isTTY === true;
  return {
    dir,
    env,
    io,
    json: args.json === true,
    quiet: args.quiet === true,
    tty,
    style: makeStyle(colorWanted(tty, env, args.color)),
    ...(args.author !== undefined ? { author: args.author } : {}),
    ...(args.commit !== undefined ? { commit: args.commit } : {}),
    now: () => now(env),
  };
}

/**
 * --offline (--no-offline) wins over HZL_OFFLINE, which every remote-aware path reads: the flag
 * is turned into that one setting, so there is one place that decides.
 */
function offlineEnv(env: NodeJS.ProcessEnv, offline: boolean | undefined): NodeJS.ProcessEnv {
  if (offline === undefined) return env;
  const { HZL_OFFLINE: _, ...rest } = env;
  return offline ? { ...rest, HZL_OFFLINE: '1' } : rest;
}

export function print(out: Output, ctx: Ctx): void {
  // Messages quote file names and fields from task files: escaped like every human output.
  for (const w of out.warnings ?? []) ctx.io.stderr.write(`hzl: warning: ${visible(w)}\n`);
  if (ctx.json) {
    ctx.io.stdout.write(document(out.kind, out.json));
    return;
  }
  if (out.text) ctx.io.stdout.write(out.text);
  if (out.message && !ctx.quiet) ctx.io.stderr.write(`${visible(out.message, { multiline: true })}\n`);
}

/** Runs a command's handler with its context and prints its Output once. */
export async function runCommand<A>(spec: CommandSpec<A>, args: A & GlobalArgs): Promise<void> {
  const ctx = contextOf(args);
  print(await spec.run(args, ctx), ctx);
}

export interface Workspace {
  project: Project;
  store: TaskStore;
}

const warnedAbout = new WeakSet<Ctx>();

export function openWorkspace(ctx: Ctx): Workspace {
  const project = openProject(ctx.dir);
  const unknown = project.config.unknownKeys;
  if (unknown && !warnedAbout.has(ctx)) {
    warnedAbout.add(ctx); // once per command, however often it opens the project
    ctx.io.stderr.write(`hzl: warning: ${visible(unknownKeysWarning(unknown, '.hzl/config.yml'))}\n`);
  }
  guardMergeDriver(project, ctx);
  return { project, store: new TaskStore(project, ctx.env) };
}

/** A clone whose .gitattributes names the hzl driver gets it registered, with one note. */
function guardMergeDriver(project: Project, ctx: Ctx): void {
  if (!project.worktreeRoot || !project.gitCommonDir) return;
  const note = ensureMergeDriver(
    { worktreeRoot: project.worktreeRoot, commonDir: project.gitCommonDir },
    hzlCommandLine(),
    ctx.env,
  );
  if (note) ctx.io.stderr.write(`hzl: ${note}\n`);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Text given as words on the command line, or read from stdin when it is `-`. (yargs drops a
 * lone `-` from a variadic positional, so an empty list means stdin too.)
 */
export async function textArgument(words: unknown[], ctx: Ctx): Promise<string> {
  const parts = words.map(String);
  const fromStdin = parts.length === 0 || (parts.length === 1 && parts[0] === '-');
  return fromStdin ? ctx.io.readStdin() : parts.join(' ');
}
