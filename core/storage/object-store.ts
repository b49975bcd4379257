import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { StorageConfig } from './config';

export interface StoredObject {
  key: string;
  size: number;
  contentType: string;
}

/** The S3 operations the file services use; one per service, built by useObjectStore. */
export interface ObjectStore {
  readonly bucket: string;
  /** A PUT URL that accepts exactly this key, content type and length (all three signed). */
  presignPut(key: string, contentType: string, size: number, expiresInSeconds: number): Promise<string>;
  /** A GET URL; `disposition` becomes the response's Content-Disposition. */
  presignGet(key: string, disposition: string, expiresInSeconds: number): Promise<string>;
  /** Size and type of an object, or null when there is none. */
  head(key: string): Promise<Omit<StoredObject, 'key'> | null>;
  remove(key: string): Promise<void>;
  /** Every object under a prefix (paged through ListObjectsV2). */
  list(prefix: string): Promise<StoredObject[]>;
  read(key: string): Promise<Buffer>;
  write(key: string, body: Buffer, contentType: string): Promise<void>;
  close(): void;
}

/**
 * An S3 client for one bucket. Path-style addressing (S3-compatible servers rarely serve
 * virtual hosts) and checksums only where the API requires them: the SDK's default CRC32
 * on a presigned PUT would make the server expect a checksum a browser never sends (BadDigest).
 * The bucket is created on first use when it does not exist (development, CI); in production
 * it is the customer's own and already exists.
 */
export function useObjectStore(config: StorageConfig): ObjectStore {
  const client = (endpoint: string | undefined) =>
    new S3Client({
      endpoint,
      region: config.region,
      credentials: config.credentials,
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  const s3 = client(config.endpoint);
  // Signing is local: the public client only names the host browsers use (it is part of the signature).
  const signer = config.publicEndpoint && config.publicEndpoint !== config.endpoint ? client(config.publicEndpoint) : s3;
  const Bucket = config.bucket;
  let ready: Promise<void> | undefined;
  const bucket = () =>
    (ready ??= ensureBucket(s3, Bucket).catch((err: unknown) => {
      ready = undefined; // try again next time (the server may still be starting)
      throw err;
    }));

  return {
    bucket: Bucket,
    async presignPut(key, contentType, size, expiresIn) {
      await bucket();
      const cmd = new PutObjectCommand({ Bucket, Key: key, ContentType: contentType, ContentLength: size });
      return getSignedUrl(signer, cmd, { expiresIn, signableHeaders: new Set(['content-type', 'content-length']) });
    },
    async presignGet(key, disposition, expiresIn) {
      return getSignedUrl(signer, new GetObjectCommand({ Bucket, Key: key, ResponseContentDisposition: disposition }), { expiresIn });
    },
    async head(key) {
      await bucket();
      try {
        const r = await s3.send(new HeadObjectCommand({ Bucket, Key: key }));
        return { size: r.ContentLength ?? 0, contentType: r.ContentType ?? '' };
      } catch (err) {
        if (isNotFound(err)) return null;
        throw err;
      }
    },
    async remove(key) {
      await s3.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },
    async list(prefix) {
      await bucket();
      const out: StoredObject[] = [];
      let token: string | undefined;
      do {
        const page = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: prefix, ContinuationToken: token }));
        for (const o of page.Contents ?? []) if (o.Key) out.push({ key: o.Key, size: o.Size ?? 0, contentType: '' });
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return out;
    },
    async read(key) {
      const r = await s3.send(new GetObjectCommand({ Bucket, Key: key }));
      return Buffer.from(await r.Body!.transformToByteArray());
    },
    async write(key, body, contentType) {
      await bucket();
      await s3.send(new PutObjectCommand({ Bucket, Key: key, Body: body, ContentType: contentType }));
    },
    close: () => {
      s3.destroy();
      if (signer !== s3) signer.destroy();
    },
  };
}

async function ensureBucket(s3: S3Client, Bucket: string): Promise<void> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket }));
  } catch (err) {
    if (!isNotFound(err)) throw err;
    await s3.send(new CreateBucketCommand({ Bucket })).catch((e: unknown) => {
      // Another instance created it first.
      if (!(e instanceof S3ServiceException && /BucketAlready/.test(e.name))) throw e;
    });
  }
}

const isNotFound = (err: unknown) =>
  err instanceof S3ServiceException && (err.$metadata.httpStatusCode === 404 || err.name === 'NotFound' || err.name === 'NoSuchKey');
