// The values a sweep gives one path, written as text: a list `2,4,8` (each item read as YAML, so
// `round-robin` and `0.5` work), an arithmetic range `2..12` or `2..12:2` (both ends included), or
// a geometric one for rates, `100..3200*2` (100, 200, ..., 3200). The same grammar for `--vary`
// and the file's `sweep.vary`. Leaves out ranges over durations and open-ended ranges.
import { parse as parseYaml } from "yaml";

/** More values than this for one path is a typo, not a sweep. */
export const MAX_SWEEP_VALUES = 10_000;

export type SweepValue = string | number | boolean | null;

const NUMBER = String.raw`[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?`;
const ARITHMETIC = new RegExp(`^(${NUMBER})\\.\\.(${NUMBER})(?::(${NUMBER}))?$`);
const GEOMETRIC = new RegExp(`^(${NUMBER})\\.\\.(${NUMBER})\\*(${NUMBER})$`);

/** Rounds away the float dust of lo + i·step (0.1 + 2·0.1 = 0.30000000000000004). */
function clean(x: number): number {
  return Number(x.toPrecision(12));
}

/** Parses VALUES; throws an Error whose message says what is wrong and what was expected. */
export function parseSweepValues(text: string): SweepValue[] {
  const trimmed = text.trim();
  const arithmetic = ARITHMETIC.exec(trimmed);
  if (arithmetic) {
    const [lo, hi, step] = [arithmetic[1], arithmetic[2], arithmetic[3] ?? "1"].map(Number);
    if (!(step > 0)) throw new Error(`the step of ${trimmed} must be > 0, found ${step}`);
    if (hi < lo) throw new Error(`the range ${trimmed} has no values: its end is below its start`);
    const count = Math.floor((hi - lo) / step + 1e-9) + 1;
    return checked(
      trimmed,
      count,
      Array.from({ length: Math.min(count, MAX_SWEEP_VALUES + 1) }, (_, i) => clean(lo + i * step)),
    );
  }
  const geometric = GEOMETRIC.exec(trimmed);
  if (geometric) {
    const [lo, hi, factor] = geometric.slice(1, 4).map(Number);
    if (!(lo > 0)) throw new Error(`a geometric range starts above 0, found ${trimmed}`);
    if (!(factor > 1)) throw new Error(`the factor of ${trimmed} must be > 1, found ${factor}`);
    if (hi < lo) throw new Error(`the range ${trimmed} has no values: its end is below its start`);
    const values: number[] = [];
    for (let x = lo; x <= hi * (1 + 1e-12) && values.length <= MAX_SWEEP_VALUES; x *= factor)
      values.push(clean(x));
    return checked(trimmed, values.length, values);
  }
  if (trimmed.includes("..")) {
    throw new Error(
      `expected a list (2,4,8), a range (2..12 or 2..12:2) or a geometric range (100..3200*2), found ${JSON.stringify(text)}`,
    );
  }
  const items = trimmed.split(",").map((item) => item.trim());
  if (items.some((item) => item === "")) {
    throw new Error(`expected a comma-separated list of values, found ${JSON.stringify(text)}`);
  }
  return checked(trimmed, items.length, items.map(scalar));
}

function checked(text: string, count: number, values: SweepValue[]): SweepValue[] {
  if (count > MAX_SWEEP_VALUES)
    throw new Error(`${text} gives ${count} values; at most ${MAX_SWEEP_VALUES} per path`);
  return values;
}

function scalar(item: string): SweepValue {
  let value: unknown;
  try {
    value = parseYaml(item);
  } catch {
    return item;
  }
  return value === null || ["string", "number", "boolean"].includes(typeof value)
    ? (value as SweepValue)
    : item;
}

/** A file's `sweep.vary` entry: a list as it is, a number or boolean alone, or text in the grammar above. */
export function sweepValuesOf(raw: unknown): SweepValue[] {
  if (Array.isArray(raw)) {
    if (raw.length === 0) throw new Error("the list has no values");
    return raw as SweepValue[];
  }
  if (typeof raw === "string") return parseSweepValues(raw);
  return [raw as SweepValue];
}
