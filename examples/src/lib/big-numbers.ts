/**
 * Describing very large `bigint`s without writing out all their decimal digits (1,000,000! has
 * 5,565,709 of them; `toString()` alone would take seconds).
 */

/** The number of bits of a positive `bigint` (Python's `int.bit_length()`). */
export function bitLength(x: bigint): number {
  if (x <= 0n) throw new RangeError(`bitLength: expected a positive bigint, got ${x}`);
  const hex = x.toString(16); // linear time, unlike the decimal conversion
  return (hex.length - 1) * 4 + Number.parseInt(hex[0] as string, 16).toString(2).length;
}

/** How `x` reads in decimal: its number of digits, and its first significant digits. */
export interface DecimalSummary {
  /** The number of decimal digits. */
  readonly digits: number;
  /** `x` in scientific notation with 6 significant digits, e.g. `8.26393e+5565708`. */
  readonly scientific: string;
}

/**
 * The number of decimal digits of a positive `bigint` and its leading digits, from its top 64
 * bits and its bit length: log10(x) = log10(top) + shift * log10(2). The error of that double is
 * about 1e-9 for a 20-million-bit number, far below what 6 significant digits need.
 */
export function decimalSummary(x: bigint): DecimalSummary {
  if (x < 10n ** 15n) {
    const text = x.toString();
    return { digits: text.length, scientific: Number(x).toExponential(5) };
  }
  const shift = Math.max(0, bitLength(x) - 64);
  const log10 = Math.log10(Number(x >> BigInt(shift))) + shift * Math.log10(2);
  let exponent = Math.floor(log10);
  let mantissa = (10 ** (log10 - exponent)).toFixed(5);
  if (mantissa === '10.00000') {
    exponent += 1;
    mantissa = '1.00000';
  }
  return { digits: exponent + 1, scientific: `${mantissa}e+${exponent}` };
}

/** `n!` modulo a prime `p` below 2^26, with plain numbers (every product stays below 2^53): an independent check. */
export function factorialMod(n: number, p: number): number {
  let result = 1 % p;
  for (let i = 2; i <= n; i++) result = (result * (i % p)) % p;
  return result;
}

/** How many times 2 divides `n!` (Legendre's formula: n minus the number of 1 bits of n). */
export function twosInFactorial(n: number): number {
  return n - n.toString(2).replaceAll('0', '').length;
}

/** How many times 2 divides a positive `bigint` (its trailing zero bits). */
export function trailingZeroBits(x: bigint): number {
  return bitLength(x & -x) - 1;
}
