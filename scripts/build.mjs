// Builds dist/ with esbuild. Two bundles, so that the common path never parses yargs:
//   dist/main.js  CommonJS: start-up, the argv grammar and every command (CJS starts ~5 ms faster
//                 than an ESM entry on Node 20; the source stays ESM)
//   dist/cli.mjs  ESM: the yargs parser, loaded only for help, completion and usage errors
//   dist/mcp.mjs  ESM: the MCP server (the SDK and zod), loaded only by `hzl mcp`
//   dist/board.mjs ESM: the ink board (ink + react, ~7x Node's start-up), loaded only by `hzl board`
//                 on a terminal; ESM because yoga-layout loads its WebAssembly with top-level await
//   dist/serve.mjs ESM: `hzl serve`'s web server and pages (src/web/), loaded only by that command
// simple-git stays external: it is loaded from node_modules only when a command uses git.
// Then a warm-up run leaves dist/main.js.cache, V8's code cache for bin/hzl.js.

import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
rmSync('dist', { recursive: true, force: true });
mkdirSync('dist');
writeFileSync('dist/package.json', '{ "type": "commonjs" }\n');

/**
 * Two replacements inside ink:
 * - its optional DevTools module (react-devtools-core, ws) becomes an empty one;
 * - `is-in-ci` becomes `false`. With CI set, ink draws nothing until the app exits, but the board
 *   is only drawn by ink on a terminal, and agents' shells often export CI=true.
 */
const inkForTerminals = {
  name: 'ink-for-terminals',
  setup(b) {
    const inInk = (args) => /[\\/]node_modules[\\/]ink[\\/]/.test(args.importer);
    b.onResolve({ filter: /^\.\/devtools\.js$/ }, (args) =>
      inInk(args) ? { path: 'devtools', namespace: 'hzl-stub' } : undefined,
    );
    b.onResolve({ filter: /^is-in-ci$/ }, (args) =>
      inInk(args) ? { path: 'is-in-ci', namespace: 'hzl-stub' } : undefined,
    );
    b.onLoad({ filter: /^devtools$/, namespace: 'hzl-stub' }, () => ({ contents: '', loader: 'js' }));
    b.onLoad({ filter: /^is-in-ci$/, namespace: 'hzl-stub' }, () => ({
      contents: 'export default false;',
      loader: 'js',
    }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  // gray-matter brings js-yaml 3; hzl passes its own engine, so one js-yaml (4) is enough.
  alias: { 'js-yaml': './node_modules/js-yaml' },
  define: { HZL_VERSION: JSON.stringify(pkg.version) },
  external: ['simple-git'],
};

await Promise.all([
  build({ ...common, entryPoints: ['src/main.ts'], format: 'cjs', outfile: 'dist/main.js' }),
  build({
    ...common,
    entryPoints: ['src/cli.ts'],
    format: 'esm',
    outfile: 'dist/cli.mjs',
    banner: {
      js: "import{createRequire as __hzlRequire}from'node:module';const require=__hzlRequire(import.meta.url);",
    },
  }),
  build({
    ...common,
    entryPoints: ['src/commands/mcp-server.ts'],
    format: 'esm',
    outfile: 'dist/mcp.mjs',
    banner: {
      js: "import{createRequire as __hzlRequire}from'node:module';const require=__hzlRequire(import.meta.url);",
    },
  }),
  build({
    ...common,
    entryPoints: ['src/ui/board.tsx'],
    format: 'esm',
    outfile: 'dist/board.mjs',
    banner: {
      js: "import{createRequire as __hzlRequire}from'node:module';const require=__hzlRequire(import.meta.url);",
    },
    // React's production build, and no React DevTools (ink imports them only with DEV=true).
    define: { ...common.define, 'process.env.NODE_ENV': '"production"' },
    plugins: [inkForTerminals],
  }),
  build({ ...common, entryPoints: ['src/web/server.ts'], format: 'esm', outfile: 'dist/serve.mjs' }),
]);

// The code cache holds what a run compiled, so warm it with the most common call: `task show`.
const warm = mkdtempSync(join(tmpdir(), 'hzl-build-'));
try {
  const hzl = (...args) =>
    execFileSync(process.execPath, ['bin/hzl.js', '-C', warm, ...args], {
      env: { ...process.env, HZL_AUTHOR: 'build', NO_COLOR: '1' },
      stdio: 'ignore',
    });
  hzl('init');
  hzl('task', 'add', 'Warm the code cache');
  hzl('task', 'checkpoint', '1', 'warming');
  rmSync('dist/main.js.cache', { force: true });
  hzl('task', 'show', '1');
} finally {
  rmSync(warm, { recursive: true, force: true });
}
