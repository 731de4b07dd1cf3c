/** Number formatting shared by every bench table. */

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** `1234567` → `1,234,567`. */
export function formatInteger(value: number): string {
  return integer.format(Math.round(value));
}

/** A rate per second, rounded: `312,400/s` (no unit: the column header says it). */
export function formatRate(perSecond: number): string {
  if (perSecond >= 10_000) return integer.format(Math.round(perSecond / 100) * 100);
  return integer.format(perSecond);
}

/** A ratio such as `1.23×`. */
export function formatRatio(ratio: number): string {
  return `${ratio.toFixed(2)}×`;
}

/** Bytes in binary units: `12.3 MiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/** Milliseconds for humans: `850 ms`, `1.42 s`. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`;
}
