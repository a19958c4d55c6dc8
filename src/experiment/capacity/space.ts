// The space a capacity search moves in: one dimension per varied path, each an ascending list of
// values with a cost weight, and a point as one index per dimension. Cost is Σ weight × value;
// points are ordered by cost, then by their values (the first path first), so "the cheapest" is
// always one point. Dominance (at least as much of everything) is what monotonicity talks about.
import { pointLabel } from "../grid.ts";
import type { Assignment, PathSegment } from "../source.ts";

export interface Dimension {
  path: PathSegment[];
  /** As written in messages and output: `services.payment.instances`. */
  name: string;
  /** Ascending, distinct. */
  values: number[];
  weight: number;
}

/** A point: an index into each dimension's values. */
export type Index = readonly number[];

export class Space {
  constructor(readonly dims: readonly Dimension[]) {}

  get size(): number {
    return this.dims.reduce((n, d) => n * d.values.length, 1);
  }

  top(): number[] {
    return this.dims.map((d) => d.values.length - 1);
  }

  cost(index: Index): number {
    let total = 0;
    this.dims.forEach((d, i) => {
      total += d.weight * d.values[index[i]];
    });
    return Number(total.toPrecision(12));
  }

  /** Negative when a comes first: cheaper, or as cheap with lower values in the first path that differs. */
  compare(a: Index, b: Index): number {
    const byCost = this.cost(a) - this.cost(b);
    if (byCost !== 0) return byCost;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
    return 0;
  }

  assignments(index: Index): Assignment[] {
    return this.dims.map((d, i) => ({ path: d.path, value: d.values[index[i]] }));
  }

  record(index: Index): Record<string, number> {
    return Object.fromEntries(this.dims.map((d, i) => [d.name, d.values[index[i]]]));
  }

  label(index: Index): string {
    return pointLabel(this.assignments(index));
  }

  /** The same point with dimension `dim` moved by `step` indices, or null when that leaves the range. */
  moved(index: Index, dim: number, step: number): number[] | null {
    const next = index[dim] + step;
    if (next < 0 || next >= this.dims[dim].values.length) return null;
    const copy = [...index];
    copy[dim] = next;
    return copy;
  }
}

export function indexKey(index: Index): string {
  return index.join(",");
}

/** a ≤ b in every dimension. */
export function dominatedBy(a: Index, b: Index): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] > b[i]) return false;
  return true;
}
