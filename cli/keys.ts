import type { Connection } from 'mongoose';
import { open, seal, sealedKid, type KeyRing, type SealDomain } from '../core/security/secret-box';
import type { DbManager } from '../core/tenancy/db';
import { tenantRegistry, type TenantRecord } from '../core/tenancy/registry';

/**
 * Re-seals every value sealed with an older ACCOUNT_KEYS key under the newest one, so an
 * old key can leave the ring (docs/operations.md "Rotating ACCOUNT_KEYS"). Sealed values:
 * TOTP secrets (platform and tenant databases), webhook signing secrets and students'
 * ID-proof numbers. Keyed hashes (TOTP recovery codes, password-reset codes) cannot be
 * re-made without their codes: they are counted by key, and their key stays until they are
 * regenerated or expire.
 */
export interface ResealReport {
  dryRun: boolean;
  /** The newest key: what everything is sealed with afterwards. */
  kid: string;
  /** Databases visited: the platform database and each tenant's. */
  databases: number;
  /** Values re-sealed (or, dry run, that would be). */
  resealed: number;
  /** Sealed values by key after the run (dry run: as found). */
  sealedByKid: Record<string, number>;
  /** Keyed hashes by key (never re-made). */
  hashesByKid: Record<string, number>;
  /** Values whose key is not in the ring, or that do not open (tampered): unreadable, left as they are. */
  unreadable: number;
}

interface Target {
  collection: string;
  /** The sealed values of a document. */
  values(doc: Record<string, unknown>): string[];
  /** The document with each value replaced (same shape). */
  replace(doc: Record<string, unknown>, resealed: Map<string, string>): Record<string, unknown>;
  /** The field written back (whole: FerretDB has no positional updates). */
  field: string;
  domain: SealDomain;
  tenantOnly?: boolean;
  /** A field of keyed hashes in the same documents: counted in the same pass. */
  hashes?: string;
}

const TARGETS: Target[] = [
  {
    collection: 'user_totp',
    field: 'secret',
    domain: 'accounts',
    hashes: 'recoveryCodes',
    values: (d) => (typeof d.secret === 'string' ? [d.secret] : []),
    replace: (d, r) => ({ secret: r.get(d.secret as string) ?? d.secret }),
  },
  {
    collection: 'webhook_endpoints',
    field: 'secrets',
    domain: 'accounts',
    tenantOnly: true,
    values: (d) => ((d.secrets as { sealed?: string }[] | undefined) ?? []).flatMap((s) => (s.sealed ? [s.sealed] : [])),
    replace: (d, r) => ({ secrets: (d.secrets as { sealed: string }[]).map((s) => ({ ...s, sealed: r.get(s.sealed) ?? s.sealed })) }),
  },
  {
    collection: 'students',
    field: 'idProof',
    domain: 'pii',
    tenantOnly: true,
    values: (d) => {
      const sealed = (d.idProof as { sealed?: string } | undefined)?.sealed;
      return sealed ? [sealed] : [];
    },
    replace: (d, r) => {
      const p = d.idProof as { sealed: string };
      return { idProof: { ...p, sealed: r.get(p.sealed) ?? p.sealed } };
    },
  },
];

/** Collections of keyed hashes only (`<kid>.<hex>`): counted, never re-made. */
const HASHES = [{ collection: 'password_resets', field: 'codeHash' }];

const bump = (m: Record<string, number>, k: string, n = 1) => (m[k] = (m[k] ?? 0) + n);

/** Counts the keyed hashes of a field (one or a list) by key. */
function countHashes(report: ResealReport, value: unknown) {
  for (const v of Array.isArray(value) ? value : [value]) if (typeof v === 'string') bump(report.hashesByKid, v.slice(0, v.indexOf('.')));
}

export async function resealKeys(db: DbManager, ring: KeyRing, opts: { dryRun?: boolean; slug?: string } = {}): Promise<ResealReport> {
  const report: ResealReport = { dryRun: !!opts.dryRun, kid: ring[0]!.kid, databases: 0, resealed: 0, sealedByKid: {}, hashesByKid: {}, unreadable: 0 };
  const tenants = await tenantRegistry(db.platform())
    .find(opts.slug ? { slug: opts.slug } : {})
    .sort({ slug: 1 })
    .lean<TenantRecord[]>();
  const dbs: { conn: Connection; tenant: boolean }[] = [
    ...(opts.slug ? [] : [{ conn: db.platform(), tenant: false }]),
    ...tenants.filter((t) => t.status !== 'provisioning').map((t) => ({ conn: db.tenant(t.dbName), tenant: true })),
  ];
  for (const { conn, tenant } of dbs) {
    report.databases++;
    for (const t of TARGETS) if (tenant || !t.tenantOnly) await resealCollection(conn, t, ring, report);
    for (const h of HASHES) for await (const d of conn.db!.collection(h.collection).find({}, { projection: { [h.field]: 1 } })) countHashes(report, d[h.field]);
  }
  return report;
}

/**
 * One collection: each document with a value under an older key is written back with
 * its values re-sealed, only if it still holds what was read (a value the app changed
 * meanwhile is already under the newest key). On MongoDB that condition is atomic; FerretDB
 * reads and writes separately, so a secret the app rotates in that instant could be lost:
 * run it when few secrets change (docs/operations.md).
 */
async function resealCollection(conn: Connection, t: Target, ring: KeyRing, report: ResealReport) {
  const coll = conn.db!.collection(t.collection);
  const newest = ring[0]!.kid;
  for await (const d of coll.find({}, { projection: { [t.field]: 1, ...(t.hashes ? { [t.hashes]: 1 } : {}) } })) {
    if (t.hashes) countHashes(report, d[t.hashes]);
    const values = t.values(d);
    const resealed = new Map<string, string>();
    for (const v of values) {
      const kid = sealedKid(v) ?? '?';
      if (kid === newest) continue;
      if (!ring.some((k) => k.kid === kid)) {
        report.unreadable++;
        continue;
      }
      try {
        resealed.set(v, seal(ring, open(ring, v, t.domain), t.domain));
      } catch {
        report.unreadable++; // tampered or truncated: reported, left as it is, the run goes on
      }
    }
    let written = false;
    if (resealed.size && !report.dryRun) {
      const r = await coll.updateOne({ _id: d._id, [t.field]: d[t.field] }, { $set: t.replace(d, resealed) });
      written = r.modifiedCount === 1;
      if (written) report.resealed += resealed.size;
    } else if (resealed.size) report.resealed += resealed.size;
    for (const v of values) bump(report.sealedByKid, written && resealed.has(v) ? newest : (sealedKid(v) ?? '?'));
  }
}
