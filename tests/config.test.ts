import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig } from '../core/config';
import { listen } from '../core/server/subgraph-server';
import { DbManager } from '../core/tenancy/db';

describe('configuration', () => {
  it('defaults for development', () => {
    const c = loadConfig('student', { MONGODB_URI: 'mongodb://localhost:27017/' });
    expect(c.port).toBe(4002);
    expect(c.env).toBe('development');
    expect(c.subgraphUrls.credits).toBe('http://localhost:4004/graphql');
  });

  it.each([
    [{ MONGODB_URI: 'postgres://x' }, /MONGODB_URI: must start with mongodb:\/\//],
    [{ NODE_ENV: 'production', MONGODB_URI: 'mongodb://db/' }, /JWT_SECRET: required in production/],
    [{ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) }, /MONGODB_URI: required in production/],
    [{ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), MONGODB_URI: 'mongodb://db/' }, /ACCOUNT_KEYS: required in production/],
    [{ ACCOUNT_KEYS: 'k1:short' }, /ACCOUNT_KEYS: secret of key k1 must be at least 32 characters/],
    [{ JWT_SECRET: 'short' }, /JWT_SECRET: must be at least 32 characters/],
    [{ PORT: 'eighty' }, /PORT:/],
    [{ DB_PREFIX: 'Bad-Prefix' }, /DB_PREFIX:/],
  ])('rejects %j with a clear message', (env, message) => {
    expect(() => loadConfig('gateway', env as NodeJS.ProcessEnv)).toThrow(ConfigError);
    expect(() => loadConfig('gateway', env as NodeJS.ProcessEnv)).toThrow(message);
  });

  it('reports a port in use', async () => {
    const first = http.createServer();
    await listen(first, 0);
    const { port } = first.address() as AddressInfo;
    await expect(listen(http.createServer(), port)).rejects.toThrow(`Port ${port} is already in use`);
    first.close();
  });

  it('reports an unreachable database without leaking credentials', async () => {
    const err = await DbManager.connect('mongodb://user:hunter2@127.0.0.1:1/', 'x_').catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/^Cannot connect to MongoDB at mongodb:\/\/\*\*\*@127\.0\.0\.1:1\//);
    expect((err as Error).message).not.toContain('hunter2');
  }, 15000);
});
