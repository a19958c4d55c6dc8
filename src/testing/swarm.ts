// Swarm testing (TigerBeetle's VOPR; Groce et al., "Swarm Testing", 2012): for each seed, a random
// subset of the fault kinds is switched on and a random timeline drawn from them; the scenario
// runs with every checker watching. A broken invariant is shrunk by fast-check (fewer faults,
// shorter, later, simpler targets; the same invariant must still break), then the load is halved
// while it still breaks, and the minimal case is written as a standalone scenario file (faults
// inlined, seed and invariant set) that `meshsim run` replays. One seed replays everything: the
// case of seed s is fast-check's first draw from seed s, and the run's seed is s too. Every
// `determinismEvery`-th seed also runs twice and the two results are compared byte for byte.
import fc from "fast-check";
import { runScenario } from "../run/runScenario.ts";
import type { Scenario } from "../scenario/types.ts";
import { type FaultDocument, faultTimeline, usableKinds } from "./arbitraries/faultTimeline.ts";
import { runChecked } from "./checkedRun.ts";
import { BUILT_IN_INVARIANTS, builtInInvariants } from "./checkers/index.ts";
import { BUILT_IN_PROBES, type Probe } from "./coverage.ts";
import type { Invariant, Violation } from "./invariant.ts";
import type { ScenarioSource } from "./source.ts";

export interface SwarmOptions {
  /** Seeds to try: firstSeed, firstSeed + 1, ... */
  seeds: number;
  firstSeed?: number;
  /** Fault kinds a seed may switch on (default: every kind the scenario can take). */
  kinds?: readonly string[];
  maxFaults?: number;
  within?: { from?: string | number; to?: string | number };
  maxDuration?: string | number;
  /** A fault hits at most this many instances of a service (see faultTimeline). */
  maxInstances?: number;
  /** Default: every built-in checker. */
  invariants?: readonly Invariant[];
  /** Default: the built-in probes. */
  probes?: readonly Probe[];
  /** Every this many seeds, a seed also runs twice and the results are compared (default 50; 0: never). */
  determinismEvery?: number;
  /** End the swarm once this many seeds have broken an invariant (default: go on to the last seed). */
  maxViolations?: number;
  /** Asked before each seed; true ends the swarm there (a wall-clock budget lives with the caller). */
  shouldStop?: () => boolean;
  /** Told about each seed as it finishes. */
  onSeed?: (seed: SeedOutcome) => void;
  /** The seeds this process runs (a shard's part, swarmShard.ts); the others are skipped, uncounted. */
  only?: (seed: number) => boolean;
  /** Told each seed's whole result, in seed order (a shard writes them for `meshsim merge`). */
  onResult?: (seed: number, result: SeedResult) => void;
}

export interface SeedOutcome {
  seed: number;
  kinds: string[];
  faults: number;
  reached: string[];
  violation: Violation | null;
}

export interface MinimalCase {
  seed: number;
  invariant: string;
  message: string;
  atMs: number;
  /** The shrunk timeline, and the load scale (1, 0.5, 0.25, ...) at which it still breaks. */
  faults: FaultDocument[];
  loadScale: number;
  /** The case as a standalone scenario file. */
  text: string;
  violation: Violation;
}

export interface SwarmReport {
  scenario: string;
  seeds: number;
  /** Fault kind → seeds that switched it on. */
  kinds: Record<string, number>;
  violations: MinimalCase[];
  /** Probe name → seeds whose run reached that state (every probe listed, 0 included). */
  coverage: Record<string, number>;
  determinism: { checked: number; mismatches: number[] };
}

interface Case {
  kinds: string[];
  faults: FaultDocument[];
}

/** What one seed gave: plain data, so a worker thread can send it back. */
export interface SeedResult {
  outcome: SeedOutcome;
  minimal: MinimalCase | null;
  /** Whether this seed also ran twice for determinism, and whether the two runs differed. */
  determinismChecked: boolean;
  mismatch: boolean;
}

/** A swarm's seeds, one at a time (in this thread or a worker's): the case arbitrary built once. */
export class SwarmSeeds {
  readonly kinds: string[];
  readonly base: Scenario;
  private readonly caseOf: fc.Arbitrary<Case>;
  private readonly invariants: readonly Invariant[];
  readonly probes: readonly Probe[];
  private readonly every: number;
  readonly first: number;

  constructor(
    private readonly source: ScenarioSource,
    options: Omit<SwarmOptions, "seeds" | "shouldStop" | "onSeed" | "maxViolations">,
  ) {
    const base = source.scenario();
    const kinds = usableKinds(base, options.kinds);
    if (kinds.length === 0) throw new RangeError(`no fault kind applies to scenario ${base.name}`);
    this.base = base;
    this.kinds = kinds;
    this.invariants = options.invariants ?? builtInInvariants();
    this.probes = options.probes ?? BUILT_IN_PROBES;
    this.every = options.determinismEvery ?? 50;
    this.first = options.firstSeed ?? 0;
    this.caseOf = fc.subarray(kinds, { minLength: 1 }).chain((chosen) =>
      faultTimeline(base, {
        kinds: chosen,
        maxFaults: options.maxFaults,
        within: options.within,
        maxDuration: options.maxDuration,
        maxInstances: options.maxInstances,
      }).map((faults) => ({ kinds: chosen, faults })),
    );
  }

  /** Runs seed `seed`: its case, the shrunk minimal case if it broke something, the determinism check. */
  run(seed: number): SeedResult {
    const {
      seed: outcome,
      drawn,
      minimal,
    } = runSeed(this.source, seed, this.caseOf, this.invariants, this.probes);
    const determinismChecked = this.every > 0 && (seed - this.first) % this.every === 0;
    let mismatch = false;
    if (determinismChecked) {
      const scenario = this.source.withFaults(drawn.faults).scenario();
      const once = JSON.stringify(runScenario(scenario, { seed }));
      const twice = JSON.stringify(runScenario(scenario, { seed }));
      mismatch = once !== twice;
    }
    return { outcome, minimal, determinismChecked, mismatch };
  }

  emptyReport(): SwarmReport {
    return {
      scenario: this.base.name,
      seeds: 0,
      kinds: Object.fromEntries(this.kinds.map((k) => [k, 0])),
      violations: [],
      coverage: Object.fromEntries(this.probes.map((p) => [p.name, 0])),
      determinism: { checked: 0, mismatches: [] },
    };
  }
}

/** Adds one seed's result to the report (seeds must come in order for the same bytes). */
export function addSeed(report: SwarmReport, result: SeedResult): void {
  report.seeds++;
  for (const k of result.outcome.kinds) report.kinds[k]++;
  for (const name of result.outcome.reached) report.coverage[name]++;
  if (result.minimal !== null) report.violations.push(result.minimal);
  if (result.determinismChecked) report.determinism.checked++;
  if (result.mismatch) report.determinism.mismatches.push(result.outcome.seed);
}

export function checkSeedCount(seeds: number): void {
  if (!Number.isInteger(seeds) || seeds < 1)
    throw new RangeError(`seeds must be a whole number >= 1, found ${seeds}`);
}

export function swarm(source: ScenarioSource, options: SwarmOptions): SwarmReport {
  const seeds = new SwarmSeeds(source, options);
  checkSeedCount(options.seeds);
  const report = seeds.emptyReport();
  for (let seed = seeds.first; seed < seeds.first + options.seeds; seed++) {
    if (options.shouldStop?.() === true) break;
    if (report.violations.length >= (options.maxViolations ?? Infinity)) break;
    if (options.only !== undefined && !options.only(seed)) continue;
    const result = seeds.run(seed);
    addSeed(report, result);
    options.onSeed?.(result.outcome);
    options.onResult?.(seed, result);
  }
  return report;
}

/** One seed: its case, run with the checkers; when something breaks, the shrunk minimal case. */
function runSeed(
  source: ScenarioSource,
  seed: number,
  caseOf: fc.Arbitrary<Case>,
  invariants: readonly Invariant[],
  probes: readonly Probe[],
): { seed: SeedOutcome; drawn: Case; minimal: MinimalCase | null } {
  let drawn: Case | null = null;
  let firstRun: SeedOutcome | null = null;
  /** The invariant the first run broke: shrinking keeps only cases that break the same one. */
  let target: string | null = null;
  const breaks = (c: Case, scale = 1): Violation | null => {
    const scenario = scaled(source.withFaults(c.faults), scale).scenario();
    const run = runChecked(scenario, { seed, invariants, probes });
    if (firstRun === null) {
      drawn = c;
      firstRun = {
        seed,
        kinds: c.kinds,
        faults: c.faults.length,
        reached: run.reached,
        violation: run.violation,
      };
      target = run.violation?.invariant ?? null;
    }
    return run.violation !== null && run.violation.invariant === target ? run.violation : null;
  };
  const details = fc.check(
    fc.property(caseOf, (c) => breaks(c) === null),
    { seed, numRuns: 1, endOnFailure: false },
  );
  const outcome = firstRun as unknown as SeedOutcome;
  if (!details.failed || details.counterexample === null)
    return { seed: outcome, drawn: drawn as unknown as Case, minimal: null };
  const [shrunk] = details.counterexample;
  let scale = 1;
  let violation = breaks(shrunk) as Violation;
  // The load halved while the same invariant still breaks (at most 1/16 of it).
  for (let next = 0.5; next >= 1 / 16; next /= 2) {
    const v = breaks(shrunk, next);
    if (v === null) break;
    scale = next;
    violation = v;
  }
  const text = caseText(source, shrunk.faults, seed, scale, violation);
  return {
    seed: outcome,
    drawn: drawn as unknown as Case,
    minimal: {
      seed,
      invariant: violation.invariant,
      message: violation.message,
      atMs: violation.atMs,
      faults: shrunk.faults,
      loadScale: scale,
      text,
      violation,
    },
  };
}

/** The source with every load's rate scaled by `scale` (arrival-rate loads; VUs by their count). */
function scaled(source: ScenarioSource, scale: number): ScenarioSource {
  if (scale === 1) return source;
  const scenario: Scenario = source.scenario();
  const values: Record<string, unknown> = {};
  scenario.load.forEach((load, i) => {
    const perS = (perMs: number) => Number((perMs * 1000 * scale).toPrecision(6));
    const vus = (n: number) => (n === 0 ? 0 : Math.max(1, Math.round(n * scale)));
    if (load.executor === "constant-arrival-rate") {
      values[`load[${i}].rate`] = perS(load.ratePerMs);
      values[`load[${i}].timeUnit`] = "1s";
    } else if (load.executor === "ramping-arrival-rate") {
      values[`load[${i}].startRate`] = perS(load.startRatePerMs);
      values[`load[${i}].timeUnit`] = "1s";
      load.stages.forEach((stage, j) => {
        values[`load[${i}].stages[${j}].target`] = perS(stage.target);
      });
    } else if (load.executor === "constant-vus") {
      values[`load[${i}].vus`] = vus(load.vus);
    } else {
      values[`load[${i}].startVUs`] = vus(load.startVUs);
      load.stages.forEach((stage, j) => {
        values[`load[${i}].stages[${j}].target`] = vus(stage.target);
      });
    }
  });
  return source.with(values);
}

function caseText(
  source: ScenarioSource,
  faults: FaultDocument[],
  seed: number,
  scale: number,
  violation: Violation,
): string {
  const named = violation.invariant in BUILT_IN_INVARIANTS ? [violation.invariant] : [];
  const text = scaled(source.withFaults(faults), scale).with({ seed, invariants: named }).text();
  const header = [
    `# meshsim swarm: the minimal case of seed ${seed} that breaks invariant ${violation.invariant}`,
    `# at ${violation.atMs.toFixed(3)} ms: ${violation.message.replace(/\n/g, " ")}`,
    `# ${faults.length} fault(s)${scale === 1 ? "" : `, load scaled by ${scale}`}. Replay: meshsim run <this file> (exits 3).`,
  ];
  return `${header.join("\n")}\n${text}`;
}
