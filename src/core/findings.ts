// What each `hzl doctor` check returns: a finding, a problem (exit 5 while any is not fixed) or a
// note (worth knowing, never a failure). Pure data: the checks make them, doctor prints them.

export interface Finding {
  severity: 'problem' | 'note';
  /** A stable name for the kind of finding (`duplicate-id`, `conflict-markers`…): JSON and CI titles. */
  code: string;
  /** The whole line as it is shown: what is wrong, then what to do. */
  message: string;
  /** The file, relative to the project root, when the finding is about one. */
  file?: string;
  /** The 1-based line in `file`, when known. */
  line?: number;
  /** True when `--fix` repaired it in this run. */
  fixed: boolean;
}

/** A problem as `hzl doctor --json` has always listed it (notes are listed as plain strings). */
export interface ProblemJson {
  code: string;
  message: string;
  file?: string;
  line?: number;
  fixed: boolean;
}

export function problem(
  code: string,
  message: string,
  where: { file?: string; line?: number } = {},
  fixed = false,
): Finding {
  return { severity: 'problem', code, message, ...where, fixed };
}

export function note(code: string, message: string, file?: string): Finding {
  return { severity: 'note', code, message, ...(file ? { file } : {}), fixed: false };
}

export const problemsOf = (findings: Finding[]): Finding[] => findings.filter((f) => f.severity === 'problem');
export const notesOf = (findings: Finding[]): Finding[] => findings.filter((f) => f.severity === 'note');
export const unfixed = (findings: Finding[]): Finding[] => problemsOf(findings).filter((f) => !f.fixed);

export function problemJson(f: Finding): ProblemJson {
  const where = {
    ...(f.file !== undefined ? { file: f.file } : {}),
    ...(f.line !== undefined ? { line: f.line } : {}),
  };
  return { code: f.code, message: f.message, ...where, fixed: f.fixed };
}
