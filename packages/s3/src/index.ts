/**
 * @futures/s3: bulk S3 transfers on `@aws-sdk/client-s3` over any @futures executor: upload a
 * tree, download a prefix, copy, sync and delete thousands of objects at once; multipart and
 * ranged, every byte checked, retried, resumable by `sync`.
 *
 * @packageDocumentation
 */
export {
  copy,
  copyObject,
  deleteObject,
  download,
  downloadFile,
  headObject,
  remove,
  sync,
  upload,
  uploadFile,
  type FileTransferOptions,
  type ObjectCopyOptions,
  type ObjectDeleteOptions,
  type ObjectOptions,
} from './api.js';
export { createS3Client, type S3ConnectionOptions } from './client.js';
export { isS3TransferError, S3TransferError, type S3ErrorCode } from './errors.js';
export { multipartEtag, type ObjectInfo, type ObjectTransfer } from './objects.js';
export {
  DEFAULTS,
  MAX_PARTS,
  MIN_PART_SIZE,
  type CompareMode,
  type FilterOptions,
  type PartOptions,
  type ObjectOutcome,
  type PlannedAction,
  type SkippedEntry,
  type SyncOptions,
  type TransferFailure,
  type TransferOptions,
  type TransferProgress,
  type TransferSummary,
} from './options.js';
export { unsafeKeyReason } from './paths.js';
export { formatS3Uri, isS3Uri, parseS3Uri, type S3Location } from './uri.js';
