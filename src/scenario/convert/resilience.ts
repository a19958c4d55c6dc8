// The fault-recovery settings of one upstream, field by field: the service's own setting, else
// mesh.defaults', else Istio's or Envoy's default (resilience4j's for the breaker). Relations the
// schema cannot see across the two levels are checked here: back-off max ≥ base, and hedging
// excludes retries (as in gRPC).
import {
  ENVOY_HEALTHY_PANIC_THRESHOLD,
  ENVOY_RETRY_BACKOFF,
  ISTIO_CONNECT_TIMEOUT_MS,
  ISTIO_CONNECTION_POOL,
  ISTIO_MAX_RETRIES,
  ISTIO_RETRIES,
  ISTIO_RETRY_ON,
} from "../defaults.ts";
import type { Finding, PathSegment } from "../path.ts";
import { toHealthCheck } from "../schema/healthCheck.ts";
import type { ScenarioFile } from "../schema/scenario.ts";
import type {
  CircuitBreakerSpec,
  OutlierDetectionSpec,
  RateLimitSpec,
  ResilienceSpec,
  RetrySpec,
} from "../types.ts";

export type RawPolicy = ScenarioFile["mesh"]["defaults"];

/** Field by field: the service's own setting, else mesh.defaults', else Istio's/Envoy's default. */
export function resilienceFor(
  own: RawPolicy | undefined,
  defaults: RawPolicy,
  path: PathSegment[],
  findings: Finding[],
): ResilienceSpec {
  const pick = <K extends keyof RawPolicy>(key: K): RawPolicy[K] =>
    own?.[key] !== undefined ? own[key] : defaults[key];
  const whereSet = (key: keyof RawPolicy): PathSegment[] =>
    own?.[key] !== undefined ? path : ["mesh", "defaults"];
  const rawRetries = pick("retries");
  const rawHedging = pick("hedging");
  const retries = retriesOf(rawRetries);
  if (retries.backoff.maxMs < retries.backoff.baseMs) {
    findings.push({
      path: [...whereSet("retries"), "retries", "backoff", "max"],
      at: "value",
      message: "must not be shorter than backoff.base",
    });
  }
  if (rawHedging != null && rawRetries !== undefined && rawRetries.attempts > 0) {
    const message =
      "hedging and retries exclude each other (as in gRPC): set retries.attempts to 0 or drop hedging";
    findings.push({ path: [...whereSet("hedging"), "hedging"], at: "key", message });
  }
  const pool = pick("connectionPool");
  const budget = pick("retryBudget");
  return {
    timeoutMs: pick("timeout") ?? null,
    retries: rawHedging != null && rawRetries === undefined ? { ...retries, attempts: 0 } : retries,
    retryBudget:
      budget == null
        ? null
        : { budgetPercent: budget.budgetPercent, minRetryConcurrency: budget.minRetryConcurrency },
    maxRetries: pick("maxRetries") ?? ISTIO_MAX_RETRIES,
    hedging:
      rawHedging == null
        ? null
        : {
            delayMs: rawHedging.delay,
            maxAttempts: rawHedging.maxAttempts,
            cancelLosers: rawHedging.cancelLosers,
          },
    cancelOnTimeout: pick("cancelOnTimeout") ?? false,
    circuitBreaker: circuitBreakerOf(pick("circuitBreaker")),
    outlierDetection: outlierDetectionOf(pick("outlierDetection")),
    healthyPanicThreshold: pick("healthyPanicThreshold") ?? ENVOY_HEALTHY_PANIC_THRESHOLD,
    connectionPool: pool === undefined ? { ...ISTIO_CONNECTION_POOL } : pool,
    rateLimit: rateLimitOf(pick("rateLimit")),
    connectTimeoutMs: pick("connectTimeout") ?? ISTIO_CONNECT_TIMEOUT_MS,
    healthCheck: healthCheckOf(pick("healthCheck")),
  };
}

/** The recovery settings of a traffic policy that sets none (Istio's and Envoy's defaults). */
export function defaultResilience(): ResilienceSpec {
  return resilienceFor(undefined, { subsets: [], routes: [] }, [], []);
}

function retriesOf(raw: RawPolicy["retries"]): RetrySpec {
  if (raw === undefined) return ISTIO_RETRIES;
  return {
    attempts: raw.attempts,
    perTryTimeoutMs: raw.perTryTimeout ?? null,
    retryOn: raw.retryOn ?? [...ISTIO_RETRY_ON],
    backoff: {
      baseMs: raw.backoff.base,
      maxMs: raw.backoff.max ?? ENVOY_RETRY_BACKOFF.maxPerBase * raw.backoff.base,
      jitter: raw.backoff.jitter,
    },
  };
}

function circuitBreakerOf(raw: RawPolicy["circuitBreaker"]): CircuitBreakerSpec | null {
  if (raw == null) return null;
  return {
    slidingWindowType: raw.slidingWindowType,
    slidingWindowSize: raw.slidingWindowSize,
    minimumNumberOfCalls: raw.minimumNumberOfCalls,
    failureRateThreshold: raw.failureRateThreshold,
    slowCallRateThreshold: raw.slowCallRateThreshold,
    slowCallDurationThresholdMs: raw.slowCallDurationThreshold,
    waitDurationInOpenStateMs: raw.waitDurationInOpenState,
    permittedNumberOfCallsInHalfOpenState: raw.permittedNumberOfCallsInHalfOpenState,
    automaticTransitionFromOpenToHalfOpenEnabled: raw.automaticTransitionFromOpenToHalfOpenEnabled,
    maxWaitDurationInHalfOpenStateMs: raw.maxWaitDurationInHalfOpenState,
  };
}

function outlierDetectionOf(raw: RawPolicy["outlierDetection"]): OutlierDetectionSpec | null {
  if (raw == null) return null;
  return {
    consecutive5xxErrors: raw.consecutive5xxErrors,
    consecutiveGatewayErrors: raw.consecutiveGatewayErrors,
    intervalMs: raw.interval,
    baseEjectionTimeMs: raw.baseEjectionTime,
    maxEjectionTimeMs: raw.maxEjectionTime,
    maxEjectionPercent: raw.maxEjectionPercent,
    alwaysEjectOneHost: raw.alwaysEjectOneHost,
    successRateMinimumHosts: raw.successRateMinimumHosts,
    successRateRequestVolume: raw.successRateRequestVolume,
    successRateStdevFactor: raw.successRateStdevFactor,
    enforcingSuccessRate: raw.enforcingSuccessRate,
    failurePercentageThreshold: raw.failurePercentageThreshold,
    enforcingFailurePercentage: raw.enforcingFailurePercentage,
    failurePercentageMinimumHosts: raw.failurePercentageMinimumHosts,
    failurePercentageRequestVolume: raw.failurePercentageRequestVolume,
  };
}

function rateLimitOf(raw: RawPolicy["rateLimit"]): RateLimitSpec | null {
  if (raw == null) return null;
  return {
    maxTokens: raw.maxTokens,
    tokensPerFill: raw.tokensPerFill,
    fillIntervalMs: raw.fillInterval,
    per: raw.per,
  };
}

function healthCheckOf(raw: RawPolicy["healthCheck"]): ResilienceSpec["healthCheck"] {
  return raw == null ? null : toHealthCheck(raw);
}
