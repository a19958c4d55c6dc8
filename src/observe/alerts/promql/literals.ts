// PromQL's literals as Prometheus' lexer reads them: strings with Go's escapes in "…" and '…' and
// none in `…`, and durations such as 5m or 1h30m (units y, w, d, h, m, s, ms, largest first).
import { PromqlError } from "./errors.ts";

const DURATION_UNITS: Readonly<Record<string, number>> = {
  y: 31_536_000_000,
  w: 604_800_000,
  d: 86_400_000,
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
};

/** Milliseconds of a duration such as 1h30m, or null if it is not one. */
export function durationMs(raw: string): number | null {
  let ms = 0;
  let rest = raw;
  while (rest.length > 0) {
    const part = /^(\d+)(ms|y|w|d|h|m|s)/.exec(rest);
    if (part === null) return null;
    ms += Number(part[1]) * DURATION_UNITS[part[2]];
    rest = rest.slice(part[0].length);
  }
  return raw.length > 0 ? ms : null;
}

const ESCAPES: Readonly<Record<string, string>> = {
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\\": "\\",
  "'": "'",
  '"': '"',
};

/** A PromQL string literal's value: Go's escapes in "…" and '…', none in `…`. */
export function unquote(raw: string, at: number, text: string): string {
  const body = raw.slice(1, -1);
  if (raw[0] === "`") return body;
  let out = "";
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== "\\") {
      out += body[i];
      continue;
    }
    const c = body[++i];
    if (c in ESCAPES) out += ESCAPES[c];
    else if (c === "x" || c === "u" || c === "U") {
      const digits = c === "x" ? 2 : c === "u" ? 4 : 8;
      out += String.fromCodePoint(Number.parseInt(body.slice(i + 1, i + 1 + digits), 16));
      i += digits;
    } else if (/[0-7]/.test(c)) {
      out += String.fromCharCode(Number.parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else throw new PromqlError(`unknown escape sequence \\${c}`, at + i, text);
  }
  return out;
}
