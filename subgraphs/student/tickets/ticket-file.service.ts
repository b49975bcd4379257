import { trusted } from 'mongoose';
import { badInput } from '../../../core/errors';
import { parseId } from '../../../core/ids';
import { fileModel, type FileDoc } from '../../../core/storage/file.model';
import { confirmUpload, downloadLink, fileLoader, fileScope, findFile, requestUpload } from '../../../core/storage/files';
import type { FileKind } from '../../../core/storage/kinds';
import { tryParseId } from '../../../core/ids';
import { assertLibraryInScope } from '../../../core/scope/library-scope';
import type { StudentContext } from '../context';
import { TICKET_FILES } from './ticket-file.model';
import type { RequestTicketAttachmentInput } from './ticket-file.input';

const KINDS: readonly FileKind[] = ['TICKET_ATTACHMENT'];

const scopeOf = (ctx: StudentContext) => fileScope(ctx, TICKET_FILES, ctx.services.storage);

/** An upload URL for an attachment of a ticket of this library (in the caller's branch scope). */
export async function requestTicketAttachment(ctx: StudentContext, input: RequestTicketAttachmentInput) {
  const libraryId = parseId(input.libraryId, 'input.libraryId');
  assertLibraryInScope(ctx, libraryId);
  const scope = await scopeOf(ctx);
  return requestUpload(scope, { kind: 'TICKET_ATTACHMENT', ownerId: libraryId.toHexString(), contentType: input.contentType, size: input.size });
}

/** Checks the upload (size, type); its id can then go in raiseTicket / addTicketComment `attachments`. */
export async function confirmTicketAttachment(ctx: StudentContext, fileId: string) {
  const scope = await scopeOf(ctx);
  const file = await findFile(scope, fileId, KINDS);
  assertLibraryInScope(ctx, parseId(file.ownerId, 'fileId'));
  return downloadLink(scope.store, await confirmUpload(scope, fileId, KINDS));
}

/**
 * The attachments named by a new ticket or comment: each a confirmed upload of this tenant for the
 * ticket's library, or BAD_USER_INPUT and nothing is written. Without storage only an empty list passes.
 */
export async function checkAttachments(ctx: StudentContext, libraryId: string, ids: readonly string[] | undefined, field: string): Promise<string[]> {
  const unique = [...new Set(ids ?? [])];
  if (!unique.length) return [];
  const scope = await scopeOf(ctx);
  const _ids = unique.map((id) => tryParseId(id));
  if (_ids.some((id) => !id)) throw badInput(field, 'every attachment must be a file id from requestTicketAttachmentUpload');
  const found = await fileModel(scope.conn, TICKET_FILES)
    .find({ _id: trusted({ $in: _ids }), kind: 'TICKET_ATTACHMENT', ownerId: libraryId, status: 'ready' }, { _id: 1 })
    .lean<FileDoc[]>();
  if (found.length !== unique.length) throw badInput(field, "every attachment must be a confirmed upload for the ticket's library");
  return unique;
}

/** Download links of a ticket's or comment's attachments (none without storage); one batched find per request (core fileLoader). */
export async function attachmentLinks(ctx: StudentContext, ids: readonly string[]) {
  const store = ctx.services.storage;
  if (!store || !ids.length) return [];
  const docs = await fileLoader(ctx, TICKET_FILES).loadMany([...ids]);
  const links = await Promise.all(docs.map((d) => downloadLink(store, d instanceof Error ? null : d)));
  return links.filter((l) => l !== null);
}
