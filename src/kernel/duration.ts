// Duration text <-> simulated milliseconds: "250us", "5ms", "1.5s", "2m", "1h", "1m30s", "0".
// Follows Go's time.ParseDuration units, but stricter: units run largest to smallest, each at
// most once, no sign, no whitespace, no bare numbers except 0. Leaves out days and nanoseconds.

const EXPECTED = "expected a duration such as 250ms, 1.5s or 1m30s";

/** The longest duration: 2^53 microseconds (about 285 years), so microseconds stay exact. */
export const MAX_DURATION_MS = Number.MAX_SAFE_INTEGER / 1000;

/** Units from largest to smallest; a text's units must appear in this order. */
const UNITS: readonly { name: string; us: number }[] = [
  { name: "h", us: 3_600_000_000 },
  { name: "m", us: 60_000_000 },
  { name: "s", us: 1_000_000 },
  { name: "ms", us: 1_000 },
  { name: "us", us: 1 },
];

function reject(text: string, why?: string): never {
  const detail = why === undefined ? "" : ` (${why})`;
  throw new Error(`${EXPECTED}, got ${JSON.stringify(text)}${detail}`);
}

function isDigit(c: string): boolean {
  return c >= "0" && c <= "9";
}

function isLetter(c: string): boolean {
  return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z");
}

/**
 * Simulated milliseconds for `text`. Each component is summed in microseconds first, so a text
 * that is a whole number of microseconds maps to the double nearest its exact value.
 */
export function parseDuration(text: string): number {
  if (text === "0") return 0;
  if (text.length === 0) reject(text, "it is empty");
  if (/\s/.test(text)) reject(text, "whitespace is not allowed in a duration");
  if (text[0] === "-") reject(text, "durations cannot be negative");
  let pos = 0;
  let totalUs = 0;
  let lastRank = -1;
  while (pos < text.length) {
    const intStart = pos;
    while (pos < text.length && isDigit(text[pos])) pos++;
    if (pos === intStart) reject(text, `a number must come before each unit, at column ${pos + 1}`);
    const intPart = text.slice(intStart, pos);
    let fracPart = "";
    if (text[pos] === ".") {
      const fracStart = ++pos;
      while (pos < text.length && isDigit(text[pos])) pos++;
      if (pos === fracStart)
        reject(text, `a digit must follow the decimal point, at column ${pos + 1}`);
      fracPart = text.slice(fracStart, pos);
    }
    const unitStart = pos;
    while (pos < text.length && isLetter(text[pos])) pos++;
    const unitName = text.slice(unitStart, pos);
    if (unitName === "") {
      if (pos >= text.length && lastRank === -1)
        reject(text, "a bare number needs a unit, e.g. 12ms");
      reject(text, `expected a unit (h, m, s, ms, us) at column ${pos + 1}`);
    }
    const rank = UNITS.findIndex((u) => u.name === unitName);
    if (rank === -1) reject(text, `unknown unit "${unitName}"; units are h, m, s, ms, us`);
    if (rank <= lastRank)
      reject(text, "units must run from largest to smallest, each at most once");
    lastRank = rank;
    const unitUs = UNITS[rank].us;
    totalUs += Number(intPart) * unitUs;
    if (fracPart !== "") totalUs += (Number(fracPart) * unitUs) / 10 ** fracPart.length;
  }
  const ms = totalUs / 1000;
  if (!(ms <= MAX_DURATION_MS)) reject(text, "it is longer than 2^53 us, about 285 years");
  return ms;
}

/** True when `text` is a duration parseDuration accepts. */
export function isDurationText(text: string): boolean {
  try {
    parseDuration(text);
    return true;
  } catch {
    return false;
  }
}

/** `whole` followed by up to `digits` decimals of `fraction / 10^digits`, trailing zeros dropped. */
function decimal(whole: number, fraction: number, digits: number): string {
  if (fraction === 0) return String(whole);
  const frac = String(fraction).padStart(digits, "0").replace(/0+$/, "");
  return `${whole}.${frac}`;
}

/** The part below one minute, in the largest unit it reaches: "1.5s", "5.25ms", "250us". */
function formatBelowMinute(us: number): string {
  if (us >= 1_000_000) return `${decimal(Math.floor(us / 1_000_000), us % 1_000_000, 6)}s`;
  if (us >= 1_000) return `${decimal(Math.floor(us / 1_000), us % 1_000, 3)}ms`;
  return `${us}us`;
}

/**
 * A short form such as "0ms", "250us", "1.5s", "1m30s", "1h". Whole microseconds round-trip
 * exactly through parseDuration; finer values are rounded to the nanosecond ("0.5us").
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) {
    throw new Error(`formatDuration expects a finite, non-negative number of ms, got ${ms}`);
  }
  if (ms > MAX_DURATION_MS) {
    throw new Error(`formatDuration handles up to 2^53 us (about 285 years), got ${ms} ms`);
  }
  const us = Math.round(ms * 1000);
  if (us / 1000 !== ms) {
    // Not a whole number of microseconds: show fractional microseconds, rounded to the ns.
    const fine = Number((ms * 1000).toFixed(3));
    if (!Number.isInteger(fine)) return `${fine}us`;
  }
  if (us === 0) return "0ms";
  const hours = Math.floor(us / 3_600_000_000);
  const minutes = Math.floor((us % 3_600_000_000) / 60_000_000);
  const rest = us % 60_000_000;
  let out = "";
  if (hours > 0) out += `${hours}h`;
  if (minutes > 0) out += `${minutes}m`;
  if (rest > 0) out += formatBelowMinute(rest);
  return out;
}
