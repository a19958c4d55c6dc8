// The `services` section: each service's instances (or versions with their own labels, weight
// and speed), worker slots, queue, threading, zones, cache, pod lifecycle and HPA, and its
// operations with their service times, error rates and call graphs (steps, parallel groups).
// Versions, caches, effects, idempotency, lifecycle, sagas and TCC are built when a file has them
// (deferred.ts).
import { z } from "zod";
import { STRIPE_IDEMPOTENCY, VERSION } from "../defaults.ts";
import { LIMITS, tooLarge } from "../limits.ts";
import { deferred } from "./deferred.ts";
import {
  boundedInteger,
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
  written,
} from "./leaves.ts";
import { autoscalingSchema, lifecycleSchema } from "./lifecycle.ts";
import { IDENT_PATTERN, NAME_PATTERN } from "./patterns.ts";
import { sagaSchema } from "./saga.ts";
import { tccSchema } from "./tcc.ts";

export interface RawCallStep {
  call?: string;
  parallel?: RawCallStep[];
  probability: number;
  compensate?: string;
}

const callStep: z.ZodType<RawCallStep, unknown> = fields("a call step", {
  call: operationRef.optional().describe("The operation to call, as service.operation."),
  get parallel() {
    return nonEmptyList("call step", callStep)
      .optional()
      .describe("Steps run at the same time; the step ends when all have.");
  },
  probability: probability().default(1).describe("Chance that the step runs at all."),
  compensate: operationRef
    .optional()
    .describe("In a saga: the operation that undoes this call, run if a later step fails."),
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

const effect = deferred(() =>
  fields("an effect", {
    kind: z
      .enum(["charge", "refund", "reserve", "release", "create", "cancel"], {
        error: expecting("charge, refund, reserve, release, create or cancel"),
      })
      .describe("What the operation does to its order when its work commits."),
    amount: z
      .number({ error: expecting("a number > 0") })
      .positive()
      .default(1)
      .describe("Money for charge and refund, units of stock for reserve and release."),
  }),
);

const idempotency = deferred(() =>
  fields("idempotency", {
    key: name(NAME_PATTERN, "letters, digits, _, . and -").describe(
      "`request` (the logical request's id) or the name of a request attribute a load sets.",
    ),
    scope: z
      .enum(["request", "try"], { error: expecting("request or try") })
      .default(STRIPE_IDEMPOTENCY.scope)
      .describe(
        "request: the key is the same on every retry (correct); try: a new key per try (the common bug).",
      ),
    retention: duration("positive")
      .prefault(written(STRIPE_IDEMPOTENCY.retentionMs))
      .describe("How long a stored result protects (Stripe: at least 24h)."),
    concurrent: z
      .enum(["conflict", "wait"], { error: expecting("conflict or wait") })
      .default(STRIPE_IDEMPOTENCY.concurrent)
      .describe("A duplicate while the first runs: 409 at once (Stripe) or wait for its result."),
  }),
);

const operation = fields("an operation", {
  serviceTime: distribution(),
  errorRate: probability()
    .default(0)
    .describe("Chance that the operation answers 500 after its service time."),
  calls: z
    .array(callStep, { error: expecting("a list of call steps") })
    .default([])
    .describe("Downstream calls, run in order after the service time."),
  onCancel: z
    .enum(["finish", "abort"], { error: expecting("finish or abort") })
    .default("finish")
    .describe(
      "A call cancelled while it runs (a losing hedge, cancelOnTimeout): finish runs it to the end; abort stops it and frees the worker.",
    ),
  commitPoint: probability()
    .default(1)
    .describe(
      "Fraction of the service time after which the effects are committed: an aborted call past it has applied them.",
    ),
  effects: z
    .array(effect, { error: expecting("a list of effects, e.g. [{ kind: charge, amount: 20 }]") })
    .optional()
    .describe("Business effects applied to the request's order when the work commits."),
  idempotency: idempotency
    .optional()
    .describe("An idempotency-key store at this operation (Stripe's semantics)."),
  saga: sagaSchema
    .optional()
    .describe("Run the call graph as an orchestrated saga with compensations."),
  tcc: tccSchema
    .optional()
    .describe("Coordinate a TCC transaction (try / confirm / cancel) instead of calls."),
});

const cache = deferred(() =>
  fields("cache", {
    capacity: boundedInteger(1, LIMITS.cacheCapacity, "an integer ≥ 1").describe(
      "Keys each instance keeps (LRU).",
    ),
    hitServiceTime: distribution().describe(
      "Service time of a request whose key is in the instance's cache.",
    ),
  }),
);

const labels = z
  .record(
    z.string().regex(NAME_PATTERN),
    z.string({ error: expecting("a label value (a string)") }).regex(NAME_PATTERN),
    {
      error: expecting("a map of labels, e.g. { track: canary }"),
    },
  )
  .default({});

const version = deferred(() =>
  fields("a version", {
    instances: boundedInteger(0, LIMITS.instances, "an integer ≥ 0")
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
      .refine((f) => f <= LIMITS.serviceTimeFactor.max, {
        error: (issue) => tooLarge(LIMITS.serviceTimeFactor, issue.input as number),
      })
      .default(VERSION.serviceTimeFactor)
      .describe("Multiplies these instances' service times (e.g. 3 for a slow host)."),
  }),
);

export const serviceSchema = fields("a service", {
  instances: boundedInteger(1, LIMITS.instances, "an integer ≥ 1")
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
  subzones: nonEmptyList("subzone", name(NAME_PATTERN, "letters, digits, _, . and -"))
    .optional()
    .describe("Istio subzones the instances are spread over the same way (instance i: i mod n)."),
  operations: namedMap("operation", IDENT_PATTERN, "letters, digits, _ and -", operation),
  lifecycle: lifecycleSchema
    .optional()
    .describe("Pod lifecycle (Kubernetes): startup time, preStop, grace period, restarts."),
  autoscaling: autoscalingSchema
    .optional()
    .describe("A HorizontalPodAutoscaler on the worker slots' utilization."),
});
