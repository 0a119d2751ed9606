#!/usr/bin/env node
// The launcher. bin/package.json makes this file CommonJS, which Node starts faster than ESM.
// It compiles dist/main.js with V8's code cache (dist/main.js.cache, made by `npm run build`),
// which saves a few milliseconds on every call, and falls back to a plain compile without it.
'use strict';
const { readFileSync, renameSync, writeFileSync } = require('node:fs');
const { createRequire, wrap } = require('node:module');
const { join } = require('node:path');
const vm = require('node:vm');

const dist = join(__dirname, '..', 'dist');
const file = join(dist, 'main.js');
const cacheFile = `${file}.cache`;
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  // No cache yet: compile normally and leave one for the next call.
}
const script = new vm.Script(wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
const mod = { exports: {} };
script.runInThisContext().call(mod.exports, mod.exports, createRequire(file), mod, file, dist);
if (cachedData === undefined || script.cachedDataRejected) {
  process.once('exit', () => {
    try {
      const temp = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(temp, script.createCachedData());
      renameSync(temp, cacheFile);
    } catch {
      // A read-only install: every call compiles, which is only a little slower.
    }
  });
}
mod.exports.main({ dist, importModule: (specifier) => import(specifier) });
