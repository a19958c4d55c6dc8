// What the load-time check knows of a node's value: its PromQL type and, for series, their label
// names, which a matcher or rule label pins to one value, and whether they are counter samples.

export type Shape =
  | { type: "scalar" | "string" }
  | {
      type: "vector" | "matrix";
      labels: readonly string[];
      pinned: ReadonlySet<string>;
      counter: boolean;
    };
export type SeriesOf = Extract<Shape, { type: "vector" | "matrix" }>;

export function list(labels: readonly string[]): string {
  return labels.length === 0 ? "(none)" : labels.join(", ");
}

export function unique(labels: readonly string[]): string[] {
  return [...new Set(labels)];
}
