/** Lists the objects under a prefix (ListObjectsV2, every page). */
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { EntryFilter } from './filter.js';
import { aborts, retrying, toTransferError } from './retry.js';
import type { S3Location } from './uri.js';

/** An object found by {@link listObjects}. */
export interface RemoteObject {
  /** The full key. */
  readonly key: string;
  /** The key without the listed prefix. */
  readonly relative: string;
  /** Bytes. */
  readonly size: number;
  /** The ETag without quotes (`''` if the server gave none). */
  readonly etag: string;
  /** Last modification, ms since the epoch. */
  readonly lastModifiedMs: number;
}

/**
 * Every object under `location.prefix` that passes `filter` (on the key without the prefix),
 * in key order. "Directory markers" (keys ending in `/` with no content) are left out.
 */
export async function listObjects(client: S3Client, location: S3Location, filter: EntryFilter, retries: number, signal?: AbortSignal): Promise<RemoteObject[]> {
  const objects: RemoteObject[] = [];
  let token: string | undefined;
  do {
    const page = await retrying({ retries, signal }, () =>
      client.send(new ListObjectsV2Command({ Bucket: location.bucket, Prefix: location.prefix === '' ? undefined : location.prefix, ContinuationToken: token }), aborts(signal)),
    ).catch((error: unknown) => {
      throw toTransferError(error, { key: `s3://${location.bucket}/${location.prefix}`, doing: 'listing' }, signal);
    });
    for (const item of page.Contents ?? []) {
      const key = item.Key;
      if (key === undefined) continue;
      const relative = key.slice(location.prefix.length);
      if (key.endsWith('/') && (item.Size ?? 0) === 0) continue;
      if (!filter(relative)) continue;
      objects.push({ key, relative, size: item.Size ?? 0, etag: unquote(item.ETag), lastModifiedMs: item.LastModified?.getTime() ?? 0 });
    }
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return objects;
}

/** An ETag without its quotes. */
export function unquote(etag: string | undefined): string {
  return (etag ?? '').replace(/^"|"$/g, '');
}
