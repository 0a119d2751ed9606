#!/usr/bin/env node
// bin/package.json makes this file CommonJS: a CJS entry starts faster than an ESM one.
require('../dist/main.js');
