/** The image-processing example: real images resized in threads, then the thumbnails recipe on them. */
import { format } from 'node:util';
import { expect, it } from 'vitest';
import { main as imageProcessing } from '../src/image-processing.ts';

it('image-processing: four images resized, the fake JPEG reported; the recipe makes the thumbnails', async () => {
  const lines: string[] = [];
  const { results, summary } = await imageProcessing((...args: unknown[]) => lines.push(format(...args)));
  expect(results).toEqual([true, true, true, true, false]);
  expect(lines.slice(0, 8)).toEqual([1, 2, 3, 4].flatMap((i) => [`Processed image${i}.jpg`, 'Image Processing Result: True']));
  expect(lines[8]).toMatch(/^Error processing image5\.jpg: /);
  expect(lines[9]).toBe('Image Processing Result: False');
  // The recipe sees the four photos, their four processed_ copies and the fake: 2 sizes each.
  expect(summary).toMatchObject({ total: 9, processed: 8, failed: 1, outputs: 16 });
  expect(summary.failures[0]?.error.code).toBe('ERR_THUMBNAIL_UNSUPPORTED_INPUT');
  expect(lines.at(-1)).toBe('  image5.jpg: ERR_THUMBNAIL_UNSUPPORTED_INPUT');
});
