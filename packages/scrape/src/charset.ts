/**
 * Turning a response body into text with the right character set, as browsers do (the HTML
 * standard's "encoding sniffing", simplified): a byte-order mark first, then the `charset` of
 * the `Content-Type` header, then a `<meta charset>` or `<meta http-equiv="content-type">` in the
 * first 1024 bytes, else UTF-8. Decoding uses `TextDecoder`, which knows every WHATWG encoding
 * (windows-1252, ISO-8859-x, Shift_JIS, GBK, EUC-KR, ...); bytes invalid in the encoding become
 * U+FFFD rather than failing the page.
 */

/** The `charset` parameter of a `Content-Type` value, lower-cased, if any. */
export function charsetOf(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const match = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType);
  return match?.[1]?.toLowerCase();
}

/** The media type of a `Content-Type` value (`text/html`), lower-cased; `''` when missing. */
export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
}

const META_CHARSET = /<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_:.()-]+)/i;

function bomCharset(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  return undefined;
}

function decoderFor(label: string | undefined): InstanceType<typeof TextDecoder> | undefined {
  if (label === undefined) return undefined;
  try {
    return new TextDecoder(label);
  } catch {
    return undefined; // an unknown label: try the next source
  }
}

/** The decoded text and the encoding used (its WHATWG name, e.g. `'windows-1252'`). */
export function decodeBody(bytes: Uint8Array, contentType: string | undefined): { readonly text: string; readonly charset: string } {
  const decoder =
    decoderFor(bomCharset(bytes)) ??
    decoderFor(charsetOf(contentType)) ??
    decoderFor(META_CHARSET.exec(Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).toString('latin1'))?.[1]) ??
    new TextDecoder('utf-8');
  return { text: decoder.decode(bytes), charset: decoder.encoding };
}
