// fast-check arbitrary of an Istio DestinationRule-style traffic policy as a scenario file writes it
// (`mesh.defaults` or `mesh.services.<name>`): a balancer, a route timeout, Istio retries, a
// resilience4j breaker, Envoy outlier detection and a local rate limit, each present or absent. Values stay in ranges
// where a short run can reach the mechanism (a breaker that can open within seconds). Every part
// shrinks towards absent, so a failing policy shrinks to the settings it needs.
import fc from "fast-check";

/** A traffic policy as written in a scenario file (camelCase keys, durations as strings). */
export type TrafficPolicyDocument = Record<string, unknown>;

const ms = (lo: number, hi: number) => fc.integer({ min: lo, max: hi }).map((v) => `${v}ms`);

const loadBalancer = fc.record({
  policy: fc.constantFrom("round-robin", "random", "least-request"),
});

const retries = fc.record({
  attempts: fc.integer({ min: 0, max: 3 }),
  perTryTimeout: fc.option(ms(50, 1000), { nil: undefined }),
  retryOn: fc.constant(["5xx", "reset", "connect-failure"]),
});

const circuitBreaker = fc.record({
  slidingWindowType: fc.constant("COUNT_BASED"),
  slidingWindowSize: fc.integer({ min: 5, max: 50 }),
  minimumNumberOfCalls: fc.integer({ min: 5, max: 20 }),
  failureRateThreshold: fc.integer({ min: 10, max: 90 }),
  waitDurationInOpenState: ms(200, 5000),
  permittedNumberOfCallsInHalfOpenState: fc.integer({ min: 1, max: 5 }),
});

const outlierDetection = fc.record({
  consecutive5xxErrors: fc.integer({ min: 1, max: 5 }),
  interval: ms(200, 2000),
  baseEjectionTime: ms(500, 10000),
  maxEjectionPercent: fc.integer({ min: 0, max: 100 }),
});

const rateLimit = fc.record({
  maxTokens: fc.integer({ min: 1, max: 50 }),
  tokensPerFill: fc.integer({ min: 1, max: 20 }),
  fillInterval: ms(10, 1000),
  per: fc.constantFrom("proxy", "instance"),
});

/** Small limits, so runs reach them: Envoy's max_requests, max_pending_requests and (HTTP/1.1) max connections. */
const connectionPool = fc.record(
  {
    maxRequests: fc.integer({ min: 1, max: 20 }),
    maxPendingRequests: fc.integer({ min: 0, max: 20 }),
    maxConnections: fc.integer({ min: 1, max: 10 }),
  },
  { requiredKeys: [] },
);

/** Envoy's retry budget, small enough that a retry storm meets it. */
const retryBudget = fc.record({
  budgetPercent: fc.integer({ min: 0, max: 50 }),
  minRetryConcurrency: fc.integer({ min: 0, max: 3 }),
});

/** Each field of a traffic policy, present or absent. */
export function trafficPolicy(): fc.Arbitrary<TrafficPolicyDocument> {
  return fc.record(
    {
      loadBalancer,
      timeout: ms(100, 3000),
      retries,
      retryBudget,
      maxRetries: fc.integer({ min: 0, max: 5 }),
      circuitBreaker,
      outlierDetection,
      healthyPanicThreshold: fc.integer({ min: 0, max: 100 }),
      connectionPool,
      rateLimit,
    },
    { requiredKeys: [] },
  );
}
