// Preloaded into hzl (NODE_OPTIONS=--require) by the crash tests: when a write to a task file
// reaches the moment named by HZL_TEST_PAUSE_AT, it says so on stderr and stops there, so that the
// test's SIGKILL lands exactly at that moment, not somewhere in Node's start-up.
//   locked        the task's lock is taken and written, nothing else done yet
//   temp-written  the new version is in the temp file, not yet renamed over the task
//   renamed       the task file is replaced, the lock not yet released
'use strict';
const fs = require('node:fs');

const at = process.env.HZL_TEST_PAUSE_AT;
const TASK_LOCK = /[\\/]task-\d+\.lock$/;
const TASK_TEMP = /[\\/]\.hzl[\\/]tasks[\\/]\.[^\\/]*\.tmp$/;

function pause(stage) {
  if (stage !== at) return;
  fs.writeSync(2, `paused at ${stage}\n`);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000); // the kill comes first
}

const lockFds = new Set();
const { openSync, closeSync, writeFileSync, renameSync } = fs;
fs.openSync = function (path, ...rest) {
  const fd = openSync.call(this, path, ...rest);
  if (typeof path === 'string' && TASK_LOCK.test(path)) lockFds.add(fd);
  return fd;
};
fs.closeSync = function (fd) {
  closeSync.call(this, fd);
  if (lockFds.delete(fd)) pause('locked');
};
fs.writeFileSync = function (path, ...rest) {
  writeFileSync.call(this, path, ...rest);
  if (typeof path === 'string' && TASK_TEMP.test(path)) pause('temp-written');
};
fs.renameSync = function (from, to) {
  renameSync.call(this, from, to);
  if (typeof from === 'string' && TASK_TEMP.test(from)) pause('renamed');
};
