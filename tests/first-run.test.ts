import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_METRICS_PORT, loadConfig } from '../core/config';
import { createLogger, logDestination } from '../core/logger';
import { projectRoot } from '../core/paths';
import { DbManager } from '../core/tenancy/db';
import { createServer as createGateway, type GatewayService } from '../gateway';
import { ensureExplorerBundle } from '../scripts/build-explorer';
import { renderStartBlock } from '../scripts/start-block';
import { createServer as createCredits } from '../subgraphs/credits';
import type { RunningService } from '../core/server/subgraph-server';

// Issue 15 item 6: what a newcomer sees on `npm start`, `.env` for npm start and the CLI,
// `studyspot --version`, and /metrics kept off the public port in production.

const ROOT = projectRoot();
const dist = (p: string) => path.join(ROOT, 'dist', p);
const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const MONGODB_URI = process.env.MONGODB_URI!;
const prefixes: string[] = [];
const newPrefix = () => {
  const p = `fr${randomBytes(3).toString('hex')}_`;
  prefixes.push(p);
  return p;
};
const tempDir = () => mkdtempSync(path.join(tmpdir(), 'studyspot-first-run-'));

beforeAll(async () => {
  // The explorer the block names needs its bundle (a fresh clone has only run `npm ci`).
  await ensureExplorerBundle();
  if (!existsSync(dist('scripts/start-all.js')) || !existsSync(dist('cli/index.js'))) {
    throw new Error('dist/ is missing: run `npm test` (it builds first) or `npm run build`');
  }
});

afterAll(async () => {
  const db = await DbManager.connect(MONGODB_URI, 'ss_');
  const { databases } = await db.platform().db!.admin().listDatabases({ nameOnly: true });
  for (const { name } of databases) if (prefixes.some((p) => name.startsWith(p))) await db.tenant(name).dropDatabase();
  await db.close();
});

/** Runs the compiled CLI as a real process in `cwd` with exactly `env` (plus PATH). */
function cli(args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [dist('cli/index.js'), ...args], { cwd, env: { PATH: process.env.PATH!, ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('studyspot --version', () => {
  it('prints the version of package.json and exits 0', async () => {
    for (const flag of ['--version', '-V']) {
      const r = await cli([flag], tempDir());
      expect(r).toEqual({ code: 0, out: `${VERSION}\n`, err: '' });
    }
  });
});

describe('.env is loaded by the CLI', () => {
  it('reads .env from the working directory', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, '.env'), `MONGODB_URI=${MONGODB_URI}\nDB_PREFIX=Not-A-Prefix\n`);
    const r = await cli(['tenant', 'list', '--json'], dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain('DB_PREFIX: lowercase letters, digits and _ only');
  });

  it('never overrides a variable already set; the rest still comes from .env', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, '.env'), `# comments are fine\nMONGODB_URI=${MONGODB_URI}\nDB_PREFIX=Not-A-Prefix\n`);
    // DB_PREFIX from the environment wins; MONGODB_URI only exists in .env, and the list connects with it.
    const r = await cli(['tenant', 'list', '--json'], dir, { DB_PREFIX: newPrefix() });
    expect(r.err).toBe('');
    expect([r.code, JSON.parse(r.out)]).toEqual([0, []]);
  });

  it('without a .env and without MONGODB_URI the CLI says what is missing', async () => {
    const r = await cli(['tenant', 'list'], tempDir());
    expect(r.code).toBe(2);
    expect(r.err).toContain('MONGODB_URI is not set');
  });
});

describe('logs for people: LOG_FORMAT=pretty, LOG_FILE', () => {
  it('pretty lines (no JSON) appended to the file, shared by the services of one process', async () => {
    const file = path.join(tempDir(), 'logs', 'services.log');
    const dest = logDestination({ logFormat: 'pretty', logFile: file });
    expect(logDestination({ logFormat: 'pretty', logFile: file })).toBe(dest);
    createLogger('gateway', 'info', dest).info({ port: 4000 }, 'gateway started');
    createLogger('tenant', 'info', dest).warn({ password: 'hunter2' }, 'still redacted');
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/INFO.*\(gateway\): gateway started/);
    expect(text).toMatch(/WARN.*\(tenant\): still redacted/);
    expect(text).toContain('[redacted]');
    expect(text).not.toContain('hunter2');
    expect(text).not.toMatch(/^\{/m);
  });

  it('json to stdout is the default (no extra stream)', () => {
    expect(logDestination({ logFormat: 'json' })).toBeUndefined();
    expect(loadConfig('gateway', {}).logFormat).toBe('json');
  });
});

describe('/metrics in production: never on the public port', () => {
  const prodEnv = () => ({
    NODE_ENV: 'production',
    MONGODB_URI,
    DB_PREFIX: newPrefix(),
    PORT: '0',
    LOG_LEVEL: 'silent',
    JWT_SECRET: randomBytes(24).toString('hex'),
    ACCOUNT_KEYS: `k1:${randomBytes(24).toString('hex')}`,
  });
  let gateway: GatewayService | undefined;
  let credits: RunningService | undefined;
  afterAll(async () => {
    await gateway?.stop();
    await credits?.stop();
  });

  it(`defaults to port ${DEFAULT_METRICS_PORT} in production, the public port elsewhere`, () => {
    expect(loadConfig('gateway', prodEnv()).metricsPort).toBe(DEFAULT_METRICS_PORT);
    expect(loadConfig('gateway', { ...prodEnv(), METRICS_PORT: '9100' }).metricsPort).toBe(9100);
    expect(loadConfig('gateway', { NODE_ENV: 'development' }).metricsPort).toBeUndefined();
  });

  it('the gateway and a subgraph serve /metrics on METRICS_PORT only', async () => {
    gateway = await createGateway(loadConfig('gateway', { ...prodEnv(), METRICS_PORT: '0' }));
    credits = await createCredits(loadConfig('credits', { ...prodEnv(), METRICS_PORT: '0' }));
    for (const svc of [gateway, credits]) {
      const publicMetrics = await fetch(svc.url.replace(/\/graphql$/, '/metrics'));
      expect(publicMetrics.status).toBe(404);
      expect(await publicMetrics.text()).not.toContain('graphql_requests_total');
      expect(svc.metricsUrl).toMatch(/^http:\/\/localhost:\d+\/metrics$/);
      expect(new URL(svc.metricsUrl!).port).not.toBe(new URL(svc.url).port);
      const own = await fetch(svc.metricsUrl!);
      expect(own.status).toBe(200);
      expect(await own.text()).toContain('graphql_requests_total');
      expect((await fetch(svc.metricsUrl!.replace('/metrics', '/graphql'))).status).toBe(404);
    }
  });
});

describe('the block npm start prints last', () => {
  const info = {
    env: 'development',
    apiUrl: 'http://localhost:4000/graphql',
    metrics: [
      { service: 'gateway', url: 'http://localhost:4000/metrics' },
      { service: 'tenant', url: 'http://localhost:4001/metrics' },
    ],
    adminEmail: 'admin@studyspot.local',
    password: 'pw-123',
    seeded: ['zenith'],
    existing: ['vedic-maths'],
    mongodbUri: 'mongodb://127.0.0.1:41234/',
    embedded: true,
    dbPrefix: 'ss_',
    logFile: 'logs/studyspot.log',
  };

  it('names the URLs, the logins, the database for the CLI and where the logs are', () => {
    const block = renderStartBlock(info);
    for (const s of [
      'http://localhost:4000/graphql',
      'http://localhost:4000/explorer',
      'http://localhost:4000/dashboard',
      'http://localhost:4000/metrics',
      'tenant :4001',
      'admin@studyspot.local',
      'pw-123',
      'owner@zenith.demo',
      'vedic-maths',
      'MONGODB_URI=mongodb://127.0.0.1:41234/ npx studyspot tenant list',
      'embedded',
      'logs/studyspot.log',
    ]) {
      expect(block).toContain(s);
    }
  });

  it("hides the password of the operator's own database URI", () => {
    const block = renderStartBlock({ ...info, mongodbUri: 'mongodb://app:s3cret@db.example:27017/', embedded: false, dbPrefix: 'x_' });
    expect(block).not.toContain('s3cret');
    expect(block).toContain('MONGODB_URI=mongodb://app:***@db.example:27017/ DB_PREFIX=x_ npx studyspot tenant list');
  });

  describe('a real `node dist/scripts/start-all.js`', () => {
    let child: ChildProcess;
    let out = '';
    let dir: string;
    afterAll(async () => {
      if (child && child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
    });

    it('ends its output with the block; logs go to a file; the API answers', async () => {
      dir = tempDir();
      // .env is read by npm start too (DEMO_PASSWORD comes from it); the environment still wins for the rest.
      writeFileSync(path.join(dir, '.env'), 'DEMO_PASSWORD=from-dot-env-123\nDB_PREFIX=Not-A-Prefix\n');
      const prefix = newPrefix();
      child = spawn(process.execPath, [dist('scripts/start-all.js')], {
        cwd: dir,
        env: { PATH: process.env.PATH!, MONGODB_URI, DB_PREFIX: prefix, PORT: '0', DEMO_DATA: 'off', LOG_LEVEL: 'info' },
      });
      child.stdout!.on('data', (d) => (out += d));
      child.stderr!.on('data', (d) => (out += d));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no start block within 90 s:\n${out}`)), 90_000);
        const check = () => {
          if (out.includes('Ctrl+C')) {
            clearTimeout(timer);
            resolve();
          }
        };
        child.stdout!.on('data', check);
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`start-all exited ${code}:\n${out}`));
        });
      });
      await new Promise((r) => setTimeout(r, 500)); // anything printed after the block would show now
      const lines = out.trimEnd().split('\n');
      const last = lines.slice(-16).join('\n');
      const api = /API \(GraphQL\)\s+(http:\/\/localhost:\d+\/graphql)/.exec(last)?.[1];
      expect(api).toBeDefined();
      const base = api!.replace(/\/graphql$/, '');
      for (const s of [
        `${base}/explorer`,
        `${base}/dashboard`,
        `${base}/metrics`,
        'admin@studyspot.local',
        'from-dot-env-123',
        `MONGODB_URI=${MONGODB_URI} DB_PREFIX=${prefix} npx studyspot tenant list`,
        'logs/studyspot.log',
      ]) {
        expect(last).toContain(s);
      }
      expect(lines[lines.length - 1]).toMatch(/^=+$/);
      // Not one JSON log line on the terminal: they are in the file.
      expect(lines.filter((l) => l.startsWith('{'))).toEqual([]);
      const logFile = readFileSync(path.join(dir, 'logs/studyspot.log'), 'utf8');
      expect(logFile).toContain('"msg":"gateway started"');
      // What the block names works: the API, the explorer and the metrics.
      expect((await fetch(`${base}/health`)).status).toBe(200);
      expect((await fetch(`${base}/explorer`)).status).toBe(200);
      expect(await (await fetch(`${base}/metrics`)).text()).toContain('graphql_requests_total');
      const login = await fetch(api!, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: 'mutation($i: LoginInput!) { login(input: $i) { accessToken } }',
          variables: { i: { email: 'admin@studyspot.local', password: 'from-dot-env-123' } },
        }),
      });
      expect(((await login.json()) as { data?: { login?: { accessToken?: string } } }).data?.login?.accessToken).toBeTruthy();
      rmSync(dir, { recursive: true, force: true });
    }, 120_000);
  });
});
