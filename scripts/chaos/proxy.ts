import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface FaultProxy {
  url: string;
  /** Delay added before forwarding each request (a "slow subgraph"). */
  delayMs: number;
  /** Answer 503 without forwarding (a subgraph behind a failing load balancer). */
  down: boolean;
  close(): Promise<void>;
}

/**
 * A tiny HTTP proxy in front of one subgraph's /graphql to inject latency or
 * outages in tests and the chaos script. It forwards the exact body bytes and
 * headers, so request signatures still verify.
 */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const sockets = new Set<Socket>();
  const state = { delayMs: 0, down: false };
  const relay = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (state.delayMs) await new Promise((r) => setTimeout(r, state.delayMs));
    if (state.down || res.destroyed) return void res.writeHead(503).end();
    try {
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k))) as Record<
        string,
        string
      >;
      const up = await fetch(new URL(req.url ?? '/', target), { method: req.method, headers, body: req.method === 'POST' ? Buffer.concat(chunks) : undefined });
      res.writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'application/json' });
      res.end(Buffer.from(await up.arrayBuffer()));
    } catch {
      if (!res.destroyed) res.writeHead(502).end();
    }
  };
  const server = http.createServer((req, res) => void relay(req, res));
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/graphql`,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  });
}
