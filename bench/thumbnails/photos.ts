/**
 * The bench's input: photo-sized JPEGs (3000×2000, quality 85, about 1 MB each), generated once
 * and cached in the system temp directory, so re-runs do not regenerate them. Each has its own
 * smooth random structure (noise scaled up), which costs a decoder what a photo does.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';

export const PHOTO_WIDTH = 3000;
export const PHOTO_HEIGHT = 2000;

/** The cache directory holding `count` photos (created on first use); resolves to their paths. */
export async function cachedPhotos(count: number): Promise<{ dir: string; files: string[] }> {
  const dir = join(tmpdir(), 'futures-bench-cache', `photos-${PHOTO_WIDTH}x${PHOTO_HEIGHT}-q85`);
  await mkdir(dir, { recursive: true });
  const files = Array.from({ length: count }, (_, i) => join(dir, `photo-${String(i).padStart(4, '0')}.jpg`));
  const missing = files.filter((file) => !existsSync(file));
  if (missing.length > 0) process.stdout.write(`generating ${missing.length} photos of ${PHOTO_WIDTH}×${PHOTO_HEIGHT} in ${dir} (cached for next time)...\n`);
  for (const file of missing) {
    const small = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 60 } } })
      .png()
      .toBuffer();
    await sharp(small).resize(PHOTO_WIDTH, PHOTO_HEIGHT, { kernel: 'cubic' }).jpeg({ quality: 85 }).toFile(`${file}.tmp`);
    await rename(`${file}.tmp`, file);
  }
  const present = new Set(await readdir(dir));
  return { dir, files: files.filter((file) => present.has(file.slice(dir.length + 1))) };
}
