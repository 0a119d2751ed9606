// Errors are values with an exit code; only main.ts turns them into a process exit.
// Codes are the contract of docs/contract.md (exit codes) and are listed in `hzl --help` and the README.

export const ExitCode = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  notFound: 3,
  conflict: 4,
  invalidData: 5,
  git: 6,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export abstract class HzlError extends Error {
  abstract readonly exitCode: ExitCodeValue;
  abstract readonly code: string;
}

export class UsageError extends HzlError {
  readonly exitCode = ExitCode.usage;
  readonly code = 'usage';
}

export class NotFoundError extends HzlError {
  readonly exitCode = ExitCode.notFound;
  readonly code = 'not_found';
}

export class ConflictError extends HzlError {
  readonly exitCode = ExitCode.conflict;
  readonly code = 'conflict';
}

export class InvalidDataError extends HzlError {
  readonly exitCode = ExitCode.invalidData;
  readonly code = 'invalid_data';
}

export class GitError extends HzlError {
  readonly exitCode = ExitCode.git;
  readonly code = 'git';
}

/** A task file that cannot be parsed; names the file and the line. */
export class MalformedTaskError extends InvalidDataError {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
  }
}
