// The `load` section: k6 executors (constant and ramping arrival rate, constant and ramping VUs),
// one strict shape each so another executor's key is an error, with the keys each request carries
// (uniform or Zipf), its attributes and the clients' identity and zone.
// Each executor's shape and `keys` are built when a file has them (deferred.ts).
import { z } from "zod";
import { K6 } from "../defaults.ts";
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
  nonEmptyList,
  operationRef,
  probability,
  quote,
  taggedUnionError,
  written,
} from "./leaves.ts";
import { NAME_PATTERN } from "./patterns.ts";
import { loadIdentitySchema } from "./security.ts";

export const EXECUTORS = [
  "constant-arrival-rate",
  "ramping-arrival-rate",
  "constant-vus",
  "ramping-vus",
] as const;

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

const keys = deferred(() =>
  fields("keys", {
    name: name(NAME_PATTERN, "letters, digits, _, . and -").describe(
      "The key's name, e.g. userId; hashing policies name it in hashKey.",
    ),
    count: boundedInteger(1, LIMITS.keys, "an integer ≥ 1").describe(
      "How many distinct keys there are.",
    ),
    distribution: keyDistribution.describe("uniform (default) or zipf(s): P(k) ∝ 1/(k+1)^s."),
  }).superRefine((keys, ctx) => {
    const { count } = keys;
    if (
      keys.distribution.kind === "zipf" &&
      count > LIMITS.zipfKeys.max &&
      count <= LIMITS.keys.max
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["count"],
        input: keys.count,
        message: tooLarge(LIMITS.zipfKeys, keys.count),
      });
    }
  }),
);

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
    clients: boundedInteger(1, LIMITS.clients, "an integer ≥ 1")
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

/** An executor's option of the union, built when a file has a load of that executor (deferred.ts). */
function option<E extends (typeof EXECUTORS)[number], S extends z.core.$ZodLooseShape>(
  kind: E,
  shape: () => S,
) {
  return deferred(() => executor(kind, shape()), { key: "executor", value: kind });
}

const EXECUTOR_WHAT = `one of ${EXECUTORS.join(", ")}`;

export const loadEntrySchema = z.discriminatedUnion(
  "executor",
  [
    option("constant-arrival-rate", () => ({
      rate: z
        .number({ error: expecting("a number of requests per timeUnit greater than 0") })
        .positive(),
      timeUnit,
      arrival,
    })),
    option("ramping-arrival-rate", () => ({
      startRate: z
        .number({ error: expecting("a number of requests per timeUnit ≥ 0") })
        .min(0)
        .default(0),
      timeUnit,
      stages: stages(
        z.number({ error: expecting("a number of requests per timeUnit ≥ 0") }).min(0),
      ),
      arrival,
    })),
    option("constant-vus", () => ({
      vus: boundedInteger(1, LIMITS.vus, "an integer ≥ 1"),
      thinkTime,
    })),
    option("ramping-vus", () => ({
      startVUs: boundedInteger(0, LIMITS.vus, "an integer ≥ 0").default(K6.startVUs),
      stages: stages(boundedInteger(0, LIMITS.vus, "an integer ≥ 0")),
      thinkTime,
    })),
  ],
  {
    error: taggedUnionError(
      "executor",
      "a load entry (a map with name, executor and target)",
      EXECUTOR_WHAT,
    ),
  },
);
