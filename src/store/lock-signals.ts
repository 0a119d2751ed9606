// Locks held when Ctrl-C or a kill arrives are released before the process ends, so the next
// writer does not have to wait for them to be judged stale. (kill -9 cannot be caught: that is
// what breaking stale locks is for.) Handlers are there only while a lock is held.

const held = new Map<string, () => void>();
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

function onSignal(signal: NodeJS.Signals): void {
  for (const release of [...held.values()]) release();
  held.clear();
  stopListening();
  // Die of the same signal, as if nobody had caught it (the shell sees 130 for Ctrl-C). Should
  // someone else still listen for it, exit anyway: the locks are gone, going on would be unsafe.
  process.kill(process.pid, signal);
  process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
}

function stopListening(): void {
  for (const s of SIGNALS) process.removeListener(s, onSignal);
}

export function noteHeld(path: string, release: () => void): void {
  if (held.size === 0) for (const s of SIGNALS) process.on(s, onSignal);
  held.set(path, release);
}

export function noteReleased(path: string): void {
  held.delete(path);
  if (held.size === 0) stopListening();
}
