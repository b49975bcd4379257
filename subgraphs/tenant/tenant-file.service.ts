import { notFound } from '../../core/errors';
import { parseId } from '../../core/ids';
import { confirmUpload, currentFile, downloadLink, fileScope, findFile, removeReplaced, requestUpload } from '../../core/storage/files';
import type { FileKind } from '../../core/storage/kinds';
import type { TenantContext } from './context';
import { libraryLoader } from './library.loader';
import type { FileUploadInput } from './tenant-file.input';
import { TENANT_FILES } from './tenant-file.model';

const scopeOf = (ctx: TenantContext) => fileScope(ctx, TENANT_FILES, ctx.services.storage);

async function requireLibrary(ctx: TenantContext, libraryId: string) {
  parseId(libraryId, 'libraryId');
  const library = await libraryLoader(ctx).load(libraryId);
  if (!library) throw notFound('Library');
  return library;
}

export async function requestLibraryPhotoUpload(ctx: TenantContext, libraryId: string, input: FileUploadInput) {
  const scope = await scopeOf(ctx);
  const library = await requireLibrary(ctx, libraryId);
  return requestUpload(scope, { kind: 'LIBRARY_PHOTO', ownerId: library.id, ...input });
}

/** The logo's owner is the tenant itself. */
export async function requestTenantLogoUpload(ctx: TenantContext, input: FileUploadInput) {
  const scope = await scopeOf(ctx);
  return requestUpload(scope, { kind: 'TENANT_LOGO', ownerId: scope.tenantId, ...input });
}

/** Checks the upload; it becomes the current one and the one it replaces is deleted. */
async function confirm(ctx: TenantContext, fileId: string, kind: FileKind) {
  const scope = await scopeOf(ctx);
  const file = await findFile(scope, fileId, [kind]);
  if (kind === 'LIBRARY_PHOTO') await requireLibrary(ctx, file.ownerId);
  const ready = await confirmUpload(scope, fileId, [kind]);
  await removeReplaced(scope, ready);
  return { scope, ready };
}

export async function confirmLibraryPhotoUpload(ctx: TenantContext, fileId: string) {
  const { ready } = await confirm(ctx, fileId, 'LIBRARY_PHOTO');
  return requireLibrary(ctx, ready.ownerId);
}

export async function confirmTenantLogoUpload(ctx: TenantContext, fileId: string) {
  const { scope, ready } = await confirm(ctx, fileId, 'TENANT_LOGO');
  return downloadLink(scope.store, ready);
}

export async function libraryPhoto(ctx: TenantContext, libraryId: string) {
  if (!ctx.services.storage) return null; // reads without storage: no photo
  const scope = await scopeOf(ctx);
  return downloadLink(scope.store, await currentFile(scope.conn, TENANT_FILES, 'LIBRARY_PHOTO', libraryId));
}

/** Only the caller's own tenant has its logo here (a platform list of tenants shows none). */
export async function tenantLogo(ctx: TenantContext, tenantId: string) {
  if (!ctx.services.storage) return null;
  const scope = await scopeOf(ctx);
  if (tenantId !== scope.tenantId) return null;
  return downloadLink(scope.store, await currentFile(scope.conn, TENANT_FILES, 'TENANT_LOGO', tenantId));
}
