import { z } from 'zod';
import { loadServiceEnv } from '../config';

/**
 * Object storage (S3 API: AWS S3, or any S3-compatible server such as SeaweedFS or MinIO).
 * Read by the services that issue upload and download URLs (student, tenant) and by the CLI
 * (tenant export). Storage is off while S3_BUCKET is unset: uploads then answer STORAGE_NOT_CONFIGURED.
 */
export const storageEnv = {
  // S3-compatible endpoint (e.g. http://storage:8333 for SeaweedFS); unset = AWS S3 of S3_REGION.
  S3_ENDPOINT: z.string().url().optional(),
  // The endpoint browsers reach, when it differs from the one the services use (e.g. compose:
  // services talk to http://storage:8333, browsers to http://localhost:8333); presigned URLs name it.
  S3_PUBLIC_ENDPOINT: z.string().url().optional(),
  // The bucket every tenant's objects go to (keys are prefixed tenants/<tenantId>/); unset = storage off.
  S3_BUCKET: z.string().min(3).max(63).optional(),
  // Credentials; unset = the AWS SDK's default chain (instance role, AWS_* variables).
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  // Default us-east-1 (what S3-compatible servers expect when they ignore regions).
  S3_REGION: z.string().min(1).optional(),
  // How often uploads never confirmed are swept (object and record), in ms; default 1 h, 0 = off.
  FILES_SWEEP_INTERVAL_MS: z.coerce.number().int().min(0).optional(),
};

/** The variables storageConfig reads (each service that uses storage lists them in its ENV_VARS). */
export const STORAGE_ENV_VARS: readonly string[] = Object.keys(storageEnv);

export interface StorageConfig {
  endpoint?: string;
  /** Presigned URLs are made for this endpoint (default: endpoint). */
  publicEndpoint?: string;
  bucket: string;
  region: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** The period of the pending-upload sweep (core/storage/sweep.ts); 0 = off. */
export const filesSweepIntervalMs = (env?: NodeJS.ProcessEnv): number => loadServiceEnv(storageEnv, env).FILES_SWEEP_INTERVAL_MS ?? 3_600_000;

/** The storage settings of an environment, or null when S3_BUCKET is unset (storage off). */
export function storageConfig(env?: NodeJS.ProcessEnv): StorageConfig | null {
  const e = loadServiceEnv(storageEnv, env);
  if (!e.S3_BUCKET) return null;
  return {
    endpoint: e.S3_ENDPOINT,
    publicEndpoint: e.S3_PUBLIC_ENDPOINT,
    bucket: e.S3_BUCKET,
    region: e.S3_REGION ?? 'us-east-1',
    credentials: e.S3_ACCESS_KEY_ID && e.S3_SECRET_ACCESS_KEY ? { accessKeyId: e.S3_ACCESS_KEY_ID, secretAccessKey: e.S3_SECRET_ACCESS_KEY } : undefined,
  };
}
