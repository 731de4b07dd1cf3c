/**
 * The command table of `futures`. A new recipe adds one line here and one module in `commands/`.
 */
import type { CommandEntry } from './command.js';

export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  thumbnails: { summary: 'make thumbnails of a folder of images on every core (sharp)', load: () => import('./commands/thumbnails.js') },
  scrape: { summary: 'crawl a site or fetch a list of URLs, politely and fast (undici), to JSON lines', load: () => import('./commands/scrape.js') },
  s3: { summary: 'upload, download, copy, sync and delete S3 objects in bulk, like aws s3', load: () => import('./commands/s3.js') },
  worker: { summary: 'run the tasks of a DistributedExecutor queue (BullMQ on Redis) here, until Ctrl-C', load: () => import('./commands/worker.js') },
};
