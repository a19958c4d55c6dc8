// The zod schema of a raw scenario file (SCENARIO.md's camelCase keys, k6's executor and threshold
// names): shapes, types, ranges, defaults, and the values inside strings (durations, distributions),
// each with a message that says what was expected and what was found. Cross-references (call
// targets, cycles, load tags) are references/'s, relations between fields convert/'s, threshold
// expressions thresholds.ts'.
import { z } from "zod";
import { K6, MAX_EVENTS, NETWORK, VERSION } from "../defaults.ts";
import { alertsSchema } from "./alerts.ts";
import { loadBalancerSchema } from "./balancers/index.ts";
import { localityLbSettingSchema } from "./balancing.ts";
import { changesSchema } from "./changes.ts";
import { faultsSchema } from "./faults/index.ts";
import { healthCheckSchema } from "./healthCheck.ts";
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
  operationRef,
  probability,
  quote,
  written,
} from "./leaves.ts";
import { autoscalingSchema, lifecycleSchema } from "./lifecycle.ts";
import { monitoringSchema } from "./monitoring.ts";
import {
  IDENT_PATTERN,
  NAME_PATTERN,
  OPERATION_REF_PATTERN,
  THRESHOLD_KEY_PATTERN,
} from "./patterns.ts";
import { registrySchema } from "./registry/index.ts";
import { resilienceFields } from "./resilience.ts";
import { authorizationPoliciesSchema, loadIdentitySchema, securitySchema } from "./security.ts";
import { tracingSchema } from "./tracing.ts";

export {
  describeFound,
  IDENT_PATTERN,
  NAME_PATTERN,
  OPERATION_REF_PATTERN,
  quote,
  THRESHOLD_KEY_PATTERN,
};

export const EXECUTORS = [
  "constant-arrival-rate",
  "ramping-arrival-rate",
  "constant-vus",
  "ramping-vus",
] as const;

// ---------------------------------------------------------------------------------------------
// Services and their call graphs.

export interface RawCallStep {
  call?: string;
  parallel?: RawCallStep[];
  probability: number;
}

const callStep: z.ZodType<RawCallStep, unknown> = fields("a call step", {
  call: operationRef.optional().describe("The operation to call, as service.operation."),
  get parallel() {
    return nonEmptyList("call step", callStep)
      .optional()
      .describe("Steps run at the same time; the step ends when all have.");
  },
  probability: probability().default(1).describe("Chance that the step runs at all."),
})
  .superRefine((step, ctx) => {
    if (step.call !== undefined && step.parallel !== undefined) {
      ctx.addIssue({ code: "custom", message: "a step has either `call` or `parallel`, not both" });
    } else if (step.call === undefined && step.parallel === undefined) {
      ctx.addIssue({
        code: "custom",
        message: "a step needs `call: service.operation` or `parallel: [steps]`",
      });
    }
  })
  .meta({
    id: "callStep",
    description: "One step of a call graph: { call: service.op } or { parallel: [steps] }.",
  });

const operation = fields("an operation", {
  serviceTime: distribution(),
  errorRate: probability()
    .default(0)
    .describe("Chance that the operation answers 500 after its service time."),
  calls: z
    .array(callStep, { error: expecting("a list of call steps") })
    .default([])
    .describe("Downstream calls, run in order after the service time."),
});

const ZIPF = /^zipf\(\s*(\d+(?:\.\d+)?)\s*\)$/;

const keyDistribution = z
  .string({ error: expecting("uniform or zipf(s), e.g. zipf(1.1)") })
  .default("uniform")
  .transform((text, ctx): { kind: "uniform" } | { kind: "zipf"; exponent: number } => {
    if (text === "uniform") return { kind: "uniform" };
    const zipf = ZIPF.exec(text);
    if (zipf !== null && Number(zipf[1]) > 0) return { kind: "zipf", exponent: Number(zipf[1]) };
    ctx.issues.push({
      code: "custom",
      input: text,
      message: `expected uniform or zipf(s) with s > 0, e.g. zipf(1.1), found ${quote(text)}`,
    });
    return z.NEVER;
  });

const keys = fields("keys", {
  name: name(NAME_PATTERN, "letters, digits, _, . and -").describe(
    "The key's name, e.g. userId; hashing policies name it in hashKey.",
  ),
  count: integer(1, "an integer ≥ 1").describe("How many distinct keys there are."),
  distribution: keyDistribution.describe("uniform (default) or zipf(s): P(k) ∝ 1/(k+1)^s."),
});

const cache = fields("cache", {
  capacity: integer(1, "an integer ≥ 1").describe("Keys each instance keeps (LRU)."),
  hitServiceTime: distribution().describe(
    "Service time of a request whose key is in the instance's cache.",
  ),
});

const labels = z
  .record(
    z.string().regex(NAME_PATTERN),
    z.string({ error: expecting("a label value (a string)") }).regex(NAME_PATTERN),
    {
      error: expecting("a map of labels, e.g. { track: canary }"),
    },
  )
  .default({});

const version = fields("a version", {
  instances: integer(0, "an integer ≥ 0")
    .default(VERSION.instances)
    .describe("Instances running at the start; 0 for a version that only a rollout starts."),
  labels: labels.describe(
    "Extra labels for DestinationRule subsets; `version: <name>` is always set.",
  ),
  weight: integer(1, "an integer ≥ 1")
    .default(VERSION.weight)
    .describe("Envoy load_balancing_weight of each instance."),
  serviceTimeFactor: z
    .number({ error: expecting("a number > 0") })
    .positive()
    .default(VERSION.serviceTimeFactor)
    .describe("Multiplies these instances' service times (e.g. 3 for a slow host)."),
});

const service = fields("a service", {
  instances: integer(1, "an integer ≥ 1")
    .optional()
    .describe("Instance count (default 1, or the sum over versions)."),
  versions: z
    .record(z.string().regex(NAME_PATTERN), version, {
      error: expecting("a map from version names to versions"),
    })
    .optional()
    .describe("Groups of instances with their own labels, weight and speed, in file order."),
  concurrency: integer(1, "an integer ≥ 1")
    .default(1)
    .describe("Worker slots per instance (the c of M/M/c)."),
  queue: fields("queue", {
    capacity: integer(0, "an integer ≥ 0")
      .optional()
      .describe("Waiting room per instance; unbounded when absent."),
  }).optional(),
  threading: z
    .enum(["blocking", "async"], { error: expecting("blocking or async") })
    .default("blocking")
    .describe(
      "blocking: a worker slot is held while waiting on downstream calls; async: it is released.",
    ),
  cache: cache
    .optional()
    .describe("A per-instance LRU cache of request keys; a hit uses hitServiceTime."),
  zones: nonEmptyList("zone", name(NAME_PATTERN, "letters, digits, _, . and -"))
    .default(["default"])
    .describe("Zones the instances are spread over, round robin."),
  operations: namedMap("operation", IDENT_PATTERN, "letters, digits, _ and -", operation),
  lifecycle: lifecycleSchema
    .optional()
    .describe("Pod lifecycle (Kubernetes): startup time, preStop, grace period, restarts."),
  autoscaling: autoscalingSchema
    .optional()
    .describe("A HorizontalPodAutoscaler on the worker slots' utilization."),
});

const network = fields("network", {
  latency: distribution()
    .prefault(NETWORK.latency)
    .describe("One-way latency of every hop, each way."),
  crossZoneLatency: distribution()
    .prefault(NETWORK.crossZoneLatency)
    .describe(
      "Added one-way latency between zones (cross-AZ in one region is typically 0.3–1 ms each way).",
    ),
});

// ---------------------------------------------------------------------------------------------
// The mesh: per-callee traffic policies (Istio DestinationRule), with Envoy's names and defaults.

const attributeMap = z.record(
  z.string().regex(NAME_PATTERN),
  z.string({ error: expecting("an attribute value (a string)") }),
  {
    error: expecting("a map from attribute names to values, e.g. { tier: vip }"),
  },
);

const subset = fields("a subset", {
  name: name(NAME_PATTERN, "letters, digits, _, . and -"),
  labels: z
    .record(z.string().regex(NAME_PATTERN), z.string(), {
      error: expecting("a map of labels, e.g. { version: v2 }"),
    })
    .describe("Instances whose version labels include all of these."),
});

const destination = fields("a route destination", {
  subset: name(NAME_PATTERN, "letters, digits, _, . and -")
    .optional()
    .describe("A subset of this service; absent: all instances."),
  weight: integer(0, "an integer percent from 0 to 100")
    .max(100)
    .optional()
    .describe("Share of matching requests (Istio: the weights sum to 100)."),
});

const route = fields("a route", {
  match: z
    .array(attributeMap, { error: expecting("a list of attribute matches, e.g. [{ tier: vip }]") })
    .default([])
    .describe(
      "Any one of these must hold; each requires all its attributes. Absent: every request.",
    ),
  route: nonEmptyList("destination", destination).describe(
    "Where matching requests go, split by weight.",
  ),
});

const trafficPolicy = fields("a traffic policy", {
  loadBalancer: loadBalancerSchema.optional(),
  subsets: z
    .array(subset, { error: expecting("a list of subsets") })
    .default([])
    .describe("DestinationRule subsets."),
  routes: z
    .array(route, { error: expecting("a list of routes") })
    .default([])
    .describe("VirtualService HTTP routes, first match wins."),
  ...resilienceFields,
  healthCheck: healthCheckSchema
    .nullable()
    .optional()
    .describe("Envoy active health checking by each calling proxy; default none."),
  localityLbSetting: localityLbSettingSchema
    .optional()
    .describe("Istio locality failover by zone (on by default; needs outlier detection)."),
});

const mesh = fields("mesh", {
  defaults: trafficPolicy
    .prefault({})
    .describe("Applies to every upstream service unless mesh.services overrides it."),
  services: z
    .record(z.string().regex(IDENT_PATTERN), trafficPolicy, {
      error: expecting("a map from service names to traffic policies"),
    })
    .default({})
    .describe("Per upstream service (like an Istio DestinationRule per host)."),
});

// ---------------------------------------------------------------------------------------------
// Load: k6 executors, one strict shape each, so another executor's key is an error.

const arrival = z
  .enum(["poisson", "uniform"], { error: expecting("poisson or uniform") })
  .default("poisson");
const timeUnit = duration("positive").prefault(written(K6.timeUnitMs));
const thinkTime = distribution().prefault("0");

function stages(target: z.ZodNumber) {
  return nonEmptyList("stage", fields("a stage", { duration: duration("nonnegative"), target }));
}

function executor<E extends (typeof EXECUTORS)[number], S extends z.core.$ZodLooseShape>(
  kind: E,
  shape: S,
) {
  return fields(kind, {
    name: name(NAME_PATTERN, "letters, digits, _, . and -"),
    executor: z.literal(kind),
    target: operationRef,
    startTime: duration("nonnegative").prefault(0),
    duration: duration("positive")
      .optional()
      .describe("How long the executor runs; by default until the end of the run."),
    clients: integer(1, "an integer ≥ 1")
      .default(1)
      .describe("Independent client proxies sharing this load."),
    zone: name(NAME_PATTERN, "letters, digits, _, . and -")
      .optional()
      .describe("Zone of the clients; absent: outside every zone, so no cross-zone latency."),
    keys: keys
      .optional()
      .describe("A key per request (e.g. a userId) for hashing balancers and caches."),
    attributes: z
      .record(
        z.string().regex(NAME_PATTERN),
        z.record(z.string().regex(NAME_PATTERN), probability(), {
          error: expecting("a map from values to probabilities, e.g. { vip: 0.1, regular: 0.9 }"),
        }),
        { error: expecting("a map from attribute names to value distributions") },
      )
      .default({})
      .describe("Header-like attributes drawn per request, e.g. tier: { vip: 0.1, regular: 0.9 }."),
    identity: loadIdentitySchema.optional(),
    ...shape,
  });
}

const EXECUTOR_WHAT = `one of ${EXECUTORS.join(", ")}`;

const loadEntry = z.discriminatedUnion(
  "executor",
  [
    executor("constant-arrival-rate", {
      rate: z
        .number({ error: expecting("a number of requests per timeUnit greater than 0") })
        .positive(),
      timeUnit,
      arrival,
    }),
    executor("ramping-arrival-rate", {
      startRate: z
        .number({ error: expecting("a number of requests per timeUnit ≥ 0") })
        .min(0)
        .default(0),
      timeUnit,
      stages: stages(
        z.number({ error: expecting("a number of requests per timeUnit ≥ 0") }).min(0),
      ),
      arrival,
    }),
    executor("constant-vus", {
      vus: integer(1, "an integer ≥ 1"),
      thinkTime,
    }),
    executor("ramping-vus", {
      startVUs: integer(0, "an integer ≥ 0").default(K6.startVUs),
      stages: stages(integer(0, "an integer ≥ 0")),
      thinkTime,
    }),
  ],
  {
    error: (issue) => {
      if (issue.code !== "invalid_union")
        return expecting("a load entry (a map with name, executor and target)")(issue);
      const found = (issue.input as Record<string, unknown> | undefined)?.executor;
      return found === undefined
        ? `is required; expected ${EXECUTOR_WHAT}`
        : `expected ${EXECUTOR_WHAT}, found ${describeFound(found)}`;
    },
  },
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

const compare = fields("compare", {
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
});

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
  mesh: mesh.prefault({}),
  services: namedMap("service", IDENT_PATTERN, "letters, digits, _ and -", service),
  load: nonEmptyList("load entry", loadEntry, "load entries"),
  faults: faultsSchema,
  thresholds: thresholds.optional(),
  monitoring: monitoringSchema.prefault({}),
  alerts: alertsSchema,
  compare: compare
    .optional()
    .describe("Variants for `meshsim compare`; `meshsim run` ignores them."),
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
});

/** The file after structural validation: durations in ms, distributions parsed, defaults filled. */
export type ScenarioFile = z.output<typeof scenarioFileSchema>;
export type RawLoadEntry = ScenarioFile["load"][number];
