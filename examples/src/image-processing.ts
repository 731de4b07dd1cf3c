/**
 * Resizing images in parallel, then the same job done by the thumbnails recipe.
 *
 * Ports "Concurrent Execution with Python's concurrent.futures Module: A Hilariously Efficient
 * Guide" (seed 001_afc6471b14b11a2b), section "Practical Examples: 2. Image Processing":
 *
 *     from PIL import Image
 *     def process_image(image_path):
 *         try:
 *             img = Image.open(image_path)
 *             img = img.resize((200, 200))
 *             img.save(f"processed_{image_path}")
 *             print(f"Processed {image_path}")
 *             return True
 *         except Exception as e:
 *             print(f"Error processing {image_path}: {e}")
 *             return False
 *
 *     image_paths = ["image1.jpg", "image2.jpg", "image3.jpg", "image4.jpg"]
 *     with concurrent.futures.ProcessPoolExecutor(max_workers=4) as executor:
 *         results = executor.map(process_image, image_paths)
 *         for result in results:
 *             print(f"Image Processing Result: {result}")
 *
 * The images are generated first (four photos and a file that only claims to be a JPEG, so the
 * `except` branch runs too), in a temporary directory. `process_image` runs in worker threads
 * (`ThreadPoolExecutor`: no GIL, so threads are enough for CPU work) with sharp in place of PIL.
 * Then `makeThumbnails` from @futures/thumbnails does the production version of the same job:
 * several sizes, EXIF orientation, atomic writes, a summary with per-file errors.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineTasks } from '@futures/core';
import { makeThumbnails, type ThumbnailSummary } from '@futures/thumbnails';
import { ThreadPoolExecutor } from '@futures/worker-threads';
import sharp from 'sharp';
import { isEntryPoint, secondsSince, type Log } from './lib/support.ts';

const tasks = defineTasks<typeof import('./tasks/images.js')>(new URL('./tasks/images.js', import.meta.url));

export interface ImageProcessingResult {
  /** `Image Processing Result` of each image, in input order (Python's True/False). */
  readonly results: boolean[];
  /** The recipe's summary of the same images. */
  readonly summary: ThumbnailSummary;
}

/** Writes four 1200×800 photos and a text file named image5.jpg into `dir`. */
async function makeImages(dir: string): Promise<string[]> {
  const colours = [[200, 60, 40], [40, 160, 90], [30, 80, 200], [220, 180, 40]] as const;
  const paths: string[] = [];
  for (const [i, [r, g, b]] of colours.entries()) {
    const path = join(dir, `image${i + 1}.jpg`);
    await sharp({ create: { width: 1200, height: 800, channels: 3, background: { r, g, b } } }).jpeg().toFile(path);
    paths.push(path);
  }
  const broken = join(dir, 'image5.jpg');
  await writeFile(broken, 'not really a JPEG');
  return [...paths, broken];
}

export async function main(log: Log = console.log): Promise<ImageProcessingResult> {
  const dir = await mkdtemp(join(tmpdir(), 'futures-images-'));
  try {
    const imagePaths = await makeImages(dir);
    const start = performance.now();
    const results: boolean[] = [];
    {
      await using executor = new ThreadPoolExecutor({ maxWorkers: 4 });
      for await (const { ok, line } of executor.map(tasks.processImage, imagePaths)) {
        log(line);
        log(`Image Processing Result: ${ok ? 'True' : 'False'}`);
        results.push(ok);
      }
    }
    log(`Finished in ${secondsSince(start)} second(s)`);

    // The recipe: two sizes of WebP thumbnails of the same folder, on every core.
    const summary = await makeThumbnails({ input: dir, output: join(dir, 'thumbs'), sizes: ['256x256', '64x64^'], extensions: ['.jpg'] });
    log(`makeThumbnails: ${summary.processed} processed, ${summary.failed} failed, ${summary.outputs} thumbnails (${summary.bytesIn} bytes in, ${summary.bytesOut} out)`);
    for (const { input, error } of summary.failures) log(`  ${input.slice(dir.length + 1)}: ${error.code}`);
    return { results, summary };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (isEntryPoint(import.meta.url)) await main();
