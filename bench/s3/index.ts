/**
 * `s3.small` and `s3.big`: upload then download 2,000 small files (4–64 KiB) and 4 files of
 * 256 MiB against a real S3 server (Ceph radosgw on 127.0.0.1, started here if needed) with
 * @futures/s3, a sequential SDK loop, `Promise.all` over the SDK, lib-storage (upload only) and
 * rclone (defaults and tuned), in the same run; objects/s, MiB/s, ratios, and the CPU time of
 * the client and of the server.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, DeleteBucketCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { remove } from '@futures/s3';
import { processCpuSeconds } from '../lib/cpu.js';
import { formatDuration, formatRatio } from '../lib/format.js';
import { formatLoad } from '../lib/machine.js';
import type { BenchContext, Scenario } from '../lib/scenario.js';
import { median } from '../lib/stats.js';
import { printTable } from '../lib/table.js';
import { casesFor, rcloneAvailable, socketWarnings, type CaseContext, type S3Case } from './cases.js';
import { collectGarbage, connection, ensureServer, external, serverCpuSeconds, stopServer } from './server.js';
import { MiB, bigFiles, checkComplete, listDirectory, listPrefix, sampleOf, smallFiles, type Workload } from './workload.js';

/** One timed direction of one run. */
interface Sample {
  readonly seconds: number;
  /** CPU seconds of this process and the children it waited for (rclone). */
  readonly clientCpu: number;
  /** CPU seconds of radosgw + ceph-osd; NaN when unknown. */
  readonly serverCpu: number;
}

interface Measured {
  readonly item: S3Case;
  /** What this case moves in a timed run: the workload, or its sample for cases with `sample`. */
  readonly workload: Workload;
  /** What it moves in the warm-up run. */
  readonly warmup: Workload;
  readonly upload: Sample[];
  readonly download: Sample[];
}

/** A run of a case that takes longer than this stops the bench (BENCH_CHILD_TIMEOUT_MS, as for the child-process benches). */
const TIMEOUT_MS = Number(process.env.BENCH_CHILD_TIMEOUT_MS ?? 5 * 60_000);

const clientCpu = (): number => processCpuSeconds('self', true) ?? Number.NaN;
const serverCpu = (): number => serverCpuSeconds() ?? Number.NaN;

/** Times `work` (with a full GC first), failing after {@link TIMEOUT_MS}. */
async function timed(what: string, work: () => Promise<void>): Promise<Sample> {
  globalThis.gc?.();
  const cpu = clientCpu();
  const server = serverCpu();
  const start = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      work(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} took more than ${formatDuration(TIMEOUT_MS)} (BENCH_CHILD_TIMEOUT_MS)`)), TIMEOUT_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
  const seconds = (performance.now() - start) / 1000;
  return { seconds, clientCpu: clientCpu() - cpu, serverCpu: serverCpu() - server };
}

/** Keys under the prefix, relative to it, with their sizes. */
async function uploaded(admin: S3Client, context: CaseContext): Promise<Map<string, number>> {
  const objects = await listPrefix(admin, context.bucket, context.prefix);
  return new Map([...objects].map(([key, size]) => [key.slice(context.prefix.length), size]));
}

/** Removes every object under the prefix (and has radosgw free their data now, for big objects). */
async function empty(context: CaseContext): Promise<void> {
  const summary = await remove(`s3://${context.bucket}/${context.prefix}`, connection);
  if (summary.failed > 0) throw new Error(`emptying s3://${context.bucket}/${context.prefix}: ${summary.failed} deletes failed (${summary.failures[0]?.message ?? ''})`);
  if (context.workload.files.some((file) => file.size > 4 * MiB)) await collectGarbage();
}

/** One run of a case: upload (timed), check the listing, download (timed), check the files, clean up. */
async function runCase(admin: S3Client, item: S3Case, context: CaseContext, measured: Measured | undefined): Promise<void> {
  let failure: { readonly error: unknown } | undefined;
  try {
    const up = await timed(`${item.name}: upload`, () => item.upload(context));
    checkComplete(context.workload, await uploaded(admin, context), `${item.name}: upload, objects listed under s3://${context.bucket}/${context.prefix}`);
    measured?.upload.push(up);
    if (item.download !== undefined) {
      const download = item.download;
      await mkdir(context.out, { recursive: true });
      const down = await timed(`${item.name}: download`, () => download(context));
      checkComplete(context.workload, await listDirectory(context.out), `${item.name}: download, files found in ${context.out}`);
      measured?.download.push(down);
    }
  } catch (error) {
    failure = { error };
  }
  await rm(context.out, { recursive: true, force: true });
  try {
    await empty(context);
  } catch (error) {
    failure ??= { error }; // a failed run's own error is the one to report
  }
  if (failure !== undefined) throw failure.error;
}

const slug = (name: string): string =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);

/** `--case=A|B`: only the cases whose name contains A or B (case-insensitive). */
function caseMatches(name: string, filter: string | undefined): boolean {
  if (filter === undefined || filter === '') return true;
  return filter
    .toLowerCase()
    .split('|')
    .some((part) => name.toLowerCase().includes(part));
}

const rate = (value: number): string => (value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1));
const cpu = (values: readonly number[]): string => (values.some(Number.isNaN) || values.length === 0 ? 'n/a' : median(values).toFixed(2));

/** The table of one direction. */
function printDirection(workload: Workload, measured: readonly Measured[], direction: 'upload' | 'download', runs: number): void {
  const mib = workload.bytes / MiB;
  const secondsOf = (m: Measured): number[] => m[direction].map((s) => s.seconds);
  /** Runs per second (of this row's own workload or sample). */
  const runRate = (m: Measured): number | undefined => (m[direction].length === 0 ? undefined : 1 / median(secondsOf(m)));
  /** Bytes per second, to compare rows that moved samples of different sizes. */
  const rateOf = (m: Measured): number | undefined => {
    const r = runRate(m);
    return r === undefined ? undefined : r * m.workload.bytes;
  };
  const ourRow = measured.find((m) => m.item.role === 'ours');
  const rclones = measured.filter((m) => m.item.role === 'rclone');
  const ourRate = ourRow === undefined ? undefined : rateOf(ourRow);
  const versus = (m: Measured, base: Measured | undefined): string => {
    const a = rateOf(m);
    const b = base === undefined ? undefined : rateOf(base);
    if (a === undefined || b === undefined) return '–';
    return m === base ? '1.00× (base)' : formatRatio(a / b);
  };
  const rows = measured.map((m) => {
    const r = rateOf(m);
    const perRun = runRate(m);
    if (r === undefined || perRun === undefined) return [m.item.name, direction === 'download' && m.item.download === undefined ? 'no download' : '–', '–', '–', '–', '–', '–', '–', '–', '–'];
    const seconds = secondsOf(m);
    const ownMib = m.workload.bytes / MiB;
    return [
      m.item.name,
      median(seconds).toFixed(2),
      rate(m.workload.files.length * perRun),
      rate(r / MiB),
      `${rate(ownMib / Math.max(...seconds))} – ${rate(ownMib / Math.min(...seconds))}`,
      ...rclones.slice(0, 2).map((base) => versus(m, base)),
      ...Array.from({ length: 2 - Math.min(2, rclones.length) }, () => '–'),
      ourRate === undefined || m === ourRow ? (m === ourRow ? '1.00×' : '–') : formatRatio(ourRate / r),
      cpu(m[direction].map((s) => s.clientCpu)),
      cpu(m[direction].map((s) => s.serverCpu)),
    ];
  });
  const uploadOnly = measured.filter((m) => m.item.download === undefined).map((m) => m.item.name.split(':')[0]);
  printTable({
    title: `(s3.${workload.id}) ${direction}: ${workload.title} (${rate(mib)} MiB); median of ${runs} run${runs === 1 ? '' : 's'} after a warm-up run on an eighth of the bytes`,
    columns: [
      { header: 'case' },
      { header: 's/run', align: 'right' },
      { header: 'objects/s', align: 'right' },
      { header: 'MiB/s', align: 'right' },
      { header: 'MiB/s min – max', align: 'right' },
      { header: 'vs rclone', align: 'right' },
      { header: 'vs rclone tuned', align: 'right' },
      { header: 'ours ÷ row', align: 'right' },
      { header: 'client CPU s', align: 'right' },
      { header: 'server CPU s', align: 'right' },
    ],
    rows,
    notes: [
      '"vs rclone" / "vs rclone tuned": the row\'s rate over that rclone row\'s (above 1.00× is faster); "ours ÷ row": @futures/s3 with its defaults over the row.',
      ...measured
        .filter((m) => m.workload !== workload)
        .map((m) => `${m.item.name}: every ${m.item.sample ?? 1}th file only (${m.workload.files.length} files, ${rate(m.workload.bytes / MiB)} MiB; s/run is for those); its rates and ratios are per object and byte moved.`),
      ...measured.flatMap((m) => (m.item.note === undefined ? [] : [m.item.note])),
      'client CPU: this process plus the rclone child (user + system); server CPU: radosgw + ceph-osd. Both in CPU seconds per run, on 2 cores shared by client and server.',
      ...(uploadOnly.length > 0 && direction === 'download' ? [`${uploadOnly.join(', ')}: upload only (it has no download).`] : []),
    ],
  });
}

/** True when the bucket is gone or the server does not answer: something else restarted or stopped the server. */
async function serverLost(admin: S3Client, bucket: string): Promise<boolean> {
  try {
    await admin.send(new HeadBucketCommand({ Bucket: bucket }));
    return false;
  } catch {
    return true;
  }
}

async function runWorkload(context: BenchContext, id: Workload['id']): Promise<void> {
  const quick = context.args.quick;
  const runs = context.args.runs ?? (quick ? 1 : 3);
  let started = (await ensureServer()).started;
  const root = await mkdtemp(join(tmpdir(), 'futures-bench-s3-'));
  const admin = new S3Client({ ...connection, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
  const bucket = `futures-bench-s3-${randomBytes(4).toString('hex')}`;
  const restarts: string[] = [];
  socketWarnings.clear();
  try {
    const bigSize = (quick ? 32 : 256) * MiB;
    const workload = id === 'small' ? await smallFiles(root, context.args.tasks ?? (quick ? 200 : 2000)) : await bigFiles(root, 4, bigSize);
    // The warm-up round moves an eighth of the bytes: every 8th small file, or 4 files of 32 MiB.
    const warmup = id === 'small' ? await sampleOf(workload, 8, root, 'warmup') : await bigFiles(root, 4, bigSize / 8, 'warmup');
    const samples = new Map<string, Workload>();
    const sample = async (of: Workload, every: number | undefined, name: string): Promise<Workload> => {
      if (every === undefined || every === 1) return of;
      const key = `${name}-${every}`;
      let made = samples.get(key);
      if (made === undefined) samples.set(key, (made = await sampleOf(of, every, root, key)));
      return made;
    };
    await admin.send(new CreateBucketCommand({ Bucket: bucket }));
    const withRclone = await rcloneAvailable();
    const cases = casesFor(id, workload.files.length).filter((item) => caseMatches(item.name, context.args.caseFilter) && (withRclone || item.role !== 'rclone'));
    if (cases.length === 0) throw new Error(`--case=${context.args.caseFilter ?? ''} matches no case of s3.${id}`);
    const measured: Measured[] = [];
    for (const item of cases) measured.push({ item, workload: await sample(workload, item.sample, 'sample'), warmup: await sample(warmup, item.sample, 'warmup-sample'), upload: [], download: [] });
    // Round 0 is the warm-up; the order rotates every round so drift on the machine spreads over every case.
    for (let round = 0; round <= runs; round++) {
      for (let k = 0; k < measured.length; k++) {
        const entry = measured[(k + round) % measured.length] as Measured;
        const moved = round === 0 ? entry.warmup : entry.workload;
        for (let attempt = 1; ; attempt++) {
          const prefix = `${slug(entry.item.name)}-r${round}${attempt > 1 ? `-a${attempt}` : ''}/`;
          try {
            await runCase(admin, entry.item, { workload: moved, bucket, prefix, out: join(root, 'out', prefix) }, round === 0 ? undefined : entry);
            break;
          } catch (error) {
            // The shared server can be restarted under us (scripts/s3-server.sh start, run by
            // something else, restarts a server that answered too slowly): start it again if
            // needed and repeat the run, twice at most; any other failure stops the bench.
            if (attempt >= 3 || !(await serverLost(admin, bucket))) throw error;
            restarts.push(`${entry.item.name} (round ${round})`);
            console.log(`(s3.${id}: the S3 server lost bucket ${bucket} during "${entry.item.name}" (restarted by another process?); repeating that run)`);
            started = (await ensureServer()).started || started;
            await admin.send(new CreateBucketCommand({ Bucket: bucket })).catch(() => undefined);
          }
        }
      }
    }
    printDirection(workload, measured, 'upload', runs);
    printDirection(workload, measured, 'download', runs);
    const notes = [
      `Server: ${external ? connection.endpoint : `Ceph radosgw on memstore at ${connection.endpoint} (scripts/s3-server.sh)`}; every run uploads to a fresh prefix, and the prefix is emptied after it.`,
      'Each upload is checked by listing the prefix, each download by walking the directory: every name, the count and the total bytes must match.',
      ...[...socketWarnings].filter(([name]) => cases.some((item) => item.name === name)).map(([name, enqueued]) => `${name}: the SDK warned "socket usage at capacity=50", up to ${enqueued.toLocaleString('en-US')} requests waiting for a socket.`),
    ];
    if (!withRclone) notes.push('rclone is not installed: its rows are left out (scripts/s3-server.sh install installs it).');
    if (restarts.length > 0) notes.push(`Runs repeated because the server lost the bucket (restarted by another process): ${restarts.join(', ')}.`);
    notes.push(`At the end: ${formatLoad()} (other load on the machine slows client and server alike).`);
    console.log(`${notes.join('\n')}\n`);
  } finally {
    try {
      if (!(await serverLost(admin, bucket))) {
        await remove(`s3://${bucket}/`, connection);
        await admin.send(new DeleteBucketCommand({ Bucket: bucket }));
        await collectGarbage();
      }
    } finally {
      admin.destroy();
      await rm(root, { recursive: true, force: true });
      if (started) await stopServer();
    }
  }
}

export const s3Scenarios: readonly Scenario[] = [
  { id: 's3.small', title: '2,000 files of 4–64 KiB up and down a real S3 server: @futures/s3 vs SDK loops, lib-storage, rclone', run: (context) => runWorkload(context, 'small') },
  { id: 's3.big', title: '4 files of 256 MiB up and down a real S3 server: @futures/s3 vs SDK loops, lib-storage, rclone', run: (context) => runWorkload(context, 'big') },
];
