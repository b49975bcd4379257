import { join } from 'node:path';
import { gatewayClient, type Client } from './client';

/**
 * One system (five subgraphs + gateway on fresh databases) for the whole jest run, started by
 * globalSetup (helpers/global-setup.ts) and reached over HTTP/WebSocket by every test file that
 * calls sharedSystem() in its beforeAll: starting a system and loading the application cost
 * ~3-5 s per test file. Tenants are separate databases, so files that each create their own
 * tenants (unique slugs) share it safely. A file that needs its own options (clocks, provider
 * fakes, env, fault injection, restarts), the in-process bus, command monitoring or spies on
 * application code keeps its own startSystem().
 */

/** What a test file gets: a client of the running gateway plus its own pool on the same databases. */
export interface SharedSystem extends Client {
  gatewayUrl: string;
  wsUrl: string;
  subgraphUrls: Record<string, string>;
  db: import('../../core/tenancy/db').DbManager;
  /** Closes this file's database pool (the system itself runs until globalTeardown). */
  stop(): Promise<void>;
}

interface Published {
  gatewayUrl: string;
  subgraphUrls: Record<string, string>;
  prefix: string;
  superToken: string;
}

// Through the environment, so jest workers (child processes) see it too.
const ENV = 'STUDYSPOT_SHARED_SYSTEM';

/** In a test file: the run's shared system, or (when jest ran without it) a system of its own. */
export async function sharedSystem(): Promise<SharedSystem> {
  const raw = process.env[ENV];
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, only when the shared system is used, so unit-test runs load no application
  if (!raw) return (require('./system') as typeof import('./system')).startSystem();
  const pub = JSON.parse(raw) as Published;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, only when the shared system is used, so unit-test runs load no application
  const { DbManager } = require('../../core/tenancy/db') as typeof import('../../core/tenancy/db');
  const db = await DbManager.connect(process.env.MONGODB_URI!, pub.prefix);
  return {
    ...gatewayClient(pub.gatewayUrl, pub.superToken),
    gatewayUrl: pub.gatewayUrl,
    wsUrl: pub.gatewayUrl.replace(/^http/, 'ws'),
    subgraphUrls: pub.subgraphUrls,
    db,
    stop: () => db.close(),
  };
}

type Running = { stop(): Promise<void> };
const holder = globalThis as { __SHARED_SYSTEM__?: Running };

/** In globalSetup: starts the system in jest's main process (it serves while the tests run). */
export async function startSharedSystem(): Promise<void> {
  mapBcryptToTestCost();
  require('reflect-metadata'); // eslint-disable-line @typescript-eslint/no-require-imports -- before any decorated class, as setupFiles does in test files
  // Loaded here, not at the top: a run without system tests loads no application.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, only when the shared system is used, so unit-test runs load no application
  const { startSystem } = require('./system') as typeof import('./system');
  // All test files come from 127.0.0.1: the per-IP limit would count every file's requests
  // together (tests of the limits run their own system).
  const sys = await startSystem({ RATE_LIMIT_IP: '0' });
  holder.__SHARED_SYSTEM__ = sys;
  const pub: Published = { gatewayUrl: sys.gatewayUrl, subgraphUrls: sys.subgraphUrls, prefix: sys.db.prefix, superToken: sys.superToken };
  process.env[ENV] = JSON.stringify(pub);
}

export async function stopSharedSystem(): Promise<void> {
  await holder.__SHARED_SYSTEM__?.stop();
  delete holder.__SHARED_SYSTEM__;
  delete process.env[ENV];
}

/**
 * jest.config.js maps bcryptjs to helpers/bcrypt-fast.ts inside test files; globalSetup runs
 * outside that module system, so the same mapping is made in node's resolver here.
 */
function mapBcryptToTestCost(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, only when the shared system is used, so unit-test runs load no application
  const Module = require('node:module') as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const fast = join(__dirname, 'bcrypt-fast.ts');
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request: string, ...rest: unknown[]) {
    return request === 'bcryptjs' ? fast : resolve.call(this, request, ...rest);
  };
}
