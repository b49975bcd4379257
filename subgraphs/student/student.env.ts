import { storageEnv } from '../../core/storage/config';

/** The student subgraph's own variables (its ENV_VARS are these keys): object storage for photos and ID-proof scans. */
export const studentEnv = { ...storageEnv };
