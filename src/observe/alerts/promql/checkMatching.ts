// The load-time check of a binary operation's vector matching, as Prometheus matches (one-to-one,
// group_left, group_right, on/ignoring): the matching labels exist on both sides, the sides'
// signatures agree, and the "one" side cannot hold several series per match (Prometheus fails such
// a query at run time). Gives the result's labels.
import type { Span, VectorMatching } from "./ast.ts";
import { list, type SeriesOf, unique } from "./shape.ts";

export function checkMatching(
  left: SeriesOf,
  right: SeriesOf,
  matching: VectorMatching | null,
  opSpan: Span,
  fail: (what: string, span: Span) => never,
): SeriesOf {
  const on = matching?.on === true;
  const named = matching?.labels ?? [];
  const card = matching?.card ?? "one-to-one";
  const signature = (side: SeriesOf) =>
    on ? named : side.labels.filter((l) => !named.includes(l));
  const where = matching?.span ?? opSpan;
  if (on) {
    for (const [side, shape] of [
      ["left", left],
      ["right", right],
    ] as const) {
      const missing = named.filter((l) => !shape.labels.includes(l));
      if (missing.length > 0)
        fail(
          `on(${named.join(", ")}): the ${side} side has no label ${missing.join(", ")}; its labels are ${list(shape.labels)}`,
          where,
        );
    }
  }
  const sigLeft = signature(left);
  const sigRight = signature(right);
  if (!sameSet(sigLeft, sigRight) && (card === "one-to-one" || !on)) {
    fail(
      `the two sides have different labels (left: ${list(sigLeft)}; right: ${list(sigRight)}), so no series would match; ` +
        "aggregate both to the same labels first (e.g. sum by (service) (...)) or match on(...) / ignoring(...)",
      where,
    );
  }
  // The "one" side(s): both for one-to-one, the right for group_left, the left for group_right.
  const ones: ["left" | "right", SeriesOf, readonly string[]][] =
    card === "one-to-one"
      ? [
          ["left", left, sigLeft],
          ["right", right, sigRight],
        ]
      : card === "many-to-one"
        ? [["right", right, sigRight]]
        : [["left", left, sigLeft]];
  for (const [side, shape, sig] of ones) {
    const loose = shape.labels.filter((l) => !sig.includes(l) && !shape.pinned.has(l));
    if (loose.length > 0) {
      const many = side === "left" ? "group_left" : "group_right";
      fail(
        `several series of the ${side} side could match one series of the other (they differ in ${loose.join(", ")}); ` +
          (card === "one-to-one"
            ? `match many-to-one with ${many}, aggregate them first, e.g. sum without (${loose.join(", ")}) (...), or pin ${loose.join(", ")} with a matcher`
            : `the ${side} side of a ${card === "many-to-one" ? "group_left" : "group_right"} match must be unique per match: aggregate it first or pin ${loose.join(", ")} with a matcher`),
        where,
      );
    }
  }
  if (card === "one-to-one") {
    const labels = on ? named : left.labels.filter((l) => !named.includes(l));
    return {
      type: "vector",
      labels,
      pinned: new Set([...left.pinned].filter((l) => labels.includes(l))),
      counter: false,
    };
  }
  const [many, one] = card === "many-to-one" ? [left, right] : [right, left];
  const include = matching!.include;
  for (const label of include) {
    if (!one.labels.includes(label))
      fail(
        `${card === "many-to-one" ? "group_left" : "group_right"}(${include.join(", ")}): the "one" side has no label ${label}; its labels are ${list(one.labels)}`,
        where,
      );
  }
  const labels = unique([...many.labels, ...include]);
  return {
    type: "vector",
    labels,
    pinned: new Set([...many.pinned].filter((l) => !include.includes(l) || one.pinned.has(l))),
    counter: false,
  };
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((l) => b.includes(l));
}
