// The fault-recovery part of a traffic policy (mesh.defaults / mesh.services.<name>): Istio's
// timeout, retries and connection pool, Envoy's retry budget, outlier detection, panic threshold
// and local rate limit, resilience4j's CircuitBreaker, gRPC-style hedging. Each field is optional
// here; convert/resilience.ts merges mesh.services.<name> over mesh.defaults over the built-in
// defaults, field by field, and a sub-map written in the file gets the real system's defaults for
// what it leaves out.
import { z } from "zod";
import { parseRetryOn } from "../../mesh/resilience/retryOn.ts";
import { duration, errorMessage, expecting, fields, integer } from "./leaves.ts";

function percent(what = "a percent from 0 to 100") {
  return z
    .number({ error: expecting(what) })
    .min(0)
    .max(100);
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

const backoff = fields("a back-off", {
  base: duration("positive")
    .prefault("25ms")
    .describe("Envoy base_interval: retry n waits U[0, min((2^n − 1)·base, max))."),
  max: duration("positive").optional().describe("Envoy max_interval; default 10 × base."),
  jitter: z.enum(["full", "none"], { error: expecting("full or none") }).default("full"),
});

const retries = fields("retries", {
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
});

const retryBudget = fields("a retry budget", {
  budgetPercent: percent()
    .default(20)
    .describe("Envoy: retries may be this share of active plus pending requests."),
  minRetryConcurrency: integer(0, "an integer ≥ 0")
    .default(3)
    .describe("Envoy: retries always allowed up to this many at once."),
});

const hedging = fields("hedging", {
  delay: duration("positive").describe(
    "gRPC hedgingDelay: send another copy after this long without an answer.",
  ),
  maxAttempts: integer(2, "an integer from 2 to 5 (gRPC caps hedges at 5)")
    .max(5)
    .default(2)
    .describe("Copies in all, the first included."),
  cancelLosers: flag("cancel the other copies once one answers").default(true),
});

const circuitBreaker = fields("a circuit breaker", {
  slidingWindowType: z
    .enum(["COUNT_BASED", "TIME_BASED"], { error: expecting("COUNT_BASED or TIME_BASED") })
    .default("COUNT_BASED"),
  slidingWindowSize: integer(1, "an integer ≥ 1 (calls, or seconds when TIME_BASED)").default(100),
  minimumNumberOfCalls: integer(1, "an integer ≥ 1").default(100),
  failureRateThreshold: positivePercent().default(50),
  slowCallRateThreshold: positivePercent().default(100),
  slowCallDurationThreshold: duration("positive").prefault("60s"),
  waitDurationInOpenState: duration("positive").prefault("60s"),
  permittedNumberOfCallsInHalfOpenState: integer(1, "an integer ≥ 1").default(10),
  automaticTransitionFromOpenToHalfOpenEnabled: flag("move to HALF_OPEN by timer").default(false),
  maxWaitDurationInHalfOpenState: duration("nonnegative")
    .prefault(0)
    .describe("0: wait in HALF_OPEN indefinitely."),
});

const outlierDetection = fields("outlier detection", {
  consecutive5xxErrors: integer(0, "an integer ≥ 0 (0 turns it off)").default(5),
  consecutiveGatewayErrors: integer(0, "an integer ≥ 0 (0 turns it off)").default(0),
  interval: duration("positive").prefault("10s"),
  baseEjectionTime: duration("positive").prefault("30s"),
  maxEjectionTime: duration("positive").prefault("300s"),
  maxEjectionPercent: percent().default(10),
  alwaysEjectOneHost: flag("eject one host even when the percent cap allows none").default(false),
  successRateMinimumHosts: integer(0, "an integer ≥ 0").default(5),
  successRateRequestVolume: integer(0, "an integer ≥ 0").default(100),
  successRateStdevFactor: integer(0, "an integer ≥ 0 (thousandths: 1900 = 1.9)").default(1900),
  enforcingSuccessRate: percent()
    .default(0)
    .describe("Istio forces 0 (off); Envoy's own default is 100."),
  failurePercentageThreshold: percent().default(85),
  enforcingFailurePercentage: percent().default(0),
  failurePercentageMinimumHosts: integer(0, "an integer ≥ 0").default(5),
  failurePercentageRequestVolume: integer(0, "an integer ≥ 0").default(50),
});

const MAX_THRESHOLD = 2 ** 32 - 1;

const connectionPool = fields("a connection pool", {
  maxRequests: integer(0, "an integer ≥ 0")
    .max(MAX_THRESHOLD)
    .default(MAX_THRESHOLD)
    .describe("Envoy max_requests (Istio http2MaxRequests)."),
  maxPendingRequests: integer(0, "an integer ≥ 0")
    .max(MAX_THRESHOLD)
    .default(MAX_THRESHOLD)
    .describe("Envoy max_pending_requests (Istio http1MaxPendingRequests)."),
  maxConnections: integer(1, "an integer ≥ 1")
    .max(MAX_THRESHOLD)
    .default(MAX_THRESHOLD)
    .describe(
      "HTTP/1.1: one request per connection, so requests beyond this wait as pending. Default: HTTP/2, no waiting.",
    ),
});

const rateLimit = fields("a local rate limit", {
  maxTokens: integer(1, "an integer ≥ 1").describe(
    "Envoy token_bucket.max_tokens: the burst, and the initial fill.",
  ),
  tokensPerFill: integer(1, "an integer ≥ 1").default(1),
  fillInterval: duration("positive").describe("Envoy token_bucket.fill_interval."),
  per: z.enum(["instance", "proxy"], { error: expecting("instance or proxy") }).default("instance"),
});

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
    .max(MAX_THRESHOLD)
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
