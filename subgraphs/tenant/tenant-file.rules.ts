import { typeRules, type RuleTable } from '../../core/permissions/rules';
import type { FileDownload, HttpHeader, UploadTicket } from '../../core/storage/file.type';

/** A library photo is library data; the logo is tenant settings (like branding). */
export const tenantFileRules: RuleTable = {
  Mutation: {
    requestLibraryPhotoUpload: 'libraries:write',
    confirmLibraryPhotoUpload: 'libraries:write',
    requestTenantLogoUpload: 'tenant:update',
    confirmTenantLogoUpload: 'tenant:update',
  },
  Library: { photo: 'libraries:read' },
  Tenant: { logo: 'tenant:read' },
  UploadTicket: typeRules<UploadTicket>({ '*': 'authenticated' }),
  HttpHeader: typeRules<HttpHeader>({ '*': 'authenticated' }),
  FileDownload: typeRules<FileDownload>({ '*': 'authenticated' }),
};
