/**
 * What may be uploaded, per kind of file: accepted content types and the largest size.
 * Both are signed into the upload URL (the storage server refuses anything else) and
 * checked again when the upload is confirmed. A domain adding a kind (e.g. ticket
 * attachments) adds an entry here; docs/flows/files.md lists them.
 */
export interface FileKindSpec {
  /** Path segment of the object key: tenants/<tenantId>/<segment>/<ownerId>/<uuid>. */
  segment: string;
  contentTypes: readonly string[];
  maxBytes: number;
  /** How a download opens: inline (images shown in the page) or attachment (saved). */
  disposition: 'inline' | 'attachment';
}

const MB = 1024 * 1024;
const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;

export const FILE_KINDS = {
  STUDENT_PHOTO: { segment: 'student-photo', contentTypes: PHOTO_TYPES, maxBytes: 5 * MB, disposition: 'inline' },
  // Scans of identity documents: images or PDF, saved rather than shown (no SVG: it can carry script).
  ID_PROOF_SCAN: { segment: 'id-proof-scan', contentTypes: [...PHOTO_TYPES, 'image/heic', 'application/pdf'], maxBytes: 10 * MB, disposition: 'attachment' },
  LIBRARY_PHOTO: { segment: 'library-photo', contentTypes: PHOTO_TYPES, maxBytes: 5 * MB, disposition: 'inline' },
  TENANT_LOGO: { segment: 'tenant-logo', contentTypes: ['image/png', 'image/svg+xml', 'image/webp'], maxBytes: 1 * MB, disposition: 'inline' },
} as const satisfies Record<string, FileKindSpec>;

export type FileKind = keyof typeof FILE_KINDS;

/** Every object of one owner of one kind lives under this prefix (tenant first: no key is shared across tenants). */
export const ownerPrefix = (tenantId: string, kind: FileKind, ownerId: string) => `${tenantPrefix(tenantId)}${FILE_KINDS[kind].segment}/${ownerId}/`;

/** Every object of a tenant (export, deletion) lives under this prefix. */
export const tenantPrefix = (tenantId: string) => `tenants/${tenantId}/`;
