import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- recorded request body, any JSON the service under test sent
}

/**
 * A local stand-in for MSG91's flow API and the WhatsApp Cloud API, answering
 * in their shapes. `fail = true` makes every call answer HTTP 500.
 */
export interface FakeProviders {
  url: string;
  requests: RecordedRequest[];
  fail: boolean;
  stop(): Promise<void>;
}

export async function startFakeProviders(): Promise<FakeProviders> {
  let n = 0;
  const fake: FakeProviders = { url: '', requests: [], fail: false, stop: async () => undefined };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        /* recorded as text */
      }
      fake.requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      const send = (status: number, json: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      if (fake.fail) return send(500, { error: 'provider down' });
      n += 1;
      if (req.method === 'POST' && req.url === '/api/v5/flow/') return send(200, { type: 'success', message: `msg91-req-${n}-${Date.now()}` });
      if (req.method === 'POST' && /^\/v19\.0\/[^/]+\/messages$/.test(req.url ?? '')) {
        return send(200, { messaging_product: 'whatsapp', messages: [{ id: `wamid.fake${n}x${Date.now()}` }] });
      }
      send(404, { error: 'unknown route' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.stop = () => new Promise((resolve) => server.close(() => resolve()));
  return fake;
}

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

/** A local SMTP server (no auth, no TLS) recording every message; `fail = true` refuses recipients. */
export interface FakeSmtp {
  port: number;
  mails: ReceivedMail[];
  fail: boolean;
  stop(): Promise<void>;
}

export async function startFakeSmtp(): Promise<FakeSmtp> {
  const fake: FakeSmtp = { port: 0, mails: [], fail: false, stop: async () => undefined };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      callback(fake.fail ? Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }) : undefined);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        fake.mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  // A client that dies mid-session (a SIGKILLed service) resets its socket: not the server's failure.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  fake.port = (server.server.address() as AddressInfo).port;
  fake.stop = () => new Promise((resolve) => server.close(() => resolve()));
  return fake;
}
