// What a command loads, for the benchmark's "loads" column: `node --import ./trace-loads.mjs
// bin/hzl.js …` with HZL_TRACE_FILE set writes, at exit, one line per module: the URL of every ES
// module resolved (through a resolve hook, so the bundles and packages hzl imports on demand are
// seen), the file of every CommonJS module, and `node:x` for each of Node's own modules.

import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';

const file = process.env.HZL_TRACE_FILE;
if (file) {
  register('./trace-hooks.mjs', import.meta.url, { data: { file } });
  const load = Module._load;
  Module._load = function (request, parent, isMain, ...rest) {
    const loaded = load.call(this, request, parent, isMain, ...rest);
    try {
      appendFileSync(file, `${Module._resolveFilename(request, parent, isMain)}\n`);
    } catch {
      appendFileSync(file, `${request}\n`);
    }
    return loaded;
  };
  process.on('exit', () => {
    const own = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => `node:${m.slice(13)}`);
    appendFileSync(file, `${own.join('\n')}\n`);
  });
}
