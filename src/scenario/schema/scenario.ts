// The zod schema of a raw scenario file (SCENARIO.md's camelCase keys, k6's executor and threshold
// names): shapes, types, ranges, defaults, and the values inside strings (durations, distributions),
// each with a message that says what was expected and what was found; one file per section beside
// this one. Cross-references (call targets, cycles, load tags) are references/'s, relations between
// fields convert/'s, threshold expressions thresholds.ts'.
// Sections a file may leave out are built on first use (deferred.ts), so a run pays only for the
// schema of what its file has.
import { z } from "zod";
import { MAX_EVENTS, NETWORK } from "../defaults.ts";
import { alertsSchema } from "./alerts.ts";
import { changesSchema } from "./changes.ts";
import { deferred } from "./deferred.ts";
import { faultsSchema } from "./faults/index.ts";
import { invariantsSchema } from "./invariants.ts";
import {
  describeFound,
  distribution,
  duration,
  expecting,
  fields,
  integer,
  name,
  namedMap,
  nonEmptyList,
} from "./leaves.ts";
import { loadEntrySchema } from "./loads.ts";
import { meshSchema } from "./mesh.ts";
import { messagingSchema } from "./messaging.ts";
import { monitoringSchema } from "./monitoring.ts";
import { IDENT_PATTERN, NAME_PATTERN, THRESHOLD_KEY_PATTERN } from "./patterns.ts";
import { registrySchema } from "./registry/index.ts";
import { authorizationPoliciesSchema, securitySchema } from "./security.ts";
import { serviceSchema } from "./services.ts";
import { sweepSchema } from "./sweep.ts";
import { tracingSchema } from "./tracing.ts";

export type { RawCallStep } from "./services.ts";

const network = fields("network", {
  latency: distribution()
    .prefault(NETWORK.latency)
    .describe("One-way latency of every hop, each way."),
  crossZoneLatency: distribution()
    .prefault(NETWORK.crossZoneLatency)
    .describe(
      "Added one-way latency between zones (cross-AZ in one region is typically 0.3–1 ms each way).",
    ),
  crossRegionLatency: distribution()
    .prefault(NETWORK.crossRegionLatency)
    .describe(
      "Added one-way latency between regions, instead of the cross-zone one (e.g. 35 ms us-east ↔ eu-west).",
    ),
});

/** Istio's locality: each region's zones (a zone in no region is in the one unnamed region). */
const regions = deferred(() =>
  z
    .record(
      z.string().regex(NAME_PATTERN),
      nonEmptyList("zone", name(NAME_PATTERN, "letters, digits, _, . and -")),
      {
        error: (issue) =>
          issue.code === "invalid_key"
            ? `region names are letters, digits, _, . and -; found ${describeFound(issue.input)}`
            : expecting("a map from region names to lists of zones")(issue),
      },
    )
    .describe("Istio locality regions: region → its zones (services' `zones` name them)."),
);

// ---------------------------------------------------------------------------------------------
// Thresholds: k6 expressions such as `p(99)<300ms` (latency) or `rate<0.01` (errors), parsed by
// scenario/thresholds.ts.

/** Shape only; scenario/thresholds.ts parses the expressions and checks the load tags. */
const thresholds = z.record(
  z.string().regex(THRESHOLD_KEY_PATTERN),
  nonEmptyList(
    "expression",
    z.string({ error: expecting("a k6 threshold expression such as p(99)<300ms") }),
  ),
  {
    error: (issue) =>
      issue.code === "invalid_key"
        ? `expected latency or errors, optionally for one load as latency{load:<name>}; found ${describeFound(issue.input)}`
        : expecting("a map from metrics (latency, errors) to lists of expressions")(issue),
  },
);

// ---------------------------------------------------------------------------------------------
// Compare: variants of the scenario, each a set of values put at paths of this file.

const compare = deferred(() =>
  fields("compare", {
    seeds: integer(1, "an integer ≥ 1")
      .default(1)
      .describe("Runs per variant, with the same seeds for every variant."),
    variants: nonEmptyList(
      "variant",
      fields("a variant", {
        name: name(NAME_PATTERN, "letters, digits, _, . and -"),
        set: z
          .record(z.string(), z.unknown(), {
            error: expecting("a map from paths (e.g. mesh.defaults.loadBalancer) to values"),
          })
          .default({})
          .describe("Values put at paths of this file before the variant is validated and run."),
      }),
    ),
  }),
);

// ---------------------------------------------------------------------------------------------
// The file.

export const scenarioFileSchema = fields("a scenario", {
  version: z.literal(1, { error: expecting("1 (the only format version)") }),
  name: name(NAME_PATTERN, "letters, digits, _, . and -"),
  seed: integer(0, "an integer ≥ 0").default(1),
  duration: duration("positive").describe("Simulated time of the run, e.g. 20000s."),
  warmup: duration("nonnegative")
    .prefault(0)
    .describe("Requests that arrive before this are left out of every statistic."),
  maxEvents: integer(1, "an integer ≥ 1")
    .default(MAX_EVENTS)
    .describe("The run stops after this many events."),
  network: network.prefault({}),
  regions: regions.optional(),
  mesh: meshSchema.prefault({}),
  services: namedMap("service", IDENT_PATTERN, "letters, digits, _ and -", serviceSchema),
  load: nonEmptyList("load entry", loadEntrySchema, "load entries"),
  faults: faultsSchema,
  thresholds: thresholds.optional(),
  monitoring: monitoringSchema.prefault({}),
  alerts: alertsSchema,
  compare: compare
    .optional()
    .describe("Variants for `meshsim compare`; `meshsim run` ignores them."),
  sweep: sweepSchema
    .optional()
    .describe("Paths and values for `meshsim sweep`; `meshsim run` ignores them."),
  tracing: tracingSchema
    .optional()
    .describe("Tracing: spans per request, sampling, the critical path; absent = off."),
  security: securitySchema
    .optional()
    .describe(
      "Istio mTLS (PeerAuthentication) and workload identities; absent with no policies = not modelled.",
    ),
  authorizationPolicies: authorizationPoliciesSchema.optional(),
  changes: changesSchema,
  registry: registrySchema.optional(),
  invariants: invariantsSchema,
  messaging: messagingSchema
    .optional()
    .describe("A modelled at-least-once broker: topics, publishers, consumers; absent = none."),
});

/** The file after structural validation: durations in ms, distributions parsed, defaults filled. */
export type ScenarioFile = z.output<typeof scenarioFileSchema>;
export type RawLoadEntry = ScenarioFile["load"][number];
