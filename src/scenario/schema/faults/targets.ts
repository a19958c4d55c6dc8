// What a fault acts on, in a scenario file: instances of a service chosen by Chaos Mesh's selector
// modes (`service`, `mode`, `value`), one edge's calls (`edge`), zones, or a partition's two sides
// (`between`). Each target is one strict map whose alternatives exclude each other; a map rather
// than a zod union, so an unknown key lists every allowed one.
// Each target is built when a file has a fault that uses it (../deferred.ts).
import { z } from "zod";
import { deferred, once } from "../deferred.ts";
import { expecting, fields, integer, name, nonEmptyList } from "../leaves.ts";
import { IDENT_PATTERN, NAME_PATTERN } from "../patterns.ts";

/** Chaos Mesh's selector modes (pkg/selector/generic/mode.go). */
export const SELECTOR_MODES = [
  "one",
  "all",
  "fixed",
  "fixed-percent",
  "random-max-percent",
] as const;

/** `from` of an edge: a service, or `load:<name>` for a load's clients (as in the result's edge keys). */
export const EDGE_FROM_PATTERN = /^(?:load:[A-Za-z0-9_.-]+|[A-Za-z0-9_-]+)$/;

const serviceRef = z.string({ error: expecting("a service name") }).regex(IDENT_PATTERN);
const zoneList = nonEmptyList("zone", name(NAME_PATTERN, "letters, digits, _, . and -"));

/** The selector fields every target has; built with the first target a file uses (../deferred.ts). */
const selection = once(() => ({
  service: serviceRef.optional().describe("The service whose instances are selected."),
  mode: z
    .enum(SELECTOR_MODES, { error: expecting(`a mode, one of ${SELECTOR_MODES.join(", ")}`) })
    .optional()
    .describe(
      "Chaos Mesh selector mode (default all): one, all, fixed (value instances), fixed-percent, random-max-percent.",
    ),
  value: integer(0, "an integer ≥ 0 (an instance count for fixed, a percent for the percent modes)")
    .optional()
    .describe(
      "fixed: how many instances; fixed-percent: percent of them, rounded down; random-max-percent: the largest percent.",
    ),
}));

const NEEDS_VALUE: ReadonlySet<string> = new Set(["fixed", "fixed-percent", "random-max-percent"]);

interface RawSelection {
  service?: string;
  mode?: (typeof SELECTOR_MODES)[number];
  value?: number;
}

type RefineContext = z.core.$RefinementCtx<unknown>;

/** Exactly one of `alternatives` is given; `mode` and `value` only beside `service`, `value` exactly when the mode needs one. */
function checkTarget(
  target: RawSelection & Record<string, unknown>,
  alternatives: readonly string[],
  ctx: RefineContext,
): void {
  const given = alternatives.filter((key) => target[key] !== undefined);
  const either = alternatives.join(", ");
  if (given.length === 0 && alternatives.length === 1) {
    ctx.addIssue({
      code: "custom",
      path: [alternatives[0]],
      input: undefined,
      message: "is required; expected a service name",
    });
    return;
  }
  if (given.length === 0) {
    ctx.addIssue({ code: "custom", input: target, message: `a target needs one of: ${either}` });
    return;
  }
  if (given.length > 1) {
    ctx.addIssue({
      code: "custom",
      input: target,
      message: `a target takes only one of: ${either}; found ${given.join(" and ")}`,
    });
    return;
  }
  if (target.service === undefined) {
    for (const key of ["mode", "value"] as const) {
      if (target[key] !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          input: target[key],
          message: `\`${key}\` selects instances, so it goes with \`service\`, not \`${given[0]}\``,
        });
      }
    }
    return;
  }
  const mode = target.mode ?? "all";
  if (NEEDS_VALUE.has(mode) && target.value === undefined) {
    const what = mode === "fixed" ? "how many instances" : "a percent from 1 to 100";
    ctx.addIssue({
      code: "custom",
      path: ["value"],
      input: undefined,
      message: `is required with mode ${mode}; expected ${what}`,
    });
  } else if (!NEEDS_VALUE.has(mode) && target.value !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["value"],
      input: target.value,
      message: `mode ${mode} takes no value; value goes with fixed, fixed-percent and random-max-percent`,
    });
  }
}

// Each target is built when a file has a fault that uses it (../deferred.ts).

export const instanceTarget = deferred(() =>
  fields("an instance target", selection()).superRefine((t, ctx) =>
    checkTarget(t, ["service"], ctx),
  ),
);

const edge = deferred(() =>
  fields("an edge", {
    from: z
      .string({ error: expecting("a service name, or load:<name> for a load's clients") })
      .regex(EDGE_FROM_PATTERN)
      .describe("The calling service, or load:<name> for a load's clients."),
    to: serviceRef.describe("The called service."),
  }),
);

export const trafficTarget = deferred(() =>
  fields("a traffic target", {
    ...selection(),
    edge: edge
      .optional()
      .describe("The calls from one caller to one service, instead of instances."),
  }).superRefine((t, ctx) => checkTarget(t, ["service", "edge"], ctx)),
);

export const partitionSide = deferred(() =>
  fields("a partition side", {
    ...selection(),
    zones: zoneList.optional().describe("Every instance and client in these zones."),
  }).superRefine((t, ctx) => checkTarget(t, ["service", "zones"], ctx)),
);

export const partitionTarget = deferred(() =>
  fields("a partition target", {
    ...selection(),
    zones: zoneList.optional().describe("These zones, cut off from everything else."),
    between: z
      .array(partitionSide, {
        error: expecting("a list of two sides, e.g. [{ zones: [a] }, { zones: [b, c] }]"),
      })
      .length(2, "needs exactly two sides, e.g. [{ zones: [a] }, { zones: [b, c] }]")
      .optional()
      .describe("Two sides that cannot reach each other; the rest of the mesh reaches both."),
  }).superRefine((t, ctx) => checkTarget(t, ["service", "zones", "between"], ctx)),
);

export type RawSelectorTarget = z.output<typeof instanceTarget>;
export type RawTrafficTarget = z.output<typeof trafficTarget>;
export type RawPartitionTarget = z.output<typeof partitionTarget>;
export type RawPartitionSide = z.output<typeof partitionSide>;
