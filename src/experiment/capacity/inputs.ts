// What `meshsim capacity` is asked, checked before anything runs (a problem is bad input, exit 2,
// naming the path, load or option): the varied paths (numeric fields of the file, ascending values,
// each once), their cost weights (positive, on varied paths), a scenario with thresholds to plan
// for, and the load whose rate --max-rate or --headroom moves (it must exist and have a rate).
import {
  type Assignment,
  badInput,
  badInputAt,
  numericPathCheck,
  type PathSegment,
  renderPath,
  type Scenario,
  type Source,
  valueAt,
} from "../source.ts";
import type { Candidate } from "./evaluator.ts";
import type { RateLoad } from "./maxRate.ts";
import type { Dimension } from "./space.ts";

export interface VaryInput {
  path: PathSegment[];
  values: readonly unknown[];
}

export interface CostInput {
  path: PathSegment[];
  weight: number;
}

export function checkThresholds(source: Source, scenario: Scenario): void {
  if (scenario.thresholds.length === 0)
    throw badInput(
      source.file,
      `scenario ${scenario.name} has no thresholds, so there is nothing to plan for: add the SLOs to meet, e.g. thresholds: { latency: ['p(99)<300ms'], errors: ['rate<0.01'] }`,
      "thresholds",
    );
}

export function dimensionsOf(
  source: Source,
  vary: readonly VaryInput[],
  cost: readonly CostInput[],
): Dimension[] {
  const names = new Set<string>();
  const dims = vary.map((v): Dimension => {
    const name = renderPath(v.path);
    if (names.has(name)) throw badInput(source.file, `--vary ${name} is given twice`, name);
    names.add(name);
    const problem = numericPathCheck(source, v.path);
    if (problem !== null) throw badInputAt(source, `--vary ${name}: ${problem}`, v.path);
    const values = v.values.map((x) => {
      if (typeof x !== "number" || !Number.isFinite(x))
        throw badInput(source.file, `--vary ${name}: ${JSON.stringify(x)} is not a number`, name);
      return x;
    });
    if (values.length === 0) throw badInput(source.file, `--vary ${name} has no values`, name);
    values.forEach((x, i) => {
      if (i > 0 && !(x > values[i - 1]))
        throw badInput(
          source.file,
          `--vary ${name}: values must rise from LO to HI, but ${values[i - 1]} comes before ${x}`,
          name,
        );
    });
    return { path: v.path, name, values, weight: 1 };
  });
  for (const c of cost) {
    const name = renderPath(c.path);
    const dim = dims.find((d) => d.name === name);
    if (dim === undefined)
      throw badInput(
        source.file,
        `--cost ${name}: not a varied path (the varied paths are: ${dims.map((d) => d.name).join(", ")})`,
        name,
      );
    if (!(Number.isFinite(c.weight) && c.weight > 0))
      throw badInput(
        source.file,
        `--cost ${name}: the weight must be a number > 0, got ${c.weight}`,
        name,
      );
    dim.weight = c.weight;
  }
  return dims;
}

/** The loads with an arrival rate to move, by name. */
function rateLoads(scenario: Scenario): string[] {
  return scenario.load
    .filter((l) => l.executor === "constant-arrival-rate" || l.executor === "ramping-arrival-rate")
    .map((l) => l.name);
}

/** The load --headroom means: the one named, or the only load with a rate. */
export function headroomLoad(source: Source, scenario: Scenario, asked: true | string): string {
  if (typeof asked === "string") return asked;
  const loads = rateLoads(scenario);
  if (loads.length === 1) return loads[0];
  throw badInput(
    source.file,
    loads.length === 0
      ? "--headroom: no load has an arrival rate to raise (constant-arrival-rate or ramping-arrival-rate)"
      : `--headroom: several loads have a rate (${loads.join(", ")}); name one: --headroom LOAD`,
  );
}

const clean = (x: number) => Number(x.toPrecision(12));

/**
 * The load `name` as a rate to move: a constant-arrival-rate's `rate`, or a ramping-arrival-rate
 * scaled as a whole (startRate and every stage target), its rate then being its peak. `base` is
 * put in first (the recommended point, for headroom); `keyOf` names each rate's point.
 */
export function rateLoad(
  source: Source,
  scenario: Scenario,
  name: string,
  option: string,
  base: readonly Assignment[],
  keyOf: (rate: number, isFileRate: boolean) => string,
): RateLoad {
  const index = scenario.load.findIndex((l) => l.name === name);
  if (index < 0)
    throw badInputAt(
      source,
      `${option} ${name}: no load of that name (the loads are: ${scenario.load.map((l) => l.name).join(", ")})`,
      ["load"],
    );
  const load = scenario.load[index];
  const at = (...rest: PathSegment[]): PathSegment[] => ["load", index, ...rest];
  const timeUnit = String(valueAt(source, at("timeUnit")) ?? "1s");
  let fileRate: number;
  let scaled: (rate: number) => Assignment[];
  if (load.executor === "constant-arrival-rate") {
    fileRate = Number(valueAt(source, at("rate")));
    scaled = (rate) => [{ path: at("rate"), value: rate }];
  } else if (load.executor === "ramping-arrival-rate") {
    const start = Number(valueAt(source, at("startRate")) ?? 0);
    const targets = load.stages.map((_, j) => Number(valueAt(source, at("stages", j, "target"))));
    fileRate = Math.max(start, ...targets);
    scaled = (rate) => {
      const factor = rate / fileRate;
      return [
        ...(valueAt(source, at("startRate")) === undefined
          ? []
          : [{ path: at("startRate"), value: clean(start * factor) }]),
        ...targets.map((t, j) => ({ path: at("stages", j, "target"), value: clean(t * factor) })),
      ];
    };
  } else
    throw badInputAt(
      source,
      `${option} ${name}: load ${name} uses the ${load.executor} executor, which has no arrival rate to raise (use constant-arrival-rate or ramping-arrival-rate)`,
      at("executor"),
    );
  if (!(fileRate > 0))
    throw badInput(
      source.file,
      `${option} ${name}: the load's rate is 0, so there is nothing to scale`,
    );
  return {
    name,
    timeUnit,
    fileRate,
    candidate(rate): Candidate {
      const isFileRate = rate === fileRate;
      const set = isFileRate ? [...base] : [...base, ...scaled(rate)];
      return {
        key: keyOf(rate, isFileRate),
        set,
        label: `${name} at ${rate}/${timeUnit}${base.length === 0 ? "" : ` with ${base.map((a) => `${renderPath(a.path)}=${a.value}`).join(" ")}`}`,
        step: "start",
      };
    },
  };
}
