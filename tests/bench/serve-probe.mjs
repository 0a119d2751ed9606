// A bench probe for `hzl serve`: `node serve-probe.mjs PATH` starts `hzl serve --port 0` in the
// current directory, reads the address it prints, fetches PATH to its last byte, then stops the
// server and exits 0 (1 if any step fails).

import { spawn } from 'node:child_process';
import { get } from 'node:http';
import { HZL } from './repo.mjs';

const path = process.argv[2] ?? '/';
const server = spawn(process.execPath, [HZL, 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'ignore'] });
const fail = (why) => {
  process.stderr.write(`serve-probe: ${why}\n`);
  server.kill('SIGTERM');
  process.exit(1);
};
server.on('exit', (code) => fail(`hzl serve exited (${code}) before the page was read`));
let out = '';
server.stdout.on('data', (d) => {
  out += d;
  const line = /^(http\S+)\n/.exec(out);
  if (!line) return;
  server.stdout.removeAllListeners('data');
  get(`${new URL(line[1]).origin}${path}`, (res) => {
    if (res.statusCode !== 200) fail(`${path}: HTTP ${res.statusCode}`);
    res.resume();
    res.on('end', () => {
      server.removeAllListeners('exit');
      server.on('exit', () => process.exit(0));
      server.kill('SIGTERM');
    });
  }).on('error', (err) => fail(err.message));
});
