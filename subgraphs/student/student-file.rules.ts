import { typeRules, type RuleTable } from '../../core/permissions/rules';
import type { FileDownload, HttpHeader, UploadTicket } from '../../core/storage/file.type';

/** Uploading is changing the student; a scan is as sensitive as the full ID-proof number. */
export const studentFileRules: RuleTable = {
  Mutation: { requestStudentUpload: 'students:update', confirmStudentUpload: 'students:update' },
  Student: { photo: 'students:read', idProofScan: 'students:idproof:reveal' },
  UploadTicket: typeRules<UploadTicket>({ '*': 'authenticated' }),
  HttpHeader: typeRules<HttpHeader>({ '*': 'authenticated' }),
  FileDownload: typeRules<FileDownload>({ '*': 'authenticated' }),
};
