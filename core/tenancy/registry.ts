import { Schema, Types, type Connection } from 'mongoose';
import { modelOn } from './db';
import { bumpOnWrite } from './registry-version';

export type TenantStatus = 'provisioning' | 'active' | 'suspended';

export interface TenantLimits {
  maxLibraries: number;
  maxStudents: number;
  maxStaff: number;
}

/** White-label look of a tenant (login pages, app shell). Every field optional. */
export interface TenantBranding {
  displayName?: string;
  logoUrl?: string;
  faviconUrl?: string;
  primaryColor?: string;
  secondaryColor?: string;
  fontFamily?: string;
  pageTitle?: string;
}

/** Optional modules a tenant may switch on or off; unset ones follow the plan's defaults. */
export const TENANT_MODULES = ['attendance', 'payments', 'messaging', 'bookings', 'analytics'] as const;
export type TenantModule = (typeof TENANT_MODULES)[number];
export type TenantModules = Partial<Record<TenantModule, boolean>>;

export interface TenantRecord {
  _id: Types.ObjectId;
  name: string;
  slug: string;
  domain?: string;
  status: TenantStatus;
  plan: string;
  limits: TenantLimits;
  branding: TenantBranding;
  /** Explicit module switches (overrides of the plan defaults). */
  modules?: TenantModules;
  dbName: string;
  /** MongoDB cluster holding the tenant's database (MONGODB_CLUSTERS); absent = 'default'. */
  cluster?: string;
  /** Set while `studyspot tenant move` copies the database: mutations answer TENANT_READ_ONLY. */
  readOnly?: boolean;
  /** Number of the last suspend/reactivate (core/tenancy/tenant-status.ts orders them). */
  statusSeq?: number;
  createdAt: Date;
  updatedAt: Date;
}

/** The platform's tenant registry. Written only by the tenant subgraph; read by all through core. */
export const tenantRegistrySchema = new Schema<TenantRecord>(
  {
    name: { type: String, required: true },
    slug: { type: String, required: true, unique: true },
    domain: { type: String, unique: true, sparse: true },
    status: { type: String, required: true, default: 'provisioning' },
    plan: { type: String, required: true, default: 'free' },
    limits: {
      maxLibraries: { type: Number, required: true },
      maxStudents: { type: Number, required: true },
      maxStaff: { type: Number, required: true },
    },
    branding: {
      displayName: String,
      logoUrl: String,
      faviconUrl: String,
      primaryColor: String,
      secondaryColor: String,
      fontFamily: String,
      pageTitle: String,
    },
    modules: { attendance: Boolean, payments: Boolean, messaging: Boolean, bookings: Boolean, analytics: Boolean },
    dbName: { type: String, required: true },
    cluster: { type: String, default: 'default' },
    readOnly: Boolean,
    statusSeq: Number,
  },
  { collection: 'tenants', timestamps: true, versionKey: false, strictQuery: 'throw' },
);

bumpOnWrite(tenantRegistrySchema);

export const tenantRegistry = (platform: Connection) => modelOn(platform, 'TenantRegistry', tenantRegistrySchema);

export async function findTenant(platform: Connection, by: { id?: string; slug?: string; domain?: string }) {
  const Registry = tenantRegistry(platform);
  if (by.id) return Types.ObjectId.isValid(by.id) ? Registry.findById(by.id).lean<TenantRecord>() : null;
  if (by.slug) return Registry.findOne({ slug: by.slug }).lean<TenantRecord>();
  if (by.domain) return Registry.findOne({ domain: by.domain }).lean<TenantRecord>();
  return null;
}
