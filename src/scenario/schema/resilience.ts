// The fault-recovery part of a traffic policy (mesh.defaults / mesh.services.<name>): Istio's
// timeout, retries and connection pool, Envoy's retry budget, outlier detection, panic threshold
// and local rate limit, resilience4j's CircuitBreaker, gRPC-style hedging. Each field is optional
// here; convert/resilience.ts merges mesh.services.<name> over mesh.defaults over the built-in
// defaults, field by field, and a sub-map written in the file gets the real system's defaults for
// what it leaves out.
// Each sub-map is built when a file has it (deferred.ts).
import { z } from "zod";
import { ENVOY_UNLIMITED } from "../../mesh/resilience/connectionPool.ts";
import { parseRetryOn } from "../../mesh/resilience/retryOn.ts";
import {
  RESILIENCE4J_CIRCUIT_BREAKER as CB,
  ENVOY_LOCAL_RATE_LIMIT,
  ENVOY_RETRY_BACKOFF,
  ENVOY_RETRY_BUDGET,
  GRPC_HEDGING,
  ISTIO_CONNECTION_POOL,
  ISTIO_OUTLIER_DETECTION as OD,
} from "../defaults.ts";
import { deferred } from "./deferred.ts";
import { duration, errorMessage, expecting, fields, integer, written } from "./leaves.ts";

function percent(what = "a percent from 0 to 100") {
  return z
    .number({ error: expecting(what) })
    .min(0)
    .max(100);
}

/** Envoy's outlier-detection percents are integers (UInt32Value). */
function wholePercent() {
  return percent().refine(Number.isInteger, {
    message: "must be a whole percent (Envoy's field is an integer)",
  });
}

function positivePercent() {
  return z
    .number({ error: expecting("a percent above 0, up to 100") })
    .gt(0)
    .max(100);
}

const flag = (what: string) => z.boolean({ error: expecting(`true or false (${what})`) });

/** Istio accepts retryOn as one comma-separated string; a YAML list is accepted too. */
const retryOn = z
  .union([z.string(), z.array(z.string())], {
    error: expecting('retry conditions, e.g. [5xx, reset, connect-failure] or "5xx,reset"'),
  })
  .transform((value, ctx): string[] => {
    const list = (Array.isArray(value) ? value : value.split(","))
      .map((c) => c.trim())
      .filter((c) => c !== "");
    try {
      parseRetryOn(list);
      return list;
    } catch (error) {
      ctx.issues.push({ code: "custom", input: value, message: errorMessage(error) });
      return z.NEVER;
    }
  });

const backoff = deferred(() =>
  fields("a back-off", {
    base: duration("positive")
      .prefault(written(ENVOY_RETRY_BACKOFF.baseMs))
      .describe("Envoy base_interval: retry n waits U[0, min((2^n − 1)·base, max))."),
    max: duration("positive").optional().describe("Envoy max_interval; default 10 × base."),
    jitter: z
      .enum(["full", "none"], { error: expecting("full or none") })
      .default(ENVOY_RETRY_BACKOFF.jitter),
  }),
);

const retries = deferred(() =>
  fields("retries", {
    attempts: integer(0, "an integer ≥ 0 (retries after the first try, as Istio counts)").describe(
      "Istio attempts: retries after the first try.",
    ),
    perTryTimeout: duration("positive")
      .optional()
      .describe("Timeout of each try; absent: only the route timeout."),
    retryOn: retryOn
      .optional()
      .describe(
        "Envoy retry_on conditions; default Istio's: connect-failure, refused-stream, unavailable, cancelled, retriable-status-codes.",
      ),
    backoff: backoff.prefault({}),
  }),
);

const retryBudget = deferred(() =>
  fields("a retry budget", {
    budgetPercent: percent()
      .default(ENVOY_RETRY_BUDGET.budgetPercent)
      .describe("Envoy: retries may be this share of active plus pending requests."),
    minRetryConcurrency: integer(0, "an integer ≥ 0")
      .default(ENVOY_RETRY_BUDGET.minRetryConcurrency)
      .describe("Envoy: retries always allowed up to this many at once."),
  }),
);

const hedging = deferred(() =>
  fields("hedging", {
    delay: duration("positive").describe(
      "gRPC hedgingDelay: send another copy after this long without an answer.",
    ),
    maxAttempts: integer(2, "an integer from 2 to 5 (gRPC caps hedges at 5)")
      .max(5)
      .default(GRPC_HEDGING.maxAttempts)
      .describe("Copies in all, the first included."),
    cancelLosers: flag("cancel the other copies once one answers").default(
      GRPC_HEDGING.cancelLosers,
    ),
  }),
);

const circuitBreaker = deferred(() =>
  fields("a circuit breaker", {
    slidingWindowType: z
      .enum(["COUNT_BASED", "TIME_BASED"], { error: expecting("COUNT_BASED or TIME_BASED") })
      .default(CB.slidingWindowType),
    slidingWindowSize: integer(1, "an integer ≥ 1 (calls, or seconds when TIME_BASED)").default(
      CB.slidingWindowSize,
    ),
    minimumNumberOfCalls: integer(1, "an integer ≥ 1").default(CB.minimumNumberOfCalls),
    failureRateThreshold: positivePercent().default(CB.failureRateThreshold),
    slowCallRateThreshold: positivePercent().default(CB.slowCallRateThreshold),
    slowCallDurationThreshold: duration("positive").prefault(
      written(CB.slowCallDurationThresholdMs),
    ),
    waitDurationInOpenState: duration("positive")
      .refine((ms) => ms >= 1, { message: "must be at least 1ms (resilience4j's minimum)" })
      .prefault(written(CB.waitDurationInOpenStateMs)),
    permittedNumberOfCallsInHalfOpenState: integer(1, "an integer ≥ 1").default(
      CB.permittedNumberOfCallsInHalfOpenState,
    ),
    automaticTransitionFromOpenToHalfOpenEnabled: flag("move to HALF_OPEN by timer").default(
      CB.automaticTransitionFromOpenToHalfOpenEnabled,
    ),
    maxWaitDurationInHalfOpenState: duration("nonnegative")
      .refine((ms) => ms === 0 || ms >= 1, {
        message: "must be 0 (wait indefinitely) or at least 1ms",
      })
      .prefault(written(CB.maxWaitDurationInHalfOpenStateMs))
      .describe("0: wait in HALF_OPEN indefinitely."),
  }),
);

const outlierDetection = deferred(() =>
  fields("outlier detection", {
    consecutive5xxErrors: integer(0, "an integer ≥ 0 (0 turns it off)").default(
      OD.consecutive5xxErrors,
    ),
    consecutiveGatewayErrors: integer(0, "an integer ≥ 0 (0 turns it off)").default(
      OD.consecutiveGatewayErrors,
    ),
    interval: duration("positive").prefault(written(OD.intervalMs)),
    baseEjectionTime: duration("positive").prefault(written(OD.baseEjectionTimeMs)),
    maxEjectionTime: duration("positive").prefault(written(OD.maxEjectionTimeMs)),
    maxEjectionPercent: wholePercent().default(OD.maxEjectionPercent),
    alwaysEjectOneHost: flag("eject one host even when the percent cap allows none").default(
      OD.alwaysEjectOneHost,
    ),
    successRateMinimumHosts: integer(0, "an integer ≥ 0").default(OD.successRateMinimumHosts),
    successRateRequestVolume: integer(0, "an integer ≥ 0").default(OD.successRateRequestVolume),
    successRateStdevFactor: integer(0, "an integer ≥ 0 (thousandths: 1900 = 1.9)").default(
      OD.successRateStdevFactor,
    ),
    enforcingSuccessRate: wholePercent()
      .default(OD.enforcingSuccessRate)
      .describe("Istio forces 0 (off); Envoy's own default is 100."),
    failurePercentageThreshold: wholePercent().default(OD.failurePercentageThreshold),
    enforcingFailurePercentage: wholePercent().default(OD.enforcingFailurePercentage),
    failurePercentageMinimumHosts: integer(0, "an integer ≥ 0").default(
      OD.failurePercentageMinimumHosts,
    ),
    failurePercentageRequestVolume: integer(0, "an integer ≥ 0").default(
      OD.failurePercentageRequestVolume,
    ),
  }),
);

const connectionPool = deferred(() =>
  fields("a connection pool", {
    maxRequests: integer(0, "an integer ≥ 0")
      .max(ENVOY_UNLIMITED)
      .default(ISTIO_CONNECTION_POOL.maxRequests)
      .describe("Envoy max_requests (Istio http2MaxRequests)."),
    maxPendingRequests: integer(0, "an integer ≥ 0")
      .max(ENVOY_UNLIMITED)
      .default(ISTIO_CONNECTION_POOL.maxPendingRequests)
      .describe("Envoy max_pending_requests (Istio http1MaxPendingRequests)."),
    maxConnections: integer(1, "an integer ≥ 1")
      .max(ENVOY_UNLIMITED)
      .default(ISTIO_CONNECTION_POOL.maxConnections)
      .describe(
        "HTTP/1.1: one request per connection, so requests beyond this wait as pending. Default: HTTP/2, no waiting.",
      ),
  }),
);

const rateLimit = deferred(() =>
  fields("a local rate limit", {
    maxTokens: integer(1, "an integer ≥ 1").describe(
      "Envoy token_bucket.max_tokens: the burst, and the initial fill.",
    ),
    tokensPerFill: integer(1, "an integer ≥ 1").default(ENVOY_LOCAL_RATE_LIMIT.tokensPerFill),
    fillInterval: duration("positive").describe("Envoy token_bucket.fill_interval."),
    per: z
      .enum(["instance", "proxy"], { error: expecting("instance or proxy") })
      .default(ENVOY_LOCAL_RATE_LIMIT.per),
  }),
);

/** Fields a traffic policy gains for fault recovery; all optional (merged in convert/resilience.ts). `null` turns
 * a feature off, e.g. for one service when mesh.defaults turns it on. */
export const resilienceFields = {
  timeout: duration("positive")
    .nullable()
    .optional()
    .describe("Istio route timeout covering all tries; default none."),
  retries: retries.optional(),
  retryBudget: retryBudget.nullable().optional(),
  maxRetries: integer(0, "an integer ≥ 0")
    .max(ENVOY_UNLIMITED)
    .optional()
    .describe("Envoy max_retries; Istio's default is 2^32 − 1."),
  hedging: hedging.nullable().optional(),
  cancelOnTimeout: flag("cancel timed-out tries at the server").optional(),
  circuitBreaker: circuitBreaker.nullable().optional(),
  outlierDetection: outlierDetection.nullable().optional(),
  healthyPanicThreshold: percent()
    .optional()
    .describe("Envoy healthy_panic_threshold, default 50."),
  connectionPool: connectionPool.optional(),
  rateLimit: rateLimit.nullable().optional(),
  connectTimeout: duration("positive")
    .optional()
    .describe("Istio tcp.connectTimeout, default 10s."),
};
