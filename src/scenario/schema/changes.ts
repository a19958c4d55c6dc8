// The zod schema of a scenario's `changes` list: planned operator changes on the timeline, one
// strict shape per kind, discriminated by `kind`. `config-push` puts values at paths of the file's
// mesh settings (compare --variant's path syntax) and says how the push reaches proxies: Istio's
// debounce (PILOT_DEBOUNCE_AFTER, 100ms), a per-proxy delivery delay, and optional stages (Argo
// Rollouts-style: a cumulative percent of proxies, each stage a pause after the previous one).
// Shapes and values only: paths, names, times and stage order are
// src/scenario/resolve/configPushes.ts's.
// Built when a file has this section (deferred.ts), so other files never pay for it.
import { z } from "zod";
import {
  ISTIO_DEBOUNCE_AFTER_MS,
  KUBERNETES_ROLLING_UPDATE,
  PROPAGATION_DELAY,
} from "../defaults.ts";
import { deferred } from "./deferred.ts";
import {
  distribution,
  duration,
  expecting,
  fields,
  name,
  nonEmptyList,
  taggedUnionError,
  written,
} from "./leaves.ts";
import { NAME_PATTERN } from "./patterns.ts";

export const CHANGE_KINDS = ["config-push", "rollout"] as const;

/** One change; built when a file has `changes:` (deferred.ts). */
const changeEntry = deferred(() => {
  const stage = fields("a rollout stage", {
    percent: z
      .number({ error: expecting("a percent of proxies greater than 0, up to 100") })
      .gt(0)
      .max(100)
      .describe(
        "Share of all proxies that have the push once this stage has started (cumulative).",
      ),
    after: duration("nonnegative")
      .prefault(0)
      .describe("How long after the previous stage (or the push) this stage starts."),
  });

  const configPush = fields("a config-push change", {
    name: name(NAME_PATTERN, "letters, digits, _, . and -")
      .optional()
      .describe("Unique; default config-push-<index>."),
    kind: z.literal("config-push"),
    at: duration("nonnegative").describe(
      "When the operator publishes the change, in simulated time.",
    ),
    set: z
      .record(z.string(), z.unknown(), {
        error: expecting(
          "a map from paths of mesh settings (e.g. mesh.services.payment.loadBalancer.policy) to values",
        ),
      })
      .refine((map) => Object.keys(map).length > 0, { message: "needs at least one path to set" })
      .describe(
        "Values put at paths under mesh.defaults or mesh.services.<name>, as compare --variant does.",
      ),
    propagation: fields("propagation", {
      debounce: duration("nonnegative")
        .prefault(written(ISTIO_DEBOUNCE_AFTER_MS))
        .describe("Quiet period before the push (Istio PILOT_DEBOUNCE_AFTER)."),
      delay: distribution()
        .prefault(PROPAGATION_DELAY)
        .describe("Each proxy's own delivery delay after the debounce."),
    })
      .prefault({})
      .describe("How the push reaches each proxy."),
    rollout: nonEmptyList("rollout stage", stage)
      .optional()
      .describe("Stages: a share of proxies first, then more; absent: every proxy at once."),
  });

  /** An int or a percentage string, as Kubernetes' IntOrString for maxSurge and maxUnavailable. */
  const intOrPercent = z.union([z.number().int().min(0), z.string().regex(/^\d+(\.\d+)?%$/)], {
    error: expecting("a count ≥ 0 or a percentage such as 25%"),
  }) as z.ZodType<number | `${number}%`, unknown>;

  const rolloutChange = fields("a rollout change", {
    name: name(NAME_PATTERN, "letters, digits, _, . and -")
      .optional()
      .describe("Unique; default rollout-<index>."),
    kind: z.literal("rollout"),
    at: duration("nonnegative").describe(
      "When the Deployment's template changes to the new version.",
    ),
    service: name(NAME_PATTERN, "letters, digits, _, . and -").describe("The service rolled out."),
    toVersion: name(NAME_PATTERN, "letters, digits, _, . and -").describe(
      "One of the service's versions (often one with instances: 0).",
    ),
    maxSurge: intOrPercent
      .default(KUBERNETES_ROLLING_UPDATE.maxSurge)
      .describe("Kubernetes maxSurge: pods over the desired count (percent rounds up)."),
    maxUnavailable: intOrPercent
      .default(KUBERNETES_ROLLING_UPDATE.maxUnavailable)
      .describe("Kubernetes maxUnavailable: pods under it (percent rounds down)."),
  });

  const KIND_WHAT = `a change kind, one of ${CHANGE_KINDS.join(", ")}`;

  return z.discriminatedUnion("kind", [configPush, rolloutChange], {
    error: taggedUnionError("kind", "a change (a map with kind and at)", KIND_WHAT),
  });
});

/** The `changes` root field: a list, empty by default. */
export const changesSchema = z
  .array(changeEntry, { error: expecting("a list of changes") })
  .default([])
  .describe(
    "Planned operator changes on the simulated clock: config pushes of mesh settings, rolling updates.",
  );

export type RawChange = z.output<typeof changeEntry>;
export type RawConfigPush = Extract<RawChange, { kind: "config-push" }>;
export type RawRollout = Extract<RawChange, { kind: "rollout" }>;
