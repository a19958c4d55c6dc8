// The cheapest point meeting every threshold, found by search rather than by a grid. It assumes
// monotonicity (more of any varied path never makes a threshold worse) and checks it on every
// pair of decided points. Steps: the corner (everything at its highest: if that fails, nothing
// passes); each dimension's floor by bisection with the others at their highest, starting at the
// model's bound; the point of all floors (when it passes it is the answer); otherwise grow from
// it, each step buying the most margin on the binding threshold per unit of cost, to a passing
// point, and lower that one dimension at a time; then prove it: every cheaper point of the box
// must fail, so the highest cheaper points not yet known to fail are run (a failure there settles
// everything below it), and any that passes is lowered and becomes the best. Last, the cheaper
// neighbours (the report says why each fails) and a short profile along each dimension. When runs
// contradict monotonicity, the answer is walked down through its cheaper neighbours instead.

import type { SearchStep } from "../../result/capacity.ts";
import { ScenarioError } from "../source.ts";
import type { Evaluated, PointOracle } from "./evaluator.ts";
import { FloorSearch } from "./floors.ts";
import { marginGain } from "./margins.ts";
import { dominatedBy, type Index, indexKey, type Space } from "./space.ts";

/** More candidates than this below the best point is a space too wide to prove in. */
export const MAX_CANDIDATES = 200_000;

export interface CheapestOutcome {
  status: "found" | "none" | "undecided";
  best: number[] | null;
  /** Per dimension: the floor's index (null where not searched). */
  floors: (number | null)[];
  contradictions: { passes: Index; fails: Index }[];
  /** Evaluated points cheaper than the best that stayed undecided and are not known to fail. */
  undecided: Index[];
  /** Each dimension's point one step cheaper than the best (null at the bottom of its range). */
  neighbours: (number[] | null)[];
}

export interface CheapestOptions {
  /** Evaluate every point of the grid instead of searching (to check the search). */
  grid: boolean;
  /** Points evaluated on each side of the answer along each dimension, for the report's charts. */
  profile: number;
}

export class CheapestSearch {
  private readonly indices = new Map<string, number[]>();
  private readonly passes: number[][] = [];
  private readonly fails: number[][] = [];
  private readonly contradictions: { passes: Index; fails: Index }[] = [];

  constructor(
    private readonly space: Space,
    private readonly evaluator: PointOracle,
    /** Per dimension, the index of the first value at or above the model's bound, or null. */
    private readonly boundIndices: (number | null)[],
  ) {}

  /** Every point evaluated so far, as indices. */
  get evaluated(): Index[] {
    return [...this.indices.values()];
  }

  async run(options: CheapestOptions): Promise<CheapestOutcome> {
    const floors: (number | null)[] = this.space.dims.map(() => null);
    const finish = async (best: number[] | null, status: CheapestOutcome["status"]) =>
      this.finish(best, status, floors, options.profile);
    if (options.grid) return finish(...(await this.grid()));
    const [corner] = await this.evaluate([this.space.top()], "corner");
    if (corner.verdict !== "pass")
      return finish(null, corner.verdict === "fail" ? "none" : "undecided");
    const found = await this.findFloors();
    found.forEach((f, i) => {
      floors[i] = f;
    });
    let best = await this.start(found);
    best = await this.prove(best);
    return finish(best, "found");
  }

  // -------------------------------------------------------------------------------------------
  // Evaluation and what it tells about other points.

  /** Runs the points in one wave; `step` is what the search was doing, for each point or all. */
  private async evaluate(
    points: readonly Index[],
    step: SearchStep | readonly SearchStep[],
  ): Promise<Evaluated[]> {
    const records = await this.evaluator.evaluate(
      points.map((index, i) => ({
        key: indexKey(index),
        set: this.space.assignments(index),
        label: this.space.label(index),
        step: typeof step === "string" ? step : step[i],
      })),
    );
    points.forEach((index, i) => {
      const key = indexKey(index);
      if (this.indices.has(key)) return;
      this.indices.set(key, [...index]);
      this.classify([...index], records[i]);
    });
    return records;
  }

  private classify(index: number[], record: Evaluated): void {
    if (record.verdict === "pass") {
      for (const f of this.fails)
        if (dominatedBy(index, f)) this.contradictions.push({ passes: index, fails: f });
      this.passes.push(index);
    } else if (record.verdict === "fail") {
      for (const p of this.passes)
        if (dominatedBy(p, index)) this.contradictions.push({ passes: p, fails: index });
      this.fails.push(index);
    }
  }

  private record(index: Index): Evaluated | undefined {
    return this.evaluator.get(indexKey(index));
  }

  /** Known to fail: at or below a point that failed. */
  private killed(index: Index): boolean {
    return this.fails.some((f) => dominatedBy(index, f));
  }

  private verdictOf(index: Index): "pass" | "fail" | "undecided" | null {
    const record = this.record(index);
    if (record !== undefined) return record.verdict;
    if (this.killed(index)) return "fail";
    if (this.passes.some((p) => dominatedBy(p, index))) return "pass";
    return null;
  }

  // -------------------------------------------------------------------------------------------
  // Floors, the start, growing and lowering.

  /** Each dimension's floor, all dimensions' probes in the same waves. */
  private async findFloors(): Promise<number[]> {
    const top = this.space.top();
    const searches = top.map((t, i) => new FloorSearch(t, this.boundIndices[i]));
    for (;;) {
      const probes = searches.flatMap((s, i) => {
        const at = s.next();
        return at === null ? [] : [{ dim: i, index: top.map((t, j) => (j === i ? at : t)) }];
      });
      if (probes.length === 0) break;
      const records = await this.evaluate(
        probes.map((p) => p.index),
        "floor",
      );
      probes.forEach((p, k) => {
        searches[p.dim].record(p.index[p.dim], records[k].verdict);
      });
    }
    return searches.map((s) => s.floor);
  }

  /** The point of all floors if it passes; else grown from it to a passing point and lowered. */
  private async start(floors: number[]): Promise<number[]> {
    const [start] = await this.evaluate([floors], "start");
    if (start.verdict === "pass") return floors;
    let x = floors;
    for (;;) {
      const ups = this.space.dims.flatMap((_, i) => {
        const up = this.space.moved(x, i, 1);
        return up === null ? [] : [{ dim: i, index: up }];
      });
      const records = await this.evaluate(
        ups.map((u) => u.index),
        "grow",
      );
      const passing = ups.filter((_, k) => records[k].verdict === "pass");
      if (passing.length > 0) {
        passing.sort((a, b) => this.space.compare(a.index, b.index));
        return this.lower(passing[0].index, passing[0].dim);
      }
      const here = this.record(x)!;
      let pick = ups[0];
      let bestScore = Number.NEGATIVE_INFINITY;
      ups.forEach((u, k) => {
        const dim = this.space.dims[u.dim];
        const price = dim.weight * (dim.values[u.index[u.dim]] - dim.values[x[u.dim]]);
        const score = marginGain(here, records[k]) / price;
        if (score > bestScore) {
          bestScore = score;
          pick = u;
        }
      });
      x = pick.index;
    }
  }

  /** Lowers each dimension of a passing point (but `keep`) to the lowest value that still passes. */
  private async lower(point: number[], keep: number): Promise<number[]> {
    const x = [...point];
    const order = this.space.dims
      .map((d, i) => ({ i, weight: d.weight }))
      .filter(({ i }) => i !== keep)
      .sort((a, b) => b.weight - a.weight || a.i - b.i);
    for (const { i } of order) x[i] = await this.lowest(x, i, "lower");
    return x;
  }

  /** The lowest index of dimension `dim` at which `point` (which passes) still passes. */
  private async lowest(point: number[], dim: number, step: SearchStep): Promise<number> {
    const at = (k: number) => point.map((v, j) => (j === dim ? k : v));
    let pass = point[dim];
    let fail = -1;
    for (let k = pass - 1; k >= 0; k--)
      if (this.killed(at(k))) {
        fail = k;
        break;
      }
    let first = true;
    while (pass - fail > 1) {
      const probe = first ? pass - 1 : Math.floor((fail + pass) / 2);
      first = false;
      const known = this.verdictOf(at(probe));
      const verdict = known ?? (await this.evaluate([at(probe)], step))[0].verdict;
      if (verdict === "pass") pass = probe;
      else fail = probe;
    }
    return pass;
  }

  // -------------------------------------------------------------------------------------------
  // Proving the best point cheapest.

  /** Runs the highest cheaper points not known to fail until none is left; a passing one becomes the best. */
  private async prove(start: number[]): Promise<number[]> {
    let best = start;
    for (;;) {
      // A pass seen on the way (a floor's probe, a step of growth) may be cheaper than the best.
      const seen = [...this.passes].sort((a, b) => this.space.compare(a, b))[0];
      if (seen !== undefined && this.space.compare(seen, best) < 0)
        best = await this.lower(seen, -1);
      const candidates = this.candidates(best);
      if (candidates.length === 0) return best;
      const maximal = candidates.filter(
        (c) => !candidates.some((o) => o !== c && dominatedBy(c, o)),
      );
      maximal.sort((a, b) => this.space.compare(b, a));
      const batch = maximal.slice(0, Math.max(1, this.space.dims.length));
      const records = await this.evaluate(batch, "prove");
      const passing = batch.filter((_, k) => records[k].verdict === "pass");
      passing.sort((a, b) => this.space.compare(a, b));
      if (passing.length > 0 && this.space.compare(passing[0], best) < 0)
        best = await this.lower(passing[0], -1);
    }
  }

  /** Lowest index per dimension not settled by a failure with every other dimension at the top. */
  private lowBounds(): number[] {
    const top = this.space.top();
    return top.map((t, i) => {
      let low = 0;
      for (const f of this.fails) {
        const atTop = f.every((v, j) => j === i || v === top[j]);
        if (atTop) low = Math.max(low, f[i] + 1);
      }
      return Math.min(low, t);
    });
  }

  /** Points before `best` in the search order, not evaluated and not known to fail. */
  private candidates(best: Index): number[][] {
    const low = this.lowBounds();
    const dims = this.space.dims;
    const limit = this.space.cost(best);
    const restMin = dims.map((_, i) =>
      dims.slice(i + 1).reduce((s, d, j) => s + d.weight * d.values[low[i + 1 + j]], 0),
    );
    const out: number[][] = [];
    const point = [...low];
    const walk = (i: number, cost: number) => {
      if (i === dims.length) {
        if (this.space.compare(point, best) >= 0) return;
        if (this.indices.has(indexKey(point)) || this.killed(point)) return;
        if (out.length >= MAX_CANDIDATES)
          throw new ScenarioError([
            {
              file: "",
              line: null,
              column: null,
              path: "",
              message: `more than ${MAX_CANDIDATES} points are cheaper than the best found and not yet ruled out; narrow the --vary ranges`,
            },
          ]);
        out.push([...point]);
        return;
      }
      const d = dims[i];
      for (let k = low[i]; k < d.values.length; k++) {
        const c = cost + d.weight * d.values[k];
        if (c + restMin[i] > limit * (1 + 1e-12)) break;
        point[i] = k;
        walk(i + 1, c);
      }
      point[i] = low[i];
    };
    walk(0, 0);
    return out;
  }

  // -------------------------------------------------------------------------------------------
  // The grid, and what every outcome ends with.

  private async grid(): Promise<[number[] | null, CheapestOutcome["status"]]> {
    const all: number[][] = [];
    const walk = (prefix: number[]) => {
      if (prefix.length === this.space.dims.length) all.push(prefix);
      else
        for (let k = 0; k < this.space.dims[prefix.length].values.length; k++) walk([...prefix, k]);
    };
    walk([]);
    const records = await this.evaluate(all, "grid");
    const passing = all.filter((_, k) => records[k].verdict === "pass");
    passing.sort((a, b) => this.space.compare(a, b));
    if (passing.length > 0) return [passing[0], "found"];
    return [null, records.some((r) => r.verdict === "undecided") ? "undecided" : "none"];
  }

  private async finish(
    start: number[] | null,
    status: CheapestOutcome["status"],
    floors: (number | null)[],
    profile: number,
  ): Promise<CheapestOutcome> {
    let best = start;
    let neighbours = best === null ? [] : this.neighbours(best);
    if (best !== null) {
      // The neighbours (why nothing cheaper works) and the profile (the charts) in one wave.
      const near = neighbours.flatMap((n) => (n === null ? [] : [n]));
      const around = this.profilePoints(best, profile).filter(
        (p) => !near.some((n) => indexKey(n) === indexKey(p)),
      );
      await this.evaluate(
        [...near, ...around],
        [...near.map((): SearchStep => "neighbour"), ...around.map((): SearchStep => "profile")],
      );
      best = await this.descend(best);
      neighbours = this.neighbours(best);
      await this.evaluate(
        neighbours.flatMap((n) => (n === null ? [] : [n])),
        "neighbour",
      );
    }
    const undecided =
      best === null
        ? [...this.indices.values()].filter((i) => this.record(i)!.verdict === "undecided")
        : [...this.indices.values()].filter(
            (i) =>
              this.record(i)!.verdict === "undecided" &&
              this.space.compare(i, best!) < 0 &&
              !this.killed(i),
          );
    const settled = status === "found" && undecided.length > 0 ? "undecided" : status;
    return {
      status: settled,
      best,
      floors,
      contradictions: this.contradictions,
      undecided,
      neighbours,
    };
  }

  private neighbours(best: Index): (number[] | null)[] {
    return this.space.dims.map((_, i) => this.space.moved(best, i, -1));
  }

  /**
   * With monotonicity contradicted, inference is not trusted: start from the cheapest point seen
   * to pass, and while a cheaper neighbour of it passes, move to the cheapest such neighbour.
   */
  private async descend(start: number[]): Promise<number[]> {
    let best = start;
    if (this.contradictions.length > 0) {
      const seen = [...this.passes].sort((a, b) => this.space.compare(a, b))[0];
      if (seen !== undefined && this.space.compare(seen, best) < 0) best = seen;
    }
    while (this.contradictions.length > 0) {
      const below = this.neighbours(best).flatMap((n) => (n === null ? [] : [n]));
      const records = await this.evaluate(below, "descend");
      const passing = below.filter((_, k) => records[k].verdict === "pass");
      if (passing.length === 0) break;
      passing.sort((a, b) => this.space.compare(a, b));
      best = passing[0];
    }
    return best;
  }

  /** Up to `width` steps either side of the best point along each dimension, not yet evaluated. */
  private profilePoints(best: Index, width: number): number[][] {
    const out: number[][] = [];
    this.space.dims.forEach((_, i) => {
      for (let step = -width; step <= width; step++) {
        const p = step === 0 ? null : this.space.moved(best, i, step);
        if (p !== null && !this.indices.has(indexKey(p))) out.push(p);
      }
    });
    return out;
  }
}
