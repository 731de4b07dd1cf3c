/**
 * Saving bodies to disk in wget's layout: `outDir/<host>/<path>`, `index.html` for a path that
 * ends in `/`, the query string kept (escaped) in the file name, `host_port` for a non-default
 * port. Files are written to a temporary name and renamed, so a crash leaves no partial file
 * under the final name.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';

/** The path under `outDir` where the body of `url` is saved. */
export function savePath(outDir: string, url: string): string {
  const { hostname, port, pathname, search } = new URL(url);
  const segments = pathname.split('/').map((segment) => decodeSegment(segment));
  if (segments.at(-1) === '') segments[segments.length - 1] = 'index.html';
  const file = (segments.pop() ?? 'index.html') + (search === '' ? '' : encodeURIComponent(search));
  return join(outDir, port === '' ? hostname : `${hostname}_${port}`, ...segments.filter((s) => s !== ''), file);
}

function decodeSegment(segment: string): string {
  let text: string;
  try {
    text = decodeURIComponent(segment);
  } catch {
    text = segment;
  }
  // Never climb out of outDir, never write a separator inside a name.
  return text === '..' || text === '.' ? '_' : text.replaceAll('/', '%2F').replaceAll(sep, '%5C').replaceAll('\0', '');
}

/** Writes `data` to `path` atomically (temporary file + rename), creating directories. */
export async function saveFile(path: string, data: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.part-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
