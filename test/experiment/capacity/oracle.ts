// A synthetic point oracle for the capacity searches: no simulation, each point's verdict and
// margin from a function of its values, so the search's logic can be checked against brute force
// on any lattice. The one threshold is `figure < 0` where figure = −margin(point): it passes when
// the margin is positive, fails when negative, and a point within `fuzz` of zero is undecided.
import type {
  Candidate,
  Evaluated,
  PointOracle,
} from "../../../src/experiment/capacity/evaluator.ts";
import type { Scenario } from "../../../src/experiment/source.ts";

const SCENARIO = {
  thresholds: [{ metric: "latency", load: null, expression: "avg<0", operator: "<", value: 0 }],
} as unknown as Scenario;

export class SyntheticOracle implements PointOracle {
  readonly records = new Map<string, Evaluated>();
  /** Calls to evaluate() (each a wave of the real engine). */
  waves = 0;

  constructor(
    /** The margin at a point, from its values in the order of the space's paths. */
    private readonly margin: (values: number[]) => number,
    private readonly fuzz = 0,
    /** Seeds a point "runs" (the runs count is points × seeds). */
    private readonly seeds = 1,
  ) {}

  get(key: string): Evaluated | undefined {
    return this.records.get(key);
  }

  get runs(): number {
    return this.records.size * this.seeds;
  }

  async evaluate(candidates: readonly Candidate[]): Promise<Evaluated[]> {
    this.waves++;
    for (const c of candidates) {
      if (this.records.has(c.key)) continue;
      const m = this.margin(c.set.map((a) => a.value as number));
      const verdict = Math.abs(m) <= this.fuzz ? "undecided" : m > 0 ? "pass" : "fail";
      const digests = Array.from({ length: this.seeds }, (_, seed) => ({
        seed,
        thresholds: [-m],
        loads: [],
      }));
      this.records.set(c.key, {
        ...c,
        order: this.records.size + 1,
        scenario: SCENARIO,
        digests: digests as unknown as Evaluated["digests"],
        verdict,
      });
    }
    return candidates.map((c) => this.records.get(c.key)!);
  }
}
