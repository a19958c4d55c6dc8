// The PromQL functions meshsim evaluates, with Prometheus' signatures (argument and return types,
// optional trailing arguments) and whether a function keeps the metric name. Everything else the
// grammar knows (trigonometry, date functions, native-histogram functions, info(), sort_by_label,
// double_exponential_smoothing, ...) is refused at load time by name. Implementations of the
// functions over instant vectors live here; those over range vectors in rangeFunctions.ts.

export type ValueType = "scalar" | "vector" | "matrix" | "string";

export interface FunctionSignature {
  args: readonly ValueType[];
  /** How many of the trailing args may be left out. */
  optional: number;
  /** The last arg may repeat (label_join's source labels). */
  variadic: boolean;
  returns: "scalar" | "vector";
  /** Whether results keep `__name__` (most functions drop it). */
  keepsName: boolean;
}

const fn = (
  args: readonly ValueType[],
  returns: "scalar" | "vector" = "vector",
  options: { optional?: number; variadic?: boolean; keepsName?: boolean } = {},
): FunctionSignature => ({
  args,
  optional: options.optional ?? 0,
  variadic: options.variadic ?? false,
  returns,
  keepsName: options.keepsName ?? false,
});

const V = ["vector"] as const;
const M = ["matrix"] as const;

export const FUNCTIONS: Readonly<Record<string, FunctionSignature>> = {
  abs: fn(V),
  ceil: fn(V),
  floor: fn(V),
  round: fn(["vector", "scalar"], "vector", { optional: 1 }),
  sqrt: fn(V),
  exp: fn(V),
  ln: fn(V),
  log2: fn(V),
  log10: fn(V),
  sgn: fn(V),
  clamp: fn(["vector", "scalar", "scalar"]),
  clamp_min: fn(["vector", "scalar"]),
  clamp_max: fn(["vector", "scalar"]),
  absent: fn(V),
  scalar: fn(V, "scalar"),
  vector: fn(["scalar"]),
  time: fn([], "scalar"),
  timestamp: fn(V),
  histogram_quantile: fn(["scalar", "vector"]),
  label_replace: fn(["vector", "string", "string", "string", "string"], "vector", {
    keepsName: true,
  }),
  label_join: fn(["vector", "string", "string", "string"], "vector", {
    optional: 1,
    variadic: true,
    keepsName: true,
  }),
  sort: fn(V, "vector", { keepsName: true }),
  sort_desc: fn(V, "vector", { keepsName: true }),
  rate: fn(M),
  irate: fn(M),
  increase: fn(M),
  delta: fn(M),
  idelta: fn(M),
  deriv: fn(M),
  predict_linear: fn(["matrix", "scalar"]),
  changes: fn(M),
  resets: fn(M),
  avg_over_time: fn(M),
  min_over_time: fn(M),
  max_over_time: fn(M),
  sum_over_time: fn(M),
  count_over_time: fn(M),
  quantile_over_time: fn(["scalar", "matrix"]),
  stddev_over_time: fn(M),
  stdvar_over_time: fn(M),
  last_over_time: fn(M, "vector", { keepsName: true }),
  present_over_time: fn(M),
  absent_over_time: fn(M),
};

/** Functions over counters only: meshsim checks their argument is a counter sample. */
export const COUNTER_FUNCTIONS: ReadonlySet<string> = new Set([
  "rate",
  "irate",
  "increase",
  "resets",
]);

/** The supported functions' names, for messages. */
export function supportedFunctions(): string {
  return Object.keys(FUNCTIONS).join(", ");
}

/** abs(), ceil(), … : the value function of a simple instant-vector function, or null. */
export function simpleFunction(name: string): ((v: number) => number) | null {
  switch (name) {
    case "abs":
      return Math.abs;
    case "ceil":
      return Math.ceil;
    case "floor":
      return Math.floor;
    case "sqrt":
      return Math.sqrt;
    case "exp":
      return Math.exp;
    case "ln":
      return Math.log;
    case "log2":
      return Math.log2;
    case "log10":
      return Math.log10;
    case "sgn":
      return (v) => (v > 0 ? 1 : v < 0 ? -1 : v);
    default:
      return null;
  }
}

/** Prometheus' round(v, toNearest): floor(v / toNearest + 0.5) · toNearest, through the inverse. */
export function roundTo(v: number, toNearest: number): number {
  const inverse = 1 / toNearest;
  return Math.floor(v * inverse + 0.5) / inverse;
}

/**
 * Go's regexp.Expand for label_replace's replacement: $1, ${1}, $name, ${name} (a name is the
 * longest run of letters, digits and _), $$ for a dollar; an unknown group expands to nothing.
 */
export function expandTemplate(template: string, match: RegExpExecArray): string {
  let out = "";
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c !== "$" || i + 1 >= template.length) {
      out += c;
      continue;
    }
    if (template[i + 1] === "$") {
      out += "$";
      i++;
      continue;
    }
    let name: string;
    let end: number;
    if (template[i + 1] === "{") {
      const close = template.indexOf("}", i + 2);
      if (close === -1) {
        out += c;
        continue;
      }
      name = template.slice(i + 2, close);
      end = close;
    } else {
      const run = /^[A-Za-z0-9_]+/.exec(template.slice(i + 1));
      if (run === null) {
        out += c;
        continue;
      }
      name = run[0];
      end = i + name.length;
    }
    out += groupValue(match, name);
    i = end;
  }
  return out;
}

function groupValue(match: RegExpExecArray, name: string): string {
  if (/^\d+$/.test(name)) return match[Number(name)] ?? "";
  return match.groups?.[name] ?? "";
}
