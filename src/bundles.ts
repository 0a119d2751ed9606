// Bundles loaded on demand (see scripts/build.mjs): yargs for help and usage errors, ink for the
// board. dist/main.js is compiled by bin/hzl.js through node:vm (to use V8's code cache), where
// `import()` is not available, so bin/hzl.js hands over a loader that can.

import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface BundleLoader {
  dist: string; // the folder holding the bundles
  importModule(specifier: string): Promise<unknown>;
}

let loader: BundleLoader | undefined;

export function setBundleLoader(value: BundleLoader): void {
  loader = value;
}

export async function loadBundle<T>(file: string): Promise<T> {
  if (!loader) throw new Error('internal: no bundle loader (start hzl through bin/hzl.js)');
  return (await loader.importModule(pathToFileURL(join(loader.dist, file)).href)) as T;
}

/** An npm package kept out of the bundles (simple-git), imported on first use. */
export async function loadPackage<T>(name: string): Promise<T> {
  if (!loader) return (await import(name)) as T;
  return (await loader.importModule(name)) as T;
}

/** How to run this hzl again from elsewhere (git's merge driver): node and bin/hzl.js, absolute. */
export function hzlCommandLine(): string[] {
  const bin = loader ? join(loader.dist, '..', 'bin', 'hzl.js') : join(process.cwd(), 'bin', 'hzl.js');
  return [process.execPath, bin];
}
