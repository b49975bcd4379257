import { fileSchema } from '../../core/storage/file.model';

/** The student domain's file records (photos, ID-proof scans) in each tenant database (core/storage/file.model.ts). */
export const STUDENT_FILES = 'student_files';
export const studentFileSchema = fileSchema(STUDENT_FILES);
