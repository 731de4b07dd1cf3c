/**
 * The task of `image-processing.ts`, run in worker threads: the tutorial's `process_image`,
 * with sharp in place of PIL.
 */
import { basename, dirname, join } from 'node:path';
import sharp from 'sharp';

/**
 * Python's `process_image(image_path)`: resizes the image to 200×200 (PIL's `resize` ignores
 * the aspect ratio, so `fit: 'fill'`), saves it as `processed_<name>` beside it, prints, and
 * returns whether it worked. Returns the printed line too, since a thread's output is the main
 * thread's to print.
 */
export async function processImage(imagePath: string): Promise<{ ok: boolean; line: string }> {
  try {
    await sharp(imagePath).resize(200, 200, { fit: 'fill' }).toFile(join(dirname(imagePath), `processed_${basename(imagePath)}`));
    return { ok: true, line: `Processed ${basename(imagePath)}` };
  } catch (error) {
    return { ok: false, line: `Error processing ${basename(imagePath)}: ${(error as Error).message}` };
  }
}
