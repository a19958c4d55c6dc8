// The fuzz campaign of issue 20: shipped scenarios mutated at random paths (huge, tiny, negative,
// NaN-like, wrong types, deep nesting, dangling references, absurd durations and distributions),
// each loaded in process and, when accepted, run with a small event cap. A case fails when the
// outcome is neither a clean refusal (ScenarioError, no stack, no "internal error") nor a run that
// conserves its requests. Shared by `npm test` (a few hundred cases) and `npm run fuzz` (a budget).
import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import fc from "fast-check";
import { parse, stringify } from "yaml";
import { runScenario } from "../../src/run/runScenario.ts";
import { estimateCost } from "../../src/scenario/cost.ts";
import { ScenarioError } from "../../src/scenario/errors.ts";
import { parseScenario } from "../../src/scenario/loader.ts";

const root = resolve(import.meta.dirname, "../..");

/** Every shipped scenario as plain data. */
export const SHIPPED: readonly { name: string; doc: unknown }[] = readdirSync(
  resolve(root, "scenarios"),
)
  .filter((f) => f.endsWith(".yaml"))
  .sort()
  .map((f) => ({ name: f, doc: parse(readFileSync(resolve(root, "scenarios", f), "utf8")) }));

/** An accepted case runs at most this many events (and is skipped above these estimates). */
export const FUZZ_EVENT_CAP = 5_000;
const MAX_SCRAPES_RUN = 20_000;
const MAX_MEMORY_MB_RUN = 400;

type Path = (string | number)[];

/** Every path in `doc` (maps and lists included), in document order. */
function pathsOf(doc: unknown, at: Path = []): Path[] {
  const out: Path[] = [at];
  if (Array.isArray(doc)) for (const [i, v] of doc.entries()) out.push(...pathsOf(v, [...at, i]));
  else if (doc !== null && typeof doc === "object")
    for (const [k, v] of Object.entries(doc)) out.push(...pathsOf(v, [...at, k]));
  return out;
}

const nested = (depth: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
};

/** Replacement values: huge, tiny, negative, NaN-like, wrong types, nesting, references, units. */
const values = fc.oneof(
  fc.constantFrom(
    4294967296,
    1e12,
    1e15,
    1e308,
    -1,
    0,
    -0,
    1e-308,
    0.5,
    2 ** 53,
    10_000_000,
    "NaN",
    ".nan",
    "Infinity",
    "-1ms",
    "1us",
    "0",
    "1000000000s",
    "2562047h",
    "lognormal(1ms, 1e308)",
    "pareto(1ms, 1.0000001)",
    "mix(0.5: exp(1ms), 0.5: const(1e308ms))",
    "uniform(1ms, 1000000000s)",
    "exp(0ms)",
    "zipf(1e308)",
    "nosuch.op",
    "nosuch",
    "",
    null,
    true,
    [],
    {},
  ),
  fc.integer({ min: -10, max: 100_000 }),
  fc.double({ noNaN: false }),
  fc.string({ maxLength: 8 }),
  fc.integer({ min: 2, max: 80 }).map(nested),
);

export interface Mutation {
  /** Index into the path list of the scenario (taken modulo its length). */
  at: number;
  kind: "set" | "delete" | "rename";
  value: unknown;
}

export const caseArb = fc.record({
  scenario: fc.nat({ max: SHIPPED.length - 1 }),
  mutations: fc.array(
    fc.record({
      at: fc.nat(),
      kind: fc.constantFrom("set", "set", "set", "delete", "rename") as fc.Arbitrary<
        Mutation["kind"]
      >,
      value: values,
    }),
    { minLength: 1, maxLength: 3 },
  ),
});

export type FuzzCase = { scenario: number; mutations: Mutation[] };

function setIn(doc: unknown, path: Path, value: unknown, kind: Mutation["kind"]): unknown {
  if (path.length === 0) return kind === "set" ? value : doc;
  const [head, ...rest] = path;
  if (Array.isArray(doc)) {
    const copy = [...doc];
    if (rest.length === 0 && kind === "delete") copy.splice(head as number, 1);
    else copy[head as number] = setIn(copy[head as number], rest, value, kind);
    return copy;
  }
  const copy = { ...(doc as Record<string, unknown>) };
  const key = head as string;
  if (rest.length === 0 && kind === "delete") delete copy[key];
  else if (rest.length === 0 && kind === "rename") {
    const v = copy[key];
    delete copy[key];
    copy[`${key}x`] = v;
  } else copy[key] = setIn(copy[key], rest, value, kind);
  return copy;
}

/** The mutated scenario's text. */
export function caseText(c: FuzzCase): string {
  let doc = structuredClone(SHIPPED[c.scenario].doc);
  for (const m of c.mutations) {
    const paths = pathsOf(doc);
    doc = setIn(doc, paths[m.at % paths.length], m.value, m.kind);
  }
  return stringify(doc, { aliasDuplicateObjects: false });
}

export type Outcome = "refused" | "ran" | "skipped";

/** Loads (and runs, when accepted and small) one case; throws on a failure of meshsim. */
export function checkCase(c: FuzzCase): Outcome {
  const text = caseText(c);
  let scenario: ReturnType<typeof parseScenario>;
  try {
    scenario = parseScenario(text, "fuzz.yaml");
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    for (const problem of error.problems) {
      if (/\n\s+at |internal error/.test(problem.message))
        throw new Error(`a refusal looks like a crash: ${problem.message}`);
    }
    return "refused";
  }
  const capped = { ...scenario, maxEvents: Math.min(scenario.maxEvents, FUZZ_EVENT_CAP) };
  const estimate = estimateCost(capped);
  // What the CLI refuses without --force under small budgets is not run here either.
  if (estimate.scrapes > MAX_SCRAPES_RUN || estimate.memoryMB > MAX_MEMORY_MB_RUN) return "skipped";
  const result = runScenario(capped);
  if (result.events > FUZZ_EVENT_CAP) throw new Error(`ran ${result.events} events past the cap`);
  for (const [name, l] of Object.entries(result.load)) {
    if (l.offered !== l.completed + l.failed + l.inFlight || l.inFlight < 0)
      throw new Error(`load ${name} does not conserve requests: ${JSON.stringify(l)}`);
  }
  for (const [name, s] of Object.entries(result.services)) {
    const sum = s.instances.reduce((n, i) => n + i.requests, 0);
    if (s.errors > s.requests || sum !== s.requests || !(s.utilization >= 0))
      throw new Error(
        `service ${name} is inconsistent: ${JSON.stringify({ ...s, metrics: undefined })}`,
      );
  }
  return "ran";
}
