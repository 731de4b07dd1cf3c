/**
 * One planned transfer as plain data, so that it can run anywhere an executor runs tasks (the
 * event loop, a worker thread, a child process), and the function that runs it.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { serverCopy, getFile, putFile, type ObjectSettings, type ObjectTransfer } from './objects.js';

/** A planned object transfer. */
export type ObjectAction =
  | { readonly kind: 'upload'; readonly path: string; readonly bucket: string; readonly key: string; readonly size: number }
  | { readonly kind: 'download'; readonly bucket: string; readonly key: string; readonly path: string; readonly size: number; readonly etag: string; readonly realRoot: string }
  | {
      readonly kind: 'copy';
      readonly from: { readonly bucket: string; readonly key: string; readonly size: number; readonly etag: string };
      readonly to: { readonly bucket: string; readonly key: string };
    };

/** Runs one action with `client`. */
export function runAction(client: S3Client, settings: ObjectSettings, action: ObjectAction): Promise<ObjectTransfer> {
  switch (action.kind) {
    case 'upload':
      return putFile(client, settings, action);
    case 'download':
      return getFile(client, settings, action);
    case 'copy':
      return serverCopy(client, settings, action);
  }
}

/** The key an action is about, for failures: the destination's for uploads, the source's otherwise. */
export function actionKey(action: ObjectAction): string {
  return action.kind === 'copy' ? action.from.key : action.key;
}
