import { fileSchema } from '../../core/storage/file.model';

/** The tenant domain's file records (library photos, the logo) in each tenant database (core/storage/file.model.ts). */
export const TENANT_FILES = 'tenant_files';
export const tenantFileSchema = fileSchema(TENANT_FILES);
