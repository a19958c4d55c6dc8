// The points of a sweep: every combination of the varied paths' values (a full factorial grid,
// the first path varying slowest, as nested loops would), or with `zip` the i-th value of every
// path together. Each point is a list of values to put at paths of the scenario file.
import type { SweepValue } from "../scenario/sweepValues.ts";
import { type Assignment, type PathSegment, renderPath } from "./source.ts";

export interface Axis {
  path: PathSegment[];
  values: SweepValue[];
}

export interface GridPoint {
  set: Assignment[];
  /** `point services.payment.instances=3 load[0].rate=100`, for messages. */
  label: string;
}

/** More points than this is a typo, not an experiment. */
export const MAX_POINTS = 100_000;

export function gridPoints(axes: readonly Axis[], zip: boolean): GridPoint[] {
  if (axes.length === 0) return [];
  const rows = zip ? zipped(axes) : crossed(axes);
  return rows.map((values) => {
    const set = axes.map((axis, i) => ({ path: axis.path, value: values[i] }));
    return { set, label: pointLabel(set) };
  });
}

export function pointLabel(set: readonly Assignment[]): string {
  return `point ${set.map((a) => `${renderPath(a.path)}=${JSON.stringify(a.value)}`).join(" ")}`;
}

function crossed(axes: readonly Axis[]): SweepValue[][] {
  const size = axes.reduce((n, axis) => n * axis.values.length, 1);
  if (size > MAX_POINTS)
    throw new RangeError(`the grid has ${size} points; at most ${MAX_POINTS} per experiment`);
  let rows: SweepValue[][] = [[]];
  for (const axis of axes) rows = rows.flatMap((row) => axis.values.map((v) => [...row, v]));
  return rows;
}

function zipped(axes: readonly Axis[]): SweepValue[][] {
  const lengths = axes.map((axis) => axis.values.length);
  if (new Set(lengths).size > 1) {
    const detail = axes.map((a, i) => `${renderPath(a.path)} has ${lengths[i]}`).join(", ");
    throw new RangeError(`--zip pairs values one to one, so every path needs as many: ${detail}`);
  }
  return Array.from({ length: lengths[0] }, (_, i) => axes.map((axis) => axis.values[i]));
}
