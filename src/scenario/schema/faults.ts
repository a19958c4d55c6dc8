// The zod schema of a scenario's `faults` list: one strict shape per kind, discriminated by `kind`,
// named after Chaos Mesh (kinds, selector `mode`/`value`), Istio HTTPFaultInjection (`delay`,
// `abort.httpStatus`, `percentage`) and Toxiproxy (latency `jitter`). Shapes, values and relations
// within one fault only: services, loads, zones, instance counts and names are src/faults/resolve.ts's.
import { z } from "zod";
import {
  describeFound,
  duration,
  expecting,
  fields,
  integer,
  name,
  nonEmptyList,
} from "./leaves.ts";
import { IDENT_PATTERN, NAME_PATTERN } from "./patterns.ts";

export const FAULT_KINDS = [
  "pod-kill",
  "pod-failure",
  "delay",
  "abort",
  "cpu-stress",
  "partition",
  "registry-outage",
] as const;

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

// ---------------------------------------------------------------------------------------------
// Targets. Each is one strict map whose alternatives (service | edge | zones | between) exclude
// each other; a map rather than a zod union, so an unknown key lists every allowed one.

const selection = {
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
};

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

const instanceTarget = fields("an instance target", selection).superRefine((t, ctx) =>
  checkTarget(t, ["service"], ctx),
);

const edge = fields("an edge", {
  from: z
    .string({ error: expecting("a service name, or load:<name> for a load's clients") })
    .regex(EDGE_FROM_PATTERN)
    .describe("The calling service, or load:<name> for a load's clients."),
  to: serviceRef.describe("The called service."),
});

const trafficTarget = fields("a traffic target", {
  ...selection,
  edge: edge.optional().describe("The calls from one caller to one service, instead of instances."),
}).superRefine((t, ctx) => checkTarget(t, ["service", "edge"], ctx));

const partitionSide = fields("a partition side", {
  ...selection,
  zones: zoneList.optional().describe("Every instance and client in these zones."),
}).superRefine((t, ctx) => checkTarget(t, ["service", "zones"], ctx));

const partitionTarget = fields("a partition target", {
  ...selection,
  zones: zoneList.optional().describe("These zones, cut off from everything else."),
  between: z
    .array(partitionSide, {
      error: expecting("a list of two sides, e.g. [{ zones: [a] }, { zones: [b, c] }]"),
    })
    .length(2, "needs exactly two sides, e.g. [{ zones: [a] }, { zones: [b, c] }]")
    .optional()
    .describe("Two sides that cannot reach each other; the rest of the mesh reaches both."),
}).superRefine((t, ctx) => checkTarget(t, ["service", "zones", "between"], ctx));

// ---------------------------------------------------------------------------------------------
// Kinds: one strict shape each, so another kind's key is an error.

function kind<K extends (typeof FAULT_KINDS)[number], S extends z.core.$ZodLooseShape>(
  faultKind: K,
  shape: S,
) {
  return fields(`a ${faultKind} fault`, {
    name: name(NAME_PATTERN, "letters, digits, _, . and -")
      .optional()
      .describe("Unique; default <kind>-<index>."),
    kind: z.literal(faultKind),
    at: duration("nonnegative").describe("When the fault starts, in simulated time."),
    ...shape,
  });
}

const lasting = duration("positive")
  .optional()
  .describe("How long the fault lasts; absent: until the end of the run.");
const percentage = z
  .number({ error: expecting("a percent from 0 to 100") })
  .min(0)
  .max(100)
  .default(100)
  .describe("Share of calls affected (Istio percentage.value), default 100.");

const KIND_WHAT = `a fault kind, one of ${FAULT_KINDS.join(", ")}`;

const faultEntry = z.discriminatedUnion(
  "kind",
  [
    kind("pod-kill", {
      restartAfter: duration("positive")
        .optional()
        .describe("The killed instances restart after this; absent: they stay down."),
      target: instanceTarget,
    }),
    kind("pod-failure", { duration: lasting, target: instanceTarget }),
    kind("delay", {
      duration: lasting,
      delay: duration("positive").describe(
        "Added one-way delay on the request (Istio fixedDelay, Toxiproxy latency).",
      ),
      jitter: duration("nonnegative")
        .prefault(0)
        .describe("Toxiproxy jitter: the delay is uniform on [delay − jitter, delay + jitter)."),
      percentage,
      target: trafficTarget,
    }).superRefine((fault, ctx) => {
      if (fault.jitter > fault.delay) {
        ctx.addIssue({
          code: "custom",
          path: ["jitter"],
          input: fault.jitter,
          message: "must be at most the delay, so the delay never goes below 0",
        });
      }
    }),
    kind("abort", {
      duration: lasting,
      httpStatus: integer(400, "an HTTP status from 400 to 599")
        .max(599)
        .describe("The status aborted calls get (Istio abort.httpStatus)."),
      percentage,
      target: trafficTarget,
    }),
    kind("cpu-stress", {
      duration: lasting,
      factor: z
        .number({ error: expecting("a service-time multiplier greater than 1, e.g. 3") })
        .gt(1)
        .describe("Service times at the selected instances are multiplied by this."),
      target: instanceTarget,
    }),
    kind("partition", { duration: lasting, target: partitionTarget }),
    kind("registry-outage", { duration: lasting }),
  ],
  {
    error: (issue) => {
      if (issue.code !== "invalid_union")
        return expecting("a fault (a map with kind, at and target)")(issue);
      const found = (issue.input as Record<string, unknown> | undefined)?.kind;
      return found === undefined
        ? `is required; expected ${KIND_WHAT}`
        : `expected ${KIND_WHAT}, found ${describeFound(found)}`;
    },
  },
);

/** The `faults` root field: a list, empty by default. */
export const faultsSchema = z
  .array(faultEntry, { error: expecting("a list of faults") })
  .default([])
  .describe(
    "Faults on the simulated clock: Chaos Mesh kinds and selectors, Istio delay/abort, Toxiproxy jitter.",
  );

/** One fault after structural validation: durations in ms, optional fields still optional. */
export type RawFault = z.output<typeof faultEntry>;
export type RawSelectorTarget = z.output<typeof instanceTarget>;
export type RawTrafficTarget = z.output<typeof trafficTarget>;
export type RawPartitionTarget = z.output<typeof partitionTarget>;
export type RawPartitionSide = z.output<typeof partitionSide>;
