// The process `startS3Server` (s3-server.ts) forks: s3rver on 127.0.0.1, a free port, storing
// into the directory given as argv[2], with the buckets named in argv[3] (comma-separated)
// created before it listens. It reports `{ port }` (or `{ error }`) over the IPC channel. When
// that channel closes (the parent disconnects, or dies) it removes the directory and exits.
//
// It runs with --openssl-legacy-provider (given by s3-server.ts): s3rver encrypts the
// ListObjectsV2 continuation token with single DES (`createCipheriv('des', ...)`), a cipher
// that OpenSSL 3 keeps in its legacy provider. Plain JavaScript, so that it starts without tsx.
/* global process */
import { rmSync } from 'node:fs';
import S3rver from 's3rver';

const [directory, bucketList = ''] = process.argv.slice(2);
const buckets = bucketList === '' ? [] : bucketList.split(',');

process.once('disconnect', () => {
  if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
  process.exit(0);
});

try {
  if (directory === undefined) throw new Error('usage: s3-server-process.mjs DIRECTORY [BUCKET,...]');
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const { port } = await server.run();
  if (process.connected) process.send({ port });
} catch (error) {
  if (process.connected) process.send({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) }, () => process.exit(1));
  else process.exit(1);
}
