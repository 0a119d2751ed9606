// Server-sent events: every open page holds one `/events` stream and is told when task files
// change, with a number that grows; the page then fetches itself again.

import type { ServerResponse } from 'node:http';

export class LiveHub {
  private readonly clients = new Set<ServerResponse>();
  private version = 0;
  private readonly heartbeat: NodeJS.Timeout;

  constructor() {
    // A comment now and then keeps proxies and idle timeouts from closing the stream.
    this.heartbeat = setInterval(() => this.send(': keep-alive\n\n'), 15_000);
    this.heartbeat.unref();
  }

  add(res: ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write(`retry: 1000\nevent: ready\ndata: ${this.version}\n\n`);
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
  }

  changed(): void {
    this.version += 1;
    this.send(`event: change\ndata: ${this.version}\n\n`);
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private send(frame: string): void {
    for (const res of this.clients) res.write(frame);
  }
}
