import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

/** ok: answer like the provider; fail: HTTP 502; hang: never answer; lost: do it (e.g. refund) but never answer. */
export type FakeMode = 'ok' | 'fail' | 'refuse' | 'hang' | 'lost';

export interface FakeRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- recorded request body, any JSON the service under test sent
}

export interface FakeGateway {
  url: string;
  mode: FakeMode;
  /** Mode for refund calls only (default: follows `mode`). */
  refundMode?: FakeMode;
  requests: FakeRequest[];
  stop(): Promise<void>;
}

const rand = (n = 7) => randomBytes(n).toString('hex');

type Handler = (req: FakeRequest) => { status: number; body: unknown };

async function startFake(handle: Handler): Promise<FakeGateway> {
  const fake = { url: '', mode: 'ok' as FakeMode, refundMode: undefined as FakeMode | undefined, requests: [] as FakeRequest[] } as FakeGateway;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
      } catch {
        body = undefined;
      }
      const r: FakeRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      fake.requests.push(r);
      // Refund modes for creating refunds; a status look-up (GET) follows `mode`.
      const mode = r.path.includes('refund') && r.method === 'POST' ? (fake.refundMode ?? fake.mode) : fake.mode;
      if (mode === 'hang') return; // never answered; the client's timeout must fire
      if (mode === 'lost') return void handle(r); // done, but the answer never comes
      if (mode === 'fail') return void res.writeHead(502, { 'content-type': 'application/json' }).end('{"error":"bad gateway"}');
      // A refusal: the request was judged and turned down (a refund over the captured amount, say).
      if (mode === 'refuse') return void res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"code":"BAD_REQUEST_ERROR"}}');
      const out = handle(r);
      res.writeHead(out.status, { 'content-type': 'application/json' }).end(JSON.stringify(out.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}

/** Razorpay: POST /v1/orders and /v1/payments/:id/refund with basic auth key_id:key_secret. */
export function startFakeRazorpay(keyId: string, keySecret: string): Promise<FakeGateway> {
  const auth = `Basic ${Buffer.from(`${keyId}:${keySecret}`).toString('base64')}`;
  const refunds: { id: string; payment_id?: string; amount: unknown; status: string; notes: unknown }[] = [];
  return startFake((r) => {
    if (r.headers.authorization !== auth) return { status: 401, body: { error: { code: 'BAD_REQUEST_ERROR' } } };
    if (r.method === 'POST' && r.path === '/v1/orders') {
      const { amount, currency, receipt, notes } = r.body ?? {};
      if (!Number.isInteger(amount) || amount < 100) return { status: 400, body: { error: { code: 'BAD_REQUEST_ERROR' } } };
      return { status: 200, body: { id: `order_${rand()}`, entity: 'order', amount, currency, receipt, notes, status: 'created' } };
    }
    const m = /^\/v1\/payments\/([^/]+)\/refund$/.exec(r.path);
    if (r.method === 'POST' && m) {
      const refund = { id: `rfnd_${rand()}`, payment_id: m[1], amount: r.body?.amount, status: 'processed', notes: r.body?.notes ?? {} };
      refunds.push(refund);
      return { status: 200, body: refund };
    }
    const list = /^\/v1\/payments\/([^/]+)\/refunds(\?.*)?$/.exec(r.path);
    if (r.method === 'GET' && list) return { status: 200, body: { entity: 'collection', items: refunds.filter((x) => x.payment_id === list[1]) } };
    return { status: 404, body: {} };
  });
}

/** Cashfree: POST /pg/orders and /pg/orders/:order_id/refunds with x-client-id / x-client-secret / x-api-version. */
export function startFakeCashfree(clientId: string, clientSecret: string): Promise<FakeGateway> {
  // Created refunds, settled (SUCCESS) by the time anyone asks.
  const refunds = new Map<string, Record<string, unknown>>();
  return startFake((r) => {
    const h = r.headers;
    if (h['x-client-id'] !== clientId || h['x-client-secret'] !== clientSecret || h['x-api-version'] !== '2023-08-01') {
      return { status: 401, body: { code: 'request_failed', type: 'authentication_error' } };
    }
    if (r.method === 'POST' && r.path === '/pg/orders') {
      const b = r.body ?? {};
      if (typeof b.order_id !== 'string' || typeof b.order_amount !== 'number' || !b.customer_details?.customer_id) {
        return { status: 400, body: { code: 'request_failed', type: 'invalid_request_error' } };
      }
      return {
        status: 200,
        body: {
          cf_order_id: String(Date.now()),
          order_id: b.order_id,
          order_amount: b.order_amount,
          order_currency: b.order_currency,
          payment_session_id: `session_${rand(12)}`,
          order_status: 'ACTIVE',
        },
      };
    }
    const m = /^\/pg\/orders\/([^/]+)\/refunds$/.exec(r.path);
    if (r.method === 'POST' && m) {
      const refund = {
        cf_refund_id: String(Date.now()),
        refund_id: r.body?.refund_id,
        order_id: m[1],
        refund_amount: r.body?.refund_amount,
        refund_status: 'PENDING',
      };
      refunds.set(`${m[1]}/${String(r.body?.refund_id)}`, { ...refund, refund_status: 'SUCCESS' });
      return { status: 200, body: refund };
    }
    const one = /^\/pg\/orders\/([^/]+)\/refunds\/([^/]+)$/.exec(r.path);
    if (r.method === 'GET' && one) {
      const found = refunds.get(`${one[1]}/${one[2]}`);
      return found ? { status: 200, body: found } : { status: 404, body: { code: 'refund_not_found' } };
    }
    return { status: 404, body: {} };
  });
}
