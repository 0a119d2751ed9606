// `hzl doctor --ci`: for a pull request's checks. It looks only at the task files (a CI runner's
// clone lacks the merge driver, and that is not the pull request's fault), never fixes, prints
// one line per problem, as GitHub annotations under GitHub Actions, and exits 5 on any.

import { type Finding, unfixed } from '../core/findings.js';
import { visible } from '../output/visible.js';

/** The report lines of the problems: `problem: …`, or `::error file=F::…` when GITHUB_ACTIONS=true. */
export function ciReport(findings: Finding[], env: NodeJS.ProcessEnv): string {
  const github = env.GITHUB_ACTIONS === 'true';
  const lines = unfixed(findings).map((p) => (github ? annotation(p) : `problem: ${visible(p.message)}`));
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** A workflow command: its data and properties escaped as GitHub's toolkit escapes them. */
function annotation(p: Finding): string {
  const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const property = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  const file = p.file ? ` file=${property(p.file)}${p.line !== undefined ? `,line=${p.line}` : ''}` : '';
  return `::error${file},title=${property(`hzl ${p.code}`)}::${data(p.message)}`.replace('::error,', '::error ');
}

export const GITHUB_WORKFLOW =
  "# Written by 'hzl init --github'. Checks the task files of every pull request: duplicate ids,\n" +
  `# conflict markers, malformed files, double claims and links to missing tasks (hzl doctor --ci).
name: hzl
on:
  pull_request:
    paths: ['.hzl/**']
jobs:
  tasks:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - run: npx --yes hzl doctor --ci
`;
