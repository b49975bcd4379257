import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { cliEnvShape } from '../cli/cli.env';
import { clustersFromEnv, ConfigError, loadServiceEnv } from '../core/config';
import { projectRoot } from '../core/paths';
import { gatewayEnv } from '../gateway/gateway.env';
import { ENV_VARS as GATEWAY_ENV_VARS } from '../gateway';
import { ENV_VARS as BILLING_ENV_VARS } from '../subgraphs/billing';
import { ENV_VARS as MESSAGING_ENV_VARS } from '../subgraphs/messaging';
import { ENV_VARS as TENANT_ENV_VARS } from '../subgraphs/tenant';
import { messagingEnv } from '../subgraphs/messaging/messaging.env';
import { tenantEnv } from '../subgraphs/tenant/tenant.env';
import { billingEnv } from '../subgraphs/billing/billing.env';

// Issue 16 item 4: no process.env outside core/config.ts; each service's own variables are a
// zod shape read through loadServiceEnv, with loadConfig's rules (empty = unset, one ConfigError).

describe('loadServiceEnv', () => {
  it("applies the shape's defaults; an empty variable is an unset one", () => {
    expect(loadServiceEnv(tenantEnv, {})).toEqual({
      PLATFORM_DOMAIN: 'studyspot.app',
      AUDIT_RETENTION_DAYS: 365,
      AUDIT_SWEEP_INTERVAL_MS: 3_600_000,
      PASSWORD_RESET_TTL_SECONDS: 900,
      API_USAGE_RETENTION_DAYS: 90,
      API_USAGE_DAILY_RETENTION_DAYS: 400,
      API_USAGE_SWEEP_INTERVAL_MS: 3_600_000,
      CRM_REMINDER_INTERVAL_MS: 60_000,
      PLATFORM_ROLLUP_INTERVAL_MS: 3_600_000,
      APIKEY_EXPIRY_INTERVAL_MS: 3_600_000,
      APIKEY_EXPIRY_NOTICE_DAYS: 7,
    });
    expect(loadServiceEnv(tenantEnv, { PLATFORM_DOMAIN: '', AUDIT_SWEEP_INTERVAL_MS: '300' })).toMatchObject({
      PLATFORM_DOMAIN: 'studyspot.app',
      AUDIT_SWEEP_INTERVAL_MS: 300,
    });
    expect(loadServiceEnv(gatewayEnv, {}).GATEWAY_DEDUPE_ENTITIES).toBe('on');
    expect(loadServiceEnv(gatewayEnv, {})).toMatchObject({
      API_USAGE_RECORDING: 'on',
      API_USAGE_FLUSH_MS: 1000,
      API_USAGE_BATCH_SIZE: 200,
      API_USAGE_BUFFER_MAX: 10_000,
    });
    expect(loadServiceEnv(messagingEnv, { MESSAGING_DUES_INTERVAL_MS: '0' }).MESSAGING_DUES_INTERVAL_MS).toBe(0);
  });

  it.each([
    [tenantEnv, { AUDIT_SWEEP_INTERVAL_MS: 'hourly' }, /AUDIT_SWEEP_INTERVAL_MS:/],
    [tenantEnv, { PASSWORD_RESET_TTL_SECONDS: '0' }, /PASSWORD_RESET_TTL_SECONDS:/],
    [gatewayEnv, { GATEWAY_DEDUPE_ENTITIES: 'no' }, /GATEWAY_DEDUPE_ENTITIES:/],
    [gatewayEnv, { API_USAGE_BATCH_SIZE: '501' }, /API_USAGE_BATCH_SIZE:/],
    [messagingEnv, { MESSAGING_DUES_INTERVAL_MS: '-1' }, /MESSAGING_DUES_INTERVAL_MS:/],
  ] as const)('refuses a bad value with a ConfigError naming the variable (%#)', (shape, env, message) => {
    expect(() => loadServiceEnv(shape, env)).toThrow(ConfigError);
    expect(() => loadServiceEnv(shape, env)).toThrow(message);
  });

  it('lists every problem at once', () => {
    expect(() => loadServiceEnv(tenantEnv, { AUDIT_RETENTION_DAYS: 'x', AUDIT_SWEEP_INTERVAL_MS: 'y' })).toThrow(
      /AUDIT_RETENTION_DAYS:[\s\S]*AUDIT_SWEEP_INTERVAL_MS:/,
    );
  });

  it('MONGODB_CLUSTERS: parsed, and refused when malformed', () => {
    expect(clustersFromEnv({ MONGODB_CLUSTERS: 'east=mongodb://e/' })).toEqual({ east: 'mongodb://e/' });
    expect(clustersFromEnv({})).toEqual({});
    expect(() => clustersFromEnv({ MONGODB_CLUSTERS: 'east' })).toThrow(ConfigError);
  });

  it("each service's ENV_VARS are its shape's keys (docker-compose.yml is checked against them)", () => {
    expect(GATEWAY_ENV_VARS).toEqual(Object.keys(gatewayEnv));
    expect(TENANT_ENV_VARS).toEqual(Object.keys(tenantEnv));
    expect(MESSAGING_ENV_VARS).toEqual(Object.keys(messagingEnv));
    expect(BILLING_ENV_VARS).toEqual(Object.keys(billingEnv));
    expect(Object.keys(cliEnvShape)).toEqual(expect.arrayContaining(['STUDYSPOT_OWNER_PASSWORD', 'DEMO_PASSWORD']));
  });
});

describe('process.env', () => {
  /** Start-up code that runs before any configuration is loaded: .env loading and the OpenTelemetry bootstrap. */
  const BOOTSTRAP = ['core/config.ts', 'core/env-file.ts', 'core/observability/instrument.ts', 'core/observability/sdk.ts'];

  it('is read only by core/config.ts and the bootstrap, in core/, gateway/, subgraphs/, cli/ and migrations/', () => {
    const root = projectRoot();
    const readers: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const file = path.join(dir, name);
        if (statSync(file).isDirectory()) walk(file);
        else if (file.endsWith('.ts') && /\bprocess\.env\b/.test(readFileSync(file, 'utf8'))) readers.push(path.relative(root, file));
      }
    };
    for (const dir of ['core', 'gateway', 'subgraphs', 'cli', 'migrations']) walk(path.join(root, dir));
    expect(readers.sort()).toEqual([...BOOTSTRAP].sort());
  });
});
