/**
 * Real images for the tests, generated with sharp: photos in every input format, one with a
 * rotated EXIF orientation, a pixel bomb, a truncated JPEG, a text file named .jpg.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { deflateSync } from 'node:zlib';
import sharp, { type Sharp } from 'sharp';

/** A width × height picture with a gradient and a bright square in its top-left corner (so rotation shows). */
export function picture(width: number, height: number): Sharp {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const marker = x < width / 4 && y < height / 4;
      pixels[i] = marker ? 255 : Math.round((x / width) * 200);
      pixels[i + 1] = marker ? 255 : Math.round((y / height) * 200);
      pixels[i + 2] = marker ? 255 : 60;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } });
}

/**
 * A PNG that claims `width` × `height` pixels in its header, with almost no data: the classic
 * decompression bomb shape. Its header is valid, so only a pixel limit stops a decoder.
 */
export function pixelBombPng(width = 50_000, height = 50_000): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows = deflateSync(Buffer.alloc((width * 3 + 1) * 4)); // four rows of zeros; the rest is missing
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', rows), chunk('IEND', Buffer.alloc(0))]);
}

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** The files of {@link makePhotoTree}, relative to its root. */
export const GOOD = ['beach.jpg', 'sub/icon.png', 'sub/deep/web.webp', 'sub/modern.avif', 'anim.gif', 'rotated.jpg'] as const;
export const BAD = { bomb: 'bomb.png', truncated: 'truncated.jpg', text: 'notes.jpg' } as const;

/** A temporary directory. */
export function tempDir(prefix = 'futures-thumbs-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

async function put(root: string, relative: string, data: Buffer | string): Promise<void> {
  await mkdir(dirname(join(root, relative)), { recursive: true });
  await writeFile(join(root, relative), data);
}

/**
 * A tree of real images: {@link GOOD} (600×400 landscape pictures in JPEG, PNG, WebP, AVIF, GIF;
 * `rotated.jpg` stored 300×200 with EXIF orientation 6, so it shows 200×300 portrait) and
 * {@link BAD}, plus a `README.txt` that is not an image extension (ignored) and a hidden file.
 */
export async function makePhotoTree(root: string, options: { bad?: boolean } = {}): Promise<string> {
  const jpeg = await picture(600, 400).jpeg({ quality: 90 }).toBuffer();
  await put(root, 'beach.jpg', jpeg);
  await put(root, 'sub/icon.png', await picture(600, 400).png().toBuffer());
  await put(root, 'sub/deep/web.webp', await picture(600, 400).webp().toBuffer());
  await put(root, 'sub/modern.avif', await picture(600, 400).avif({ effort: 0 }).toBuffer());
  await put(root, 'anim.gif', await picture(600, 400).gif().toBuffer());
  await put(root, 'rotated.jpg', await picture(300, 200).jpeg().withExif({ IFD0: { Copyright: 'test' } }).withMetadata({ orientation: 6 }).toBuffer());
  await put(root, 'README.txt', 'not an image');
  await put(root, '.hidden.jpg', jpeg);
  if (options.bad !== false) {
    await put(root, BAD.bomb, pixelBombPng());
    await put(root, BAD.truncated, jpeg.subarray(0, Math.floor(jpeg.length * 0.6)));
    await put(root, BAD.text, 'this is text, not a JPEG\n');
  }
  return root;
}
