import { fileSchema } from '../../../core/storage/file.model';

/** Ticket attachments' file records in each tenant database (core/storage/file.model.ts). */
export const TICKET_FILES = 'ticket_files';
export const ticketFileSchema = fileSchema(TICKET_FILES);
