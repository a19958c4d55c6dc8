// The highest arrival rate a load can take with every threshold passing, as AIPerf's monotonic
// search and k6's breakpoint test look for it but with an interval on every verdict: from the
// file's rate, double (or halve) until a rate fails (or passes), then bisect the bracket
// [highest passing, lowest failing] until its width is within the precision of the passing rate.
// A rate left undecided at the seed cap means the figure sits on the limit there; the search then
// narrows the gaps on either side of it, and reports the bracket it could reach. The binding
// threshold is the one failing worst at the lowest failing rate; a "cliff" is a binding figure
// that jumps across the bracket (by more than half its limit) instead of rising smoothly.

import type { MaxRate, RatePoint, ThresholdMargin } from "../../result/capacity.ts";
import { roundSig } from "../../result/round.ts";
import { backlog } from "./decide.ts";
import type { Candidate, Evaluated, PointOracle } from "./evaluator.ts";
import { pointThresholds } from "./evaluator.ts";
import { thresholdMargin } from "./margins.ts";

/** The search doubles at most this many times from the file's rate (×64), or halves (÷1024). */
const MAX_DOUBLINGS = 6;
const MAX_HALVINGS = 10;
/** A jump of the binding figure, relative to its limit, beyond which the boundary is a cliff. */
export const CLIFF_JUMP = 0.5;

export interface RateLoad {
  name: string;
  timeUnit: string;
  /** The file's rate (a ramping load's peak), per timeUnit. */
  fileRate: number;
  /** The candidate that runs the load at `rate` (per timeUnit). */
  candidate(rate: number): Candidate;
}

function roundRate(x: number): number {
  return Number(x.toPrecision(6));
}

export class MaxRateSearch {
  private readonly seen: { rate: number; step: RatePoint["step"]; record: Evaluated }[] = [];
  private pass: number | null = null;
  private fail: number | null = null;
  private readonly contradictions: { passes: number; fails: number }[] = [];

  constructor(
    private readonly evaluator: PointOracle,
    private readonly load: RateLoad,
    private readonly precision: number,
  ) {}

  async run(): Promise<MaxRate> {
    const r0 = this.load.fileRate;
    const first = await this.probe([r0], "start");
    const verdict = first[0].verdict;
    if (verdict !== "fail")
      for (let k = 1; k <= MAX_DOUBLINGS && this.fail === null; k++)
        await this.probe([roundRate(r0 * 2 ** k)], "bracket");
    if (verdict !== "pass")
      for (let k = 1; k <= MAX_HALVINGS && this.pass === null; k++)
        await this.probe([roundRate(r0 / 2 ** k)], "bracket");
    if (this.pass !== null && this.fail !== null) await this.bisect();
    return this.outcome();
  }

  private async probe(rates: readonly number[], step: RatePoint["step"]): Promise<Evaluated[]> {
    const records = await this.evaluator.evaluate(rates.map((r) => this.load.candidate(r)));
    rates.forEach((rate, i) => {
      if (this.seen.some((s) => s.rate === rate)) return;
      const record = records[i];
      this.seen.push({ rate, step, record });
      if (record.verdict === "pass") {
        for (const s of this.seen)
          if (s.record.verdict === "fail" && s.rate <= rate)
            this.contradictions.push({ passes: rate, fails: s.rate });
        if (this.fail === null || rate < this.fail) this.pass = Math.max(this.pass ?? 0, rate);
      } else if (record.verdict === "fail") {
        for (const s of this.seen)
          if (s.record.verdict === "pass" && s.rate >= rate)
            this.contradictions.push({ passes: s.rate, fails: rate });
        if (this.pass === null || rate > this.pass)
          this.fail = Math.min(this.fail ?? Number.POSITIVE_INFINITY, rate);
      }
    });
    return records;
  }

  private width(): number {
    return (this.fail! - this.pass!) / this.pass!;
  }

  /** Narrows [pass, fail] to the precision, around any undecided rates inside it. */
  private async bisect(): Promise<void> {
    while (this.width() > this.precision) {
      const p = this.pass!;
      const f = this.fail!;
      const inside = this.seen
        .filter((s) => s.record.verdict === "undecided" && s.rate > p && s.rate < f)
        .map((s) => s.rate)
        .sort((a, b) => a - b);
      const gaps: [number, number][] =
        inside.length === 0
          ? [[p, f]]
          : [
              [p, inside[0]],
              [inside[inside.length - 1], f],
            ];
      const probes = gaps
        .filter(([a, b]) => inside.length === 0 || (b - a) / p > this.precision / 2)
        .map(([a, b]) => roundRate((a + b) / 2))
        .filter((r) => r > p && r < f && !this.seen.some((s) => s.rate === r));
      if (probes.length === 0) return;
      await this.probe(probes, "bisect");
    }
  }

  private at(rate: number | null): Evaluated | null {
    return rate === null ? null : (this.seen.find((s) => s.rate === rate)?.record ?? null);
  }

  private outcome(): MaxRate {
    const width = this.pass !== null && this.fail !== null ? this.width() : null;
    const status =
      this.pass === null
        ? this.fail === null
          ? "undecided"
          : "none"
        : width !== null && width <= this.precision
          ? "found"
          : "undecided";
    const { binding, jump } = this.binding();
    const points: RatePoint[] = [...this.seen]
      .sort((a, b) => a.record.order - b.record.order)
      .map((s) => ({
        order: s.record.order,
        step: s.step,
        rate: s.rate,
        seeds: s.record.digests.length,
        verdict: s.record.verdict,
        thresholds: pointThresholds(s.record),
        unfinished: roundSig(backlog(s.record.digests)),
      }));
    return {
      load: this.load.name,
      timeUnit: this.load.timeUnit,
      fileRate: this.load.fileRate,
      status,
      met: this.pass !== null,
      maxRate: this.pass,
      bracket: [this.pass, this.fail],
      headroom: this.pass === null ? null : roundRate(this.pass / this.load.fileRate - 1),
      precision: this.precision,
      achieved: width === null ? null : roundRate(width),
      binding,
      cliff: status === "found" && jump !== null && jump > CLIFF_JUMP,
      jump,
      contradictions: this.contradictions,
      runs: this.seen.reduce((n, s) => n + s.record.digests.length, 0),
      points,
    };
  }

  /** The threshold failing worst at the lowest failing rate, and its jump from the passing rate. */
  private binding(): { binding: ThresholdMargin | null; jump: number | null } {
    const failing = this.at(this.fail);
    if (failing === null) return { binding: null, jump: null };
    const margins = failing.scenario.thresholds.map((_, t) => thresholdMargin(failing, t));
    let worst = 0;
    margins.forEach((m, t) => {
      if (m.margin < margins[worst].margin) worst = t;
    });
    const passing = this.at(this.pass);
    const jump =
      passing === null
        ? null
        : roundRate(thresholdMargin(passing, worst).margin - margins[worst].margin);
    return { binding: margins[worst], jump };
  }
}
