/** Forwarding of a child's piped stdout/stderr to the parent's streams, optionally prefixed per line. */
import type { Readable, Writable } from 'node:stream';

/**
 * Copies `from` to `to`. With a `prefix`, output is split into lines and each line is written
 * with the prefix (a last line without a newline is written when the stream ends).
 */
export function forwardOutput(from: Readable, to: Writable, prefix: string | undefined): void {
  if (prefix === undefined) {
    from.on('data', (chunk: Buffer) => to.write(chunk));
    return;
  }
  let partial = '';
  from.setEncoding('utf8');
  from.on('data', (chunk: string) => {
    const text = partial + chunk;
    const end = text.lastIndexOf('\n');
    if (end === -1) {
      partial = text;
      return;
    }
    partial = text.slice(end + 1);
    to.write(
      text
        .slice(0, end + 1)
        .split(/(?<=\n)/)
        .map((line) => prefix + line)
        .join(''),
    );
  });
  from.on('end', () => {
    if (partial !== '') to.write(`${prefix}${partial}\n`);
    partial = '';
  });
}
