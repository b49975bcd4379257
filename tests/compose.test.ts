import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { CONFIG_ENV_VARS, loadConfig, SUBGRAPH_NAMES, type SubgraphName } from '../core/config';
import { projectRoot } from '../core/paths';
import { serviceEnvVars } from '../scripts/subgraphs';
import { gatewayOptionsFromEnv } from '../subgraphs/billing/providers/gateway.env';

// Issue 15 item 5: every variable a service reads can be set through docker-compose.yml, and
// the file loads with compose-go, the Compose specification's reference loader.
// The variables come from the code (core/config.ts CONFIG_ENV_VARS + each service's ENV_VARS),
// so a variable added to the configuration schema fails here until the file passes it.

const ROOT = projectRoot();
const COMPOSE_FILE = path.join(ROOT, 'docker-compose.yml');
type Service = SubgraphName | 'gateway';
const SERVICES: Service[] = ['gateway', ...SUBGRAPH_NAMES];
/** Fixed per deployment or per service: how the containers find each other, and each service's name in traces. */
const WIRING = new Set(['NODE_ENV', 'PORT', 'MONGODB_URI', 'REDIS_URL', 'OTEL_SERVICE_NAME', ...SUBGRAPH_NAMES.map((n) => `${n.toUpperCase()}_SUBGRAPH_URL`)]);
/** `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?message}`. */
const PASS_THROUGH = /^\$\{([A-Z][A-Z0-9_]*)(?:(:?-)([^}]*)|(:?\?)[^}]*)?\}$/;
/** Values for the required variables (`${VAR:?…}`) when the file is loaded. */
const REQUIRED = { JWT_SECRET: 'j'.repeat(40), ACCOUNT_KEYS: `k1:${'a'.repeat(40)}` };

const compose = parse(readFileSync(COMPOSE_FILE, 'utf8'), { merge: true }) as {
  services: Record<string, { environment?: Record<string, string | number | boolean | null>; command?: string[] }>;
};
const envOf = (service: Service) => {
  const env = compose.services[service]?.environment;
  if (!env) throw new Error(`docker-compose.yml has no environment for service "${service}"`);
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v == null ? '' : String(v)]));
};

/** The environment a container gets when the operator sets nothing (defaults substituted). */
function defaultsOf(service: Service): Record<string, string> {
  return Object.fromEntries(
    Object.entries(envOf(service)).map(([k, v]) => {
      const m = PASS_THROUGH.exec(v);
      if (!m) return [k, v];
      return [k, m[4] ? REQUIRED[m[1] as keyof typeof REQUIRED] : (m[3] ?? '')];
    }),
  );
}

describe('docker-compose.yml passes every variable a service reads', () => {
  it('reads the variables from the code, not from a copy', () => {
    expect(CONFIG_ENV_VARS).toEqual(
      expect.arrayContaining([
        'CORS_ORIGINS',
        'GATEWAY_SIGNING_SECRET',
        'TRUST_PROXY',
        'JWT_KEYS',
        'RATE_LIMIT_IP',
        'LOGIN_MAX_FAILURES',
        'OTEL_EXPORTER_OTLP_ENDPOINT',
        'SUBGRAPH_TIMEOUT_MS',
      ]),
    );
    expect(serviceEnvVars('billing')).toEqual(expect.arrayContaining(['RAZORPAY_KEY_ID', 'PLATFORM_RAZORPAY_KEY_ID']));
    expect(serviceEnvVars('messaging')).toEqual(expect.arrayContaining(['SMTP_HOST', 'MESSAGING_DUES_INTERVAL_MS']));
  });

  it.each(SERVICES)('%s: every variable it reads is in its environment', (service) => {
    const env = envOf(service);
    expect(serviceEnvVars(service).filter((v) => !(v in env))).toEqual([]);
  });

  it.each(SERVICES)('%s: each is `${VAR:-default}` or `${VAR}` of the same name (wiring aside)', (service) => {
    const wrong = Object.entries(envOf(service))
      .filter(([k, v]) => !WIRING.has(k) && PASS_THROUGH.exec(v)?.[1] !== k)
      .map(([k, v]) => `${k}: ${v}`);
    expect(wrong).toEqual([]);
  });

  it.each(SERVICES)('%s: no variable it does not read', (service) => {
    const reads = new Set(serviceEnvVars(service));
    expect(Object.keys(envOf(service)).filter((k) => !reads.has(k))).toEqual([]);
  });

  it.each(SERVICES)("%s: the file's defaults load and are the code's own defaults", (service) => {
    const withDefaults = defaultsOf(service);
    // The same container with only the wiring and the required secrets: what the code defaults to.
    const bare = Object.fromEntries(Object.entries(withDefaults).filter(([k]) => WIRING.has(k) || k in REQUIRED));
    expect(loadConfig(service, withDefaults)).toEqual(loadConfig(service, bare));
    if (service === 'billing') {
      for (const prefix of ['', 'PLATFORM_']) expect(gatewayOptionsFromEnv(withDefaults, prefix)).toEqual(gatewayOptionsFromEnv(bare, prefix));
    }
  });

  it('each service runs the entry point of its name', () => {
    for (const s of SERVICES) {
      const entry = s === 'gateway' ? 'dist/gateway/main.js' : `dist/subgraphs/${s}/main.js`;
      expect(compose.services[s].command).toEqual(['node', entry]);
    }
  });

  it('.env.example documents every variable a service reads', () => {
    const example = readFileSync(path.join(ROOT, '.env.example'), 'utf8');
    const all = [...new Set(SERVICES.flatMap(serviceEnvVars))];
    expect(all.filter((v) => !new RegExp(`^#?${v}=`, 'm').test(example))).toEqual([]);
  });

  it('every process.env variable read in core/, gateway/ and subgraphs/ is declared by a service', () => {
    const declared = new Set(SERVICES.flatMap(serviceEnvVars));
    const found = new Map<string, string>();
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const file = path.join(dir, name);
        if (statSync(file).isDirectory()) walk(file);
        else if (file.endsWith('.ts')) {
          for (const m of readFileSync(file, 'utf8').matchAll(/\b(?:process\.env|env)\.([A-Z][A-Z0-9_]+)\b/g)) found.set(m[1], path.relative(ROOT, file));
        }
      }
    };
    for (const dir of ['core', 'gateway', 'subgraphs']) walk(path.join(ROOT, dir));
    expect(found.size).toBeGreaterThan(5);
    expect([...found].filter(([v]) => !declared.has(v)).map(([v, f]) => `${v} (${f})`)).toEqual([]);
  });
});

describe('docker-compose.yml loads with compose-go (the Compose specification loader)', () => {
  const bin = process.env.COMPOSE_CHECK_BIN ?? path.join(ROOT, '.ci-cache', 'compose-check');
  const check = (file: string, env: Record<string, string> = REQUIRED) =>
    spawnSync(bin, [...Object.entries(env).flatMap(([k, v]) => ['-env', `${k}=${v}`]), file], { encoding: 'utf8' });

  beforeAll(() => {
    if (!existsSync(bin)) {
      throw new Error(
        `compose-check is missing at ${bin}: .ci/run builds it; by hand: (cd tools/compose-check && go build -o ../../.ci-cache/compose-check .)`,
      );
    }
  });

  it('loads the file', () => {
    const r = check(COMPOSE_FILE);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('(8 services)');
  });

  it('refuses it without the required secrets, naming them', () => {
    const r = check(COMPOSE_FILE, {});
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('set JWT_SECRET');
  });

  it('refuses a file that breaks the specification (the checker is not a no-op)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'compose-check-'));
    const bad = path.join(dir, 'docker-compose.yml');
    writeFileSync(bad, readFileSync(COMPOSE_FILE, 'utf8').replace('restart: unless-stopped', 'restart: unless-stopped\n  healthcheck_typo: true'));
    const r = check(bad);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/healthcheck_typo/);
  });
});
