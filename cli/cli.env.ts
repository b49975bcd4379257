import { z } from 'zod';
import { loadServiceEnv } from '../core/config';
import { storageEnv } from '../core/storage/config';
import type { Io } from './io';

/** The CLI's own variables (besides loadConfig's, which it reads like the services). */
export const cliEnvShape = {
  // Passwords for `tenant create`, `admin create` and `seed` when no option gives one (else random, printed once).
  STUDYSPOT_OWNER_PASSWORD: z.string().min(1).optional(),
  STUDYSPOT_ADMIN_PASSWORD: z.string().min(1).optional(),
  DEMO_PASSWORD: z.string().min(1).optional(),
  // Any value: print the stack of an unexpected error.
  DEBUG: z.string().optional(),
  // Object storage: `tenant export` includes the tenant's stored files (core/storage/config.ts).
  ...storageEnv,
};

/** The CLI's variables from the command's environment (tests give their own), validated (core/config.ts loadServiceEnv). */
export const cliEnv = (io: Pick<Io, 'env'>) => loadServiceEnv(cliEnvShape, io.env);
