/**
 * `futures s3 upload|download|cp|sync|rm ...`: @futures/s3 from the shell, with the flags of
 * `aws s3` and rclone (`--recursive`, `--delete`, `--size-only`, `--checksum`, `--dryrun`,
 * `--include`/`--exclude`, `--endpoint-url`).
 */
import { isS3TransferError, type TransferSummary } from '@futures/s3';
import { EXIT, UsageError, parseCommandArgs, type CommandIO } from '../command.js';
import { FLAGS, SUBCOMMANDS, checkFlagsFor, connectionOptions, transferOptions, type Subcommand } from './s3/args.js';
import { resolveJob, runJob, type Job } from './s3/jobs.js';
import { LINES_PER_OBJECT_UP_TO, createS3Display, describeAction, humanSummary, jsonSummary, objectDescriber } from './s3/report.js';

const HELP = `Usage: futures s3 upload <dir> <s3://bucket/prefix> [options]
       futures s3 download <s3://bucket/prefix> <dir> [options]
       futures s3 cp <source> <destination> [options]
       futures s3 sync <source> <destination> [options]
       futures s3 rm <s3://bucket/key> [options]

Bulk S3 transfers with @futures/s3: thousands of objects at once, large ones multipart (ranged
downloads), every byte checked against its MD5 or ETag, failed requests retried. A failed object
is listed and the others go on. Flags follow aws s3 and rclone.

Commands:
  upload <dir> <s3://b/p>      every file under <dir> to the key p/<path under dir>
                                 (a single file goes to p/<its name>)
  download <s3://b/p> <dir>    every object under p/ to <dir>/<key without p/>; keys that would
                                 land outside <dir> (p/../x, /x) are refused and listed as failed
  cp <source> <destination>    as aws s3 cp: one file or object, or with -r a tree or prefix;
                                 local to S3 uploads, S3 to local downloads, S3 to S3 copies on
                                 the server (cp s3://b/a/k s3://c/d/ keeps the name k, a key
                                 without the trailing / renames it)
  sync <source> <destination>  transfer only what differs (new or changed), either direction or
                                 S3 to S3; with --delete, remove what the source lacks
  rm <s3://b/key>              delete that one object; a prefix (ending in /, a whole bucket, or
                                 a name with objects under name/) is deleted only with -r

Options:
  -r, --recursive              cp: trees and prefixes instead of one file or object;
                                 rm: every object under the prefix (required for a prefix);
                                 upload, download and sync always are (accepted, no effect)
Sync:
      --delete                 also delete what the source lacks (excluded entries are kept)
      --compare <mode>         how an entry is found unchanged:                     [size-mtime]
                                 size-mtime  same size and the destination not older
                                 size        same size
                                 checksum    same size and MD5 (multipart ETags too)
      --size-only              the same as --compare size (aws, rclone)
  -c, --checksum               the same as --compare checksum (rclone)
Filter (globs on the path under the source directory or prefix; repeatable):
      --include <glob>         only what matches ("**/*.jpg", "docs/**")
      --exclude <glob>         never what matches; wins over --include, whatever the order
      --follow-symlinks        upload: follow every symbolic link
      --no-follow-symlinks     upload: skip every symbolic link
                                 [default: follow the links whose target is inside <dir>;
                                  skip, and list, the others]
Transfer:
  -j, --concurrency <n>        objects in flight at once                                 [16]
      --part-size <size>       bytes per part or download range, at least 5 MiB          [8M]
      --multipart-threshold <size>
                               multipart upload, ranged download from this size on       [16M]
      --part-concurrency <n>   parts of one object in flight at once                      [4]
      --retries <n>            retries of a request beyond the SDK's own                  [3]
  -n, --dry-run, --dryrun      print what would be done, "(dryrun) upload: a.txt to s3://b/a.txt",
                                 and change nothing
  Sizes are bytes or 1024-based with a unit: 8M = 8MB = 8MiB = 8388608 (as aws and rclone).
Connection:
      --endpoint-url <url>     an S3-compatible server: MinIO, Ceph, R2...
                                 [$AWS_ENDPOINT_URL_S3, $AWS_ENDPOINT_URL, else AWS]
      --region <region>        [$AWS_REGION, $AWS_DEFAULT_REGION, else us-east-1]
  Credentials: $AWS_ACCESS_KEY_ID and $AWS_SECRET_ACCESS_KEY (and $AWS_SESSION_TOKEN), else the
  SDK's chain ($AWS_PROFILE, ~/.aws/credentials, instance and container roles).
Output:
      --json                   print the summary as JSON on stdout (every failure, skipped
                                 entry and, in a dry run, planned action)
  -q, --quiet                  no progress (failures are still printed); --only-show-errors too
  -h, --help                   this text

Progress goes to stderr: a status line (objects, MiB, objects/s, MiB/s, failures, ETA) on a
terminal, one line per object otherwise (a line per 1 % beyond ${LINES_PER_OBJECT_UP_TO} objects), failures always.
Ctrl-C stops cleanly: requests in flight are aborted, multipart uploads aborted, partial files
removed; sync again to finish.

Exit status: 0 all done, 1 some objects failed (or the run could not start: no such bucket,
access denied), 2 bad usage, 130 interrupted.

Examples:
  futures s3 upload ./site s3://my-bucket/www/ --exclude "**/*.map" -j 32
  futures s3 sync ./build s3://my-bucket/www/ --delete --dryrun
  futures s3 sync s3://my-bucket/photos/ ./photos --include "**/*.jpg" --size-only
  futures s3 cp report.pdf s3://my-bucket/docs/
  futures s3 cp s3://my-bucket/docs/report.pdf .
  futures s3 cp -r s3://old-bucket/data/ s3://new-bucket/archive/data/
  futures s3 rm -r s3://my-bucket/tmp/ --json
  AWS_ENDPOINT_URL=http://127.0.0.1:9000 futures s3 download s3://logs/2024/ logs --part-size 64M
`;

/** Runs `futures s3 <subcommand> ...`; resolves to the exit code. */
export async function run(argv: readonly string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    io.stdout.write(HELP);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (!(SUBCOMMANDS as readonly string[]).includes(name)) throw new UsageError(`unknown subcommand ${JSON.stringify(name)}; expected ${SUBCOMMANDS.join(', ')}`);
  const subcommand = name as Subcommand;
  const { values, positionals } = parseCommandArgs(rest, FLAGS);
  if (values.help === true) {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  checkFlagsFor(subcommand, values);
  const options = { ...connectionOptions(values, io.env), ...transferOptions(values) };
  const job = await resolveJob(subcommand, positionals, values);
  const json = values.json === true;
  const display = createS3Display(io, values.quiet === true || values['only-show-errors'] === true || json, objectDescriber(job.src, job.dst));

  const controller = new AbortController();
  let interrupted = false;
  const unsubscribe = io.onInterrupt(() => {
    interrupted = true;
    display.message('interrupted: stopping (requests in flight are aborted; sync again to finish)');
    controller.abort(new Error('interrupted'));
  });
  let summary: TransferSummary;
  try {
    if (job.kind === 'bulk') display.begin(`${job.operation}: listing ${job.source}${job.operation === 'remove' ? '' : ` and ${job.destination}`}...`);
    summary = await runJob(job, { options, signal: controller.signal, onProgress: (progress) => display.progress(progress), note: (text) => display.message(text) });
  } catch (error) {
    display.stop();
    if (!isS3TransferError(error)) throw error;
    if (interrupted) summary = emptySummary(job, true);
    else {
      // The run could not start or go on (no such bucket, access denied, the listing failed).
      if (error.code === 'ERR_S3_BAD_URI') throw new UsageError(error.message);
      io.stderr.write(`futures s3 ${subcommand}: ${error.message} [${error.code}]\n`);
      if (json) io.stdout.write(`${JSON.stringify({ command: subcommand, error: { code: error.code, message: error.message } }, null, 2)}\n`);
      return EXIT.someFailed;
    }
  } finally {
    display.stop();
    unsubscribe();
  }
  if (json) io.stdout.write(`${JSON.stringify(jsonSummary(subcommand, summary), null, 2)}\n`);
  else {
    if (summary.dryRun) for (const action of summary.actions) io.stdout.write(`${describeAction(action)}\n`);
    io.stdout.write(`${humanSummary(summary)}\n`);
  }
  if (interrupted || summary.interrupted) return EXIT.interrupted;
  return summary.failed > 0 ? EXIT.someFailed : EXIT.ok;
}

/** What a job does, from where to where, as a summary names it. */
function describeJob(job: Job): { operation: TransferSummary['operation']; source: string; destination: string } {
  switch (job.kind) {
    case 'bulk':
      return job;
    case 'put':
      return { operation: 'upload', source: job.file, destination: `s3://${job.bucket}/${job.key}` };
    case 'get':
      return { operation: 'download', source: `s3://${job.bucket}/${job.key}`, destination: job.file };
    case 'copy':
      return { operation: 'copy', source: `s3://${job.sourceBucket}/${job.sourceKey}`, destination: `s3://${job.bucket}/${job.key}` };
    case 'delete':
      return { operation: 'remove', source: `s3://${job.bucket}/${job.key}`, destination: `s3://${job.bucket}/${job.key}` };
  }
}

/** The summary of a run stopped before it had one (Ctrl-C while listing). */
function emptySummary(job: Job, interrupted: boolean): TransferSummary {
  const { operation, source, destination } = describeJob(job);
  return {
    operation,
    source,
    destination,
    dryRun: false,
    interrupted,
    planned: 0,
    transferred: 0,
    unchanged: 0,
    deleted: 0,
    failed: 0,
    bytes: 0,
    durationMs: 0,
    objectsPerSecond: 0,
    bytesPerSecond: 0,
    failures: [],
    skipped: [],
    actions: [],
  };
}
