import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { ConfigError, loadConfig } from '../core/config';
import { topics } from '../core/events';
import { projectRoot } from '../core/paths';
import { storageConfig } from '../core/storage/config';
import { useObjectStore, type ObjectStore } from '../core/storage/object-store';
import type { DbManager } from '../core/tenancy/db';
import { seedDemo } from '../scripts/seed-demo';
import { upsertPlatformUser } from '../subgraphs/tenant/platform-user.service';
import { rebuildTenantAnalytics } from './analytics';
import { exportTenant, importTenant } from './archive';
import { cliEnv } from './cli.env';
import { eventsDead, eventsReplay, eventsShow, eventsStatus } from './events';
import { grandfatherModules, type GrandfatherResult } from './grandfather';
import { importDynamo } from './dynamodb';
import { CliError, EXIT, processIo, table, usage, withDb, type Io } from './io';
import { resealKeys, type ResealReport } from './keys';
import { migrate, type TenantMigrationResult } from './migrate';
import type { ReportRow } from './dynamodb';
import { clearReadOnly, moveTenant } from './move';
import { announce, createTenant, listTenants, setStatus } from './tenant';
import { listForTenant, registerFromFile, removeForTenant, setKeyMode } from './trusted-documents';

/** `k1: 3, k0: 1` (none: `none`). */
const kidList = (m: Record<string, number>) =>
  Object.entries(m)
    .map(([k, n]) => `${k}: ${n}`)
    .join(', ') || 'none';

type Human = (data: any) => string; // eslint-disable-line @typescript-eslint/no-explicit-any -- GraphQL response data is untyped JSON; callers read the fields they need

/**
 * `studyspot` — operator CLI. Talks to MongoDB directly (MONGODB_URI, DB_PREFIX,
 * MONGODB_CLUSTERS as the services). Human output by default, `--json` for
 * scripts; exit codes in cli/io.ts (EXIT).
 */

/** The deployment's object storage for one command (null without S3_BUCKET), closed afterwards. */
async function withStore<T>(io: Io, run: (store: ObjectStore | null) => Promise<T>): Promise<T> {
  const settings = storageConfig(io.env);
  const store = settings ? useObjectStore(settings) : null;
  try {
    return await run(store);
  } finally {
    store?.close();
  }
}

export function buildProgram(io: Io, setCode: (code: number) => void): Command {
  const program = new Command('studyspot')
    .description('StudySpot Graph operator tool: tenants, backups, migrations, imports, clusters, domain events, trusted documents')
    .version(packageVersion(), '-V, --version', 'print the version (package.json)')
    .option('--json', 'machine-readable output on stdout')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  const json = () => !!program.opts().json;
  /** Runs a command with a database pool and prints its result. */
  const act =
    <T>(fn: (db: DbManager) => Promise<T>, human: Human, failed?: (data: T) => number) =>
    async () => {
      const data = await withDb(io, fn);
      io.out(json() ? JSON.stringify(data, null, 2) : human(data));
      const code = failed?.(data) ?? EXIT.ok;
      if (code) setCode(code);
    };

  const tenant = program.command('tenant').description('create, list, suspend, back up, restore and move tenants');
  tenant
    .command('create <slug>')
    .description('register a tenant, provision its database in every subgraph and create its owner')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--owner-email <email>', 'owner login')
    .option('--owner-name <name>', 'owner name', 'Owner')
    .option('--owner-password <password>', 'owner password (default: generated and printed; or STUDYSPOT_OWNER_PASSWORD)')
    .option('--plan <plan>', 'plan name', 'free')
    .option('--domain <host>', 'custom domain')
    .option('--cluster <name>', 'MongoDB cluster for its database', 'default')
    .action((slug: string, o) =>
      act(
        (db) =>
          createTenant(db, {
            slug,
            name: o.name,
            ownerEmail: o.ownerEmail,
            ownerName: o.ownerName,
            ownerPassword: o.ownerPassword ?? cliEnv(io).STUDYSPOT_OWNER_PASSWORD,
            plan: o.plan,
            domain: o.domain,
            cluster: o.cluster,
          }),
        (r) =>
          `Created tenant ${r.tenant.slug} (${r.tenant.id}) on cluster ${r.tenant.cluster}\nOwner: ${r.owner.email}${r.owner.password ? `  password: ${r.owner.password}` : ''}`,
      )(),
    );
  tenant
    .command('list')
    .description('all tenants with status, plan and cluster')
    .addOption(new Option('--status <status>', 'only this status').choices(['active', 'suspended', 'provisioning']))
    .action((o) =>
      act(
        (db) => listTenants(db, { status: o.status }),
        (rows) => table(rows, ['slug', 'name', 'status', 'plan', 'cluster', 'readOnly', 'createdAt']),
      )(),
    );
  for (const [name, to, verb] of [
    ['suspend', 'suspended', 'Suspended'],
    ['reactivate', 'active', 'Reactivated'],
  ] as const) {
    tenant
      .command(`${name} <slug>`)
      .description(name === 'suspend' ? 'block all access to a tenant (logins, API calls, live connections)' : 'give a suspended tenant access again')
      .action((slug: string) =>
        act(
          (db) => setStatus(db, io, slug, to),
          (r) => (r.changed ? `${verb} ${slug}` : `${slug} was already ${to}`),
        )(),
      );
  }
  tenant
    .command('export <slug> <file>')
    .description('write a portable archive (gzip JSON lines) of the tenant database and registry entry')
    .action((slug: string, file: string) =>
      act(
        // The tenant's stored files too, when the deployment has object storage (S3_*).
        (db) => withStore(io, (store) => exportTenant(db, slug, file, store)),
        (r) => `Exported ${r.tenant.slug}: ${r.documents} documents in ${r.collections} collections, ${r.objects} stored files → ${r.file}`,
      )(),
    );
  tenant
    .command('import <file>')
    .description('restore an archive as a new tenant (refuses a slug that exists)')
    .option('--as <slug>', 'import under this (free) slug')
    .option('--cluster <name>', 'MongoDB cluster for its database', 'default')
    .action((file: string, o) =>
      act(
        (db) => withStore(io, (store) => importTenant(db, { file, as: o.as, cluster: o.cluster }, store)),
        (r) =>
          `Imported ${r.from} as ${r.tenant.slug} (${r.tenant.status}): ${r.documents} documents in ${r.collections} collections, counts verified${r.keptId ? '' : '\nNote: the original tenant id is in use, so the copy has a new id (existing tokens do not apply)'}`,
      )(),
    );
  tenant
    .command('move <slug> <cluster>')
    .description('copy the tenant database to another cluster, verify counts and switch (briefly read-only)')
    .option('--drop-source', 'drop the old database after the switch')
    .option('--grace-ms <ms>', 'wait after setting read-only for in-flight writes', (v) => parseNonNegative(v, '--grace-ms'), 1000)
    .action((slug: string, cluster: string, o) =>
      act(
        (db) =>
          moveTenant(db, slug, cluster, {
            dropSource: !!o.dropSource,
            graceMs: o.graceMs,
            cacheMs: loadConfig('gateway', io.env).tenantCacheMs,
            announce: (tenantId) => announce(io, topics.tenantChanged, { tenantId }),
          }),
        (r) =>
          `Moved ${slug}: ${r.from.cluster} (${r.from.dbName}) → ${r.to.cluster} (${r.to.dbName}), ${r.documents} documents verified, read-only for ${r.readOnlyMs} ms${r.sourceKept ? `\nThe old database ${r.from.dbName} is kept; drop it when you no longer need it` : ''}`,
      )(),
    );
  tenant
    .command('writable <slug>')
    .description('clear a read-only flag left by an interrupted move')
    .action((slug: string) =>
      act(
        (db) => clearReadOnly(db, slug),
        (r) => (r.changed ? `${slug} is writable again` : `${slug} was not read-only`),
      )(),
    );

  tenant
    .command('analytics-rebuild <slug>')
    .description('rebuild the student analytics rollups from students and attendance (a long history, or a repair; run when check-ins are quiet)')
    .action((slug: string) =>
      act(
        (db) => rebuildTenantAnalytics(db, slug),
        (r) => `Rebuilt the analytics of ${r.slug}: ${r.documents} rollup documents in ${r.ms} ms`,
      )(),
    );

  tenant
    .command('grandfather-modules')
    .description('one-time deploy step for module enforcement: switch on, for tenants created before it, the modules their plan lacks (idempotent)')
    .option('--dry-run', 'list the tenants and modules it would switch on, change nothing')
    .option('--before <iso-date>', 'cutoff of the first run: tenants created before it (default: now; later runs reuse the first cutoff)')
    .action((o) =>
      act(
        (db) => grandfatherModules(db, { dryRun: !!o.dryRun, before: o.before }),
        (r: GrandfatherResult) =>
          [
            ...r.tenants.map((t) => `${t.slug} (${t.plan}): ${r.dryRun ? 'would switch on' : 'switched on'} ${t.modules.join(', ')}`),
            `${r.tenants.length} tenants ${r.dryRun ? 'would change' : 'changed'}, ${r.unchanged} already had what they need (created before ${r.cutoff})`,
          ].join('\n'),
      )(),
    );

  const trusted = program.command('trusted-documents').description('operations partner keys in trusted-documents mode may run (docs/partners.md)');
  trusted
    .command('register <slug> <file>')
    .description('register documents: an Apollo persisted query manifest, a JSON array of documents, or one .graphql file (all or nothing; idempotent)')
    .action((slug: string, file: string) =>
      act(
        (db) => registerFromFile(db, slug, file),
        (r) =>
          [
            ...r.registered.map(
              (d: { sha256Hash: string; operationNames: (string | null)[] }) =>
                `${d.sha256Hash}  ${d.operationNames.map((n) => n ?? '(anonymous)').join(', ')}`,
            ),
            `${r.registered.length} document${r.registered.length === 1 ? '' : 's'} registered for ${r.tenant}`,
          ].join('\n'),
      )(),
    );
  trusted
    .command('list <slug>')
    .description('registered documents of a tenant, newest first')
    .action((slug: string) =>
      act(
        (db) => listForTenant(db, slug),
        (rows) => table(rows, ['sha256Hash', 'operations', 'createdAt']),
      )(),
    );
  trusted
    .command('remove <slug> <sha256>')
    .description('unregister a document: keys in trusted-documents mode can no longer run it')
    .action((slug: string, hash: string) =>
      act(
        (db) => removeForTenant(db, slug, hash),
        (r) => `Removed ${r.removed} from ${r.tenant}`,
      )(),
    );
  trusted
    .command('mode <slug> <key-prefix> <on|off>')
    .description('switch a partner key (by its prefix, the part after ssk_) into or out of trusted-documents mode')
    .action((slug: string, prefix: string, mode: string) =>
      act(
        (db) => setKeyMode(db, slug, prefix, mode),
        (r) => `Key ${r.key} (${r.name}) of ${r.tenant}: trusted-documents mode ${r.trustedDocumentsOnly ? 'on' : 'off'}`,
      )(),
    );

  program
    .command('migrate')
    .description('apply pending data migrations (migrations/) to every tenant database; resumable')
    .option('--dry-run', 'list what would run and how many documents it would change')
    .option('--tenant <slug>', 'only this tenant')
    .action((o) =>
      act(
        (db) => migrate(db, { dryRun: !!o.dryRun, slug: o.tenant, progress: io.interactive && !json() }),
        (r) =>
          [
            ...r.results.map(
              (t: TenantMigrationResult) =>
                `${t.slug}: ${
                  t.error
                    ? `FAILED at ${t.error.id}: ${t.error.message}`
                    : r.dryRun
                      ? t.pending.length
                        ? `would apply ${t.pending.map((p: { id: string; wouldChange: number }) => `${p.id} (${p.wouldChange} docs)`).join(', ')}`
                        : 'up to date'
                      : t.applied.length
                        ? `applied ${t.applied.map((a: { id: string; changed: number }) => `${a.id} (${a.changed} docs)`).join(', ')}`
                        : 'up to date'
                }`,
            ),
            `${r.tenants} tenants, ${r.dryRun ? `${r.pending} pending` : `${r.applied} applied`}${r.failed ? `, ${r.failed} failed (re-run to resume)` : ''}`,
          ].join('\n'),
        (r) => (r.failed ? EXIT.failed : EXIT.ok),
      )(),
    );

  program
    .command('admin')
    .description('platform users')
    .command('create')
    .description('create a platform user (or reset their password and role)')
    .requiredOption('--email <email>', 'login email')
    .option('--name <name>', 'display name', 'Platform Admin')
    .addOption(new Option('--role <role>', 'platform role').choices(['super_admin', 'admin', 'support']).default('super_admin'))
    .option('--password <password>', 'password (default: generated and printed; or STUDYSPOT_ADMIN_PASSWORD)')
    .action((o) => {
      const password: string = o.password ?? cliEnv(io).STUDYSPOT_ADMIN_PASSWORD ?? randomBytes(12).toString('base64url');
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(o.email)) throw usage(`--email: "${o.email}" is not an email address`);
      if (password.length < 10) throw usage('--password: at least 10 characters');
      const shown = o.password || cliEnv(io).STUDYSPOT_ADMIN_PASSWORD ? undefined : password;
      return act(
        async (db) => ({
          id: await upsertPlatformUser(db, { email: o.email, name: o.name, password, role: o.role }),
          email: o.email.toLowerCase(),
          role: o.role,
          password: shown,
        }),
        (r) => `Platform user ${r.email} (${r.role})${r.password ? `  password: ${r.password}` : ''}`,
      )();
    });

  program
    .command('seed')
    .description('demo data')
    .command('demo')
    .description('create the demo tenants through a running gateway (idempotent)')
    .option('--gateway <url>', 'gateway GraphQL URL', 'http://localhost:4000/graphql')
    .option('--password <password>', 'password of admin@studyspot.local and the demo owners (default: generated)')
    .action((o) => {
      const password: string = o.password ?? cliEnv(io).DEMO_PASSWORD ?? randomBytes(9).toString('base64url');
      return act(
        async (db) => {
          await upsertPlatformUser(db, { email: 'admin@studyspot.local', name: 'Platform Admin', password, role: 'super_admin' });
          const gql = async (query: string, variables = {}, headers: Record<string, string> = {}) => {
            const res = await fetch(o.gateway, {
              method: 'POST',
              headers: { 'content-type': 'application/json', ...headers },
              body: JSON.stringify({ query, variables }),
            }).catch((err: Error) => {
              throw new CliError(`Cannot reach the gateway at ${o.gateway}: ${err.message}`);
            });
            return res.json() as Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- GraphQL response data is untyped JSON; callers read the fields they need
          };
          const login = await gql('mutation($i: LoginInput!) { login(input: $i) { accessToken } }', { i: { email: 'admin@studyspot.local', password } });
          if (!login.data?.login) throw new CliError(`Login at ${o.gateway} failed: ${login.errors?.[0]?.message ?? 'no token'}`);
          return { created: await seedDemo(gql, login.data.login.accessToken, password), admin: 'admin@studyspot.local', password };
        },
        (r) =>
          `Demo tenants created: ${r.created.join(', ') || 'none (already there)'}\nLogin: admin@studyspot.local / ${r.password} (demo owners: owner@<slug>.demo, same password)`,
      )();
    });

  program
    .command('import')
    .description('bring data from other systems')
    .command('dynamodb <tenant> <file>')
    .description('import student items of a DynamoDB export (DynamoDB JSON or plain JSON; array or one per line); re-runs change nothing')
    .action((slug: string, file: string) =>
      act(
        (db) => importDynamo(db, slug, file),
        (r) =>
          [
            `${r.file} → ${r.tenant}: ${r.imported} imported, ${r.skipped} skipped as duplicates, ${r.rejected} rejected (of ${r.total})`,
            ...r.rows
              .filter((x: ReportRow) => x.status === 'rejected')
              .map((x: ReportRow) => `  item ${x.item}${x.key ? ` (${x.key})` : ''}: ${x.reasons!.join('; ')}`),
          ].join('\n'),
        (r) => (r.rejected ? EXIT.failed : EXIT.ok),
      )(),
    );

  const keys = program.command('keys').description('ACCOUNT_KEYS rotation');
  keys
    .command('reseal')
    .description('re-seal TOTP secrets, webhook secrets and ID-proof numbers under the newest ACCOUNT_KEYS key, so older keys can leave the ring')
    .option('--dry-run', 'count what would be re-sealed, write nothing')
    .option('--tenant <slug>', "only this tenant's database (not the platform's)")
    .action((o) =>
      act(
        (db) => resealKeys(db, loadConfig('tenant', io.env).security.accountKeys, { dryRun: !!o.dryRun, slug: o.tenant }),
        (r: ResealReport) =>
          [
            `${r.dryRun ? 'would re-seal' : 're-sealed'} ${r.resealed} values under ${r.kid} in ${r.databases} databases`,
            `sealed values by key: ${kidList(r.sealedByKid)}`,
            `keyed hashes by key (recovery and reset codes, never re-made): ${kidList(r.hashesByKid)}`,
            ...(r.unreadable ? [`${r.unreadable} values under a key that is not in ACCOUNT_KEYS (unreadable, left as they are)`] : []),
          ].join('\n'),
        (r) => (r.unreadable ? EXIT.failed : EXIT.ok),
      )(),
    );

  const events = program.command('events').description('durable domain events: status, dead letters, replay');
  events
    .command('status')
    .description('deliveries per consumer: pending, retrying, dead, done; oldest open delivery')
    .action(() =>
      act(
        eventsStatus,
        (rows) => table(rows, ['consumer', 'pending', 'retrying', 'dead', 'done', 'oldestOpen']),
        (rows: { dead: number }[]) => (rows.some((r) => r.dead > 0) ? EXIT.failed : EXIT.ok),
      )(),
    );
  events
    .command('dead')
    .description('dead-lettered deliveries, newest first (ids only, no personal data)')
    .option('--tenant <slug>', 'only this tenant')
    .option('--consumer <name>', 'only this consumer')
    .option('--limit <n>', 'at most n rows', '100')
    .action((o) =>
      act(
        (db) => eventsDead(db, { ...o, limit: parseNonNegative(o.limit, '--limit') }),
        (rows) => table(rows, ['id', 'tenantId', 'attempts', 'updatedAt', 'lastError']),
      )(),
    );
  events
    .command('show <id>')
    .description("one event (event id or delivery id): payload and each consumer's delivery")
    .action((id: string) =>
      act(
        (db) => eventsShow(db, id),
        (e) =>
          [
            `${e.eventId}  ${e.name}  tenant ${e.tenantId}  at ${e.createdAt.toISOString()}`,
            `payload: ${JSON.stringify(e.payload)}`,
            table(e.deliveries, ['consumer', 'status', 'attempts', 'updatedAt', 'lastError']),
          ].join('\n'),
      )(),
    );
  events
    .command('replay [id]')
    .description('send dead deliveries back to their consumer with a fresh attempt budget: one (delivery or event id) or --all')
    .option('--all', 'every dead delivery (with --tenant / --consumer: those only)')
    .option('--tenant <slug>', 'with --all: only this tenant')
    .option('--consumer <name>', 'with --all: only this consumer')
    .action((id: string | undefined, o) =>
      act(
        (db) => eventsReplay(db, id, o),
        (r) =>
          `Replayed ${r.replayed.length} deliver${r.replayed.length === 1 ? 'y' : 'ies'}${r.replayed.length ? `:\n${r.replayed.map((x: string) => `  ${x}`).join('\n')}` : ''}`,
      )(),
    );

  return program;
}

/** The version in package.json (the CLI ships with the services it operates). */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

function parseNonNegative(v: string, name: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw usage(`${name}: must be a whole number ≥ 0`);
  return n;
}

/** Runs the CLI on `argv` (without node and script) and returns the exit code; never exits the process. */
export async function run(argv: string[], io: Io = processIo()): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  const json = argv.includes('--json');
  try {
    if (!argv.length) {
      program.outputHelp();
      return EXIT.usage;
    }
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage; // commander printed the message
    const known = err instanceof CliError || err instanceof ConfigError;
    const exitCode = err instanceof CliError ? err.exitCode : err instanceof ConfigError ? EXIT.usage : EXIT.failed;
    const message = known ? (err as Error).message : `Unexpected error: ${(err as Error).message ?? err}`;
    if (json) io.out(JSON.stringify({ error: { message, exitCode, details: (err as CliError).details } }, null, 2));
    io.err(`error: ${message}`);
    if (!known && cliEnv(io).DEBUG) io.err(String((err as Error).stack));
    return exitCode;
  }
}
