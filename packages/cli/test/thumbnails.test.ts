/**
 * `futures thumbnails`, spawned for real (from the TypeScript sources through tsx) on images
 * generated with sharp: exit codes, plain progress lines off a terminal, --json, Ctrl-C.
 */
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { futures } from './run-cli.js';




async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'futures-cli-'));
}

/** A 3:2 picture with a gradient. */
function picture(width: number, height: number): Sharp {
  return sharp({ create: { width, height, channels: 3, background: { r: 40, g: 120, b: 200 } } }).composite([
    { input: { create: { width: Math.floor(width / 3), height: Math.floor(height / 3), channels: 3, background: { r: 250, g: 250, b: 250 } } }, top: 0, left: 0 },
  ]);
}

async function files(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1)).sort();
}

describe('futures', () => {
  it('--help lists the commands; no command is a usage error (exit 2); so is an unknown one', async () => {
    const help = await futures(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: futures <command>/);
    expect(help.stdout).toMatch(/\n {2}thumbnails +make thumbnails/);
    expect((await futures([])).code).toBe(2);
    const unknown = await futures(['resize']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('futures: unknown command "resize"; commands: thumbnails');
  });
});

describe('futures thumbnails', () => {
  let photos: string;
  beforeAll(async () => {
    photos = await tempDir();
    await mkdir(join(photos, 'trip'));
    const jpeg = await picture(900, 600).jpeg().toBuffer();
    await writeFile(join(photos, 'a.jpg'), jpeg);
    await picture(900, 600).png().toFile(join(photos, 'trip/b.png'));
    await picture(600, 900).webp().toFile(join(photos, 'trip/c.webp'));
    await writeFile(join(photos, 'broken.jpg'), jpeg.subarray(0, jpeg.length >> 1));
    await writeFile(join(photos, 'text.jpg'), 'not a picture');
  });

  it('--help reads like sharp-cli / ImageMagick help', async () => {
    const { code, stdout } = await futures(['thumbnails', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: futures thumbnails <input> <output> \[options\]/);
    for (const flag of ['-s, --size <geometry>', '-f, --format <format>', '-q, --quality <1-100>', '--fit <fit>', '--json', '-j, --concurrency <n>', 'Exit status: 0 all done, 1 some images failed, 2 bad usage, 130 interrupted']) {
      expect(stdout).toContain(flag);
    }
  });

  it('bad usage exits 2 with a message naming the flag', async () => {
    const cases: [string[], string][] = [
      [['thumbnails', photos], 'expected <input> and <output>, got 1 argument'],
      [['thumbnails', photos, 'out', '--size', 'big'], '--size must look like 256x256'],
      [['thumbnails', photos, 'out', '--format', 'bmp'], '--format must be one of webp, jpeg, png, avif (or jpg), got "bmp"'],
      [['thumbnails', photos, 'out', '--quality', 'high'], '--quality expects a whole number, got "high"'],
      [['thumbnails', photos, 'out', '--quality', '0'], 'quality must be >= 1, got 0'],
      [['thumbnails', photos, 'out', '--colour'], "Unknown option '--colour'"],
      [['thumbnails', join(photos, 'missing'), 'out'], 'does not exist'],
    ];
    const results = await Promise.all(cases.map(([args]) => futures(args)));
    for (const [i, [args, message]] of cases.entries()) {
      expect(results[i]?.code, args.join(' ')).toBe(2);
      expect(results[i]?.stderr, args.join(' ')).toContain(message);
      expect(results[i]?.stderr).toContain('Try: futures thumbnails --help');
    }
  });

  it('makes the thumbnails, prints a line per image off a terminal, exits 1 because two failed; a re-run skips', async () => {
    const out = await tempDir();
    const first = await futures(['thumbnails', photos, out, '-s', '120x120^', '-s', '200x', '-f', 'jpg', '-q', '70']);
    expect(first.code).toBe(1);
    const lines = first.stderr.trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines.filter((line) => /^\[\d\/5\] /.test(line))).toHaveLength(5);
    expect(lines.find((line) => line.includes('broken.jpg'))).toMatch(/FAILED .*broken\.jpg: .*\[ERR_THUMBNAIL_CORRUPT_INPUT\]$/);
    expect(lines.find((line) => line.includes('text.jpg'))).toMatch(/\[ERR_THUMBNAIL_UNSUPPORTED_INPUT\]$/);
    expect(first.stdout).toMatch(/^3 processed, 0 up to date, 2 failed\n6 thumbnails written, /);
    expect(await files(out)).toEqual(['a-120x120.jpg', 'a-200x.jpg', 'trip/b-120x120.jpg', 'trip/b-200x.jpg', 'trip/c-120x120.jpg', 'trip/c-200x.jpg']);
    expect(await sharp(join(out, 'a-120x120.jpg')).metadata()).toMatchObject({ format: 'jpeg', width: 120, height: 120 });
    expect(await sharp(join(out, 'trip/c-200x.jpg')).metadata()).toMatchObject({ width: 200, height: 300 });

    const again = await futures(['thumbnails', photos, out, '-s', '120x120^', '-s', '200x', '-f', 'jpg', '--json']);
    expect(again.code).toBe(1);
    expect(again.stderr.trim().split('\n')).toHaveLength(2); // --json: only the failures on stderr
    const summary = JSON.parse(again.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({ interrupted: false, total: 5, processed: 0, skipped: 3, failed: 2, outputs: 0 });
    expect(summary.failures).toEqual([
      { input: join(photos, 'broken.jpg'), code: 'ERR_THUMBNAIL_CORRUPT_INPUT', message: expect.any(String) },
      { input: join(photos, 'text.jpg'), code: 'ERR_THUMBNAIL_UNSUPPORTED_INPUT', message: expect.any(String) },
    ]);

    const good = await futures(['thumbnails', join(photos, 'trip'), await tempDir(), '--quiet']);
    expect(good.code).toBe(0);
    expect(good.stderr).toBe('');
  });

  it('Ctrl-C stops cleanly: exit 130, the images in progress finished, no partial or temporary file', async () => {
    const input = await tempDir();
    const jpeg = await picture(2400, 1600).jpeg().toBuffer();
    for (let i = 0; i < 40; i++) await writeFile(join(input, `p${String(i).padStart(2, '0')}.jpg`), jpeg);
    const out = await tempDir();
    const result = await futures(['thumbnails', input, out, '-s', '800x', '-s', '400x', '-f', 'avif', '-j', '2'], (stderr) => /\[ ?2\/40\]/.test(stderr));
    expect(result.code, result.stdout + result.stderr.slice(-600)).toBe(130);
    expect(result.stderr).toContain('interrupted: finishing the images in progress (Ctrl-C again to quit now)');
    expect(result.stdout).toMatch(/^interrupted after \d+ of 40 images: \d+ processed, 0 up to date, 0 failed/);
    const written = await files(out);
    expect(written.length).toBeGreaterThan(0);
    expect(written.length).toBeLessThan(80);
    for (const file of written) {
      expect(file).toMatch(/^p\d\d-(800|400)x\.avif$/); // no .tmp left
      expect((await sharp(join(out, file)).metadata()).format).toBe('heif'); // complete
    }
  });
});
