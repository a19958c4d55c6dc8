// Retry conditions as Istio's HTTPRetry.retryOn passes them to Envoy's router (retry_state_impl.cc:
// parseRetryOn, wouldRetryFromHeaders, wouldRetryFromReset; Istio retry.go parseRetryOn). Decides
// only whether an outcome is retriable; attempts left, budgets and back-off are other modules'.
// Left out: retriable-headers, http3-post-connect-failure, hedging, early-data (425) retries.
//
// Semantics kept from Envoy's source:
// - Answers (response headers). An answer from an Envoy rate-limit filter (x-envoy-ratelimited;
//   the local rate limiter sets it) is retried only under `envoy-ratelimited`, and nothing else is
//   checked, so `retriable-status-codes` listing 429 does not retry it. Otherwise `5xx` retries
//   500-599, `gateway-error` 502/503/504, `retriable-4xx` 409, and listed status codes retry exactly
//   those codes (only under `retriable-status-codes`, which Istio adds when it sees a bare code).
// - Resets never look at a status code. Local overflow (this proxy's circuit breaker, flag UO) is
//   never retried. A connect failure is retried by connect-failure, reset, reset-before-request,
//   5xx and gateway-error. Any other reset (the instance died mid-request, or REFUSED_STREAM) is
//   retried by reset, 5xx and gateway-error ("we count an upstream reset as a 5xx"), REFUSED_STREAM
//   also by refused-stream; reset-before-request does not apply, the request bytes were sent.
// - There is no `timeout` condition. A per-try timeout resets the attempt locally and goes down
//   the reset path (router.cc onPerTryTimeoutCommon -> maybeRetryReset), so reset, 5xx and
//   gateway-error retry it; `retriable-status-codes: 504` does not. Unretried, it answers 504 (UT).
// - gRPC conditions (cancelled, deadline-exceeded, internal, resource-exhausted, unavailable) match
//   the grpc-status of an answer. meshsim models HTTP answers without grpc-status, so they are
//   accepted (Istio's default policy lists two) but never match.

/** How an attempt ended, as the caller's proxy sees it. */
export type OutcomeReason =
  /** The upstream answered with `status` (any code, success included). */
  | "answer"
  /** An Envoy rate-limit filter answered (429 with x-envoy-ratelimited), e.g. the server's local limiter. */
  | "rate-limited"
  /** The per-try timeout fired; Envoy resets the attempt and, if it does not retry, answers 504. */
  | "timeout"
  /** The upstream stream or connection was reset after the request was sent (e.g. the instance died); 503. */
  | "reset"
  /** The upstream refused the HTTP/2 stream without processing it (REFUSED_STREAM); 503. */
  | "refused-stream"
  /** The host could not be reached (connection refused or timed out, e.g. a partition); 503, flag UF. */
  | "connect-failure"
  /** This proxy's own circuit breaker overflowed (pending or requests limit); 503, flag UO. */
  | "overflow";

export type Outcome = { status: number; reason: OutcomeReason };

/** The status Envoy answers downstream for an attempt that ended without an upstream answer. */
export function localReplyStatus(
  reason: Exclude<OutcomeReason, "answer" | "rate-limited">,
): number {
  return reason === "timeout" ? 504 : 503;
}

const HTTP_CONDITIONS = [
  "5xx",
  "gateway-error",
  "reset",
  "reset-before-request",
  "connect-failure",
  "retriable-4xx",
  "refused-stream",
  "retriable-status-codes",
  "envoy-ratelimited",
] as const;
const GRPC_CONDITIONS = [
  "cancelled",
  "deadline-exceeded",
  "internal",
  "resource-exhausted",
  "unavailable",
] as const;
const NOT_MODELLED = ["retriable-headers", "http3-post-connect-failure"];

export type RetryCondition = (typeof HTTP_CONDITIONS)[number] | (typeof GRPC_CONDITIONS)[number];

const KNOWN = new Set<string>([...HTTP_CONDITIONS, ...GRPC_CONDITIONS]);
const ACCEPTED = `${[...HTTP_CONDITIONS, ...GRPC_CONDITIONS].join(", ")}, or an HTTP status code such as "503"`;

export class RetryOn {
  /** The named conditions, sorted. Bare codes imply "retriable-status-codes", as Istio adds it. */
  readonly conditions: readonly RetryCondition[];
  /** The status codes retried under "retriable-status-codes", sorted ascending. */
  readonly statusCodes: readonly number[];
  private readonly on: ReadonlySet<RetryCondition>;
  private readonly codes: ReadonlySet<number>;

  constructor(conditions: Iterable<RetryCondition>, statusCodes: Iterable<number>) {
    this.on = new Set(conditions);
    this.codes = new Set(statusCodes);
    this.conditions = Object.freeze([...this.on].sort());
    this.statusCodes = Object.freeze([...this.codes].sort((a, b) => a - b));
  }

  has(condition: RetryCondition): boolean {
    return this.on.has(condition);
  }

  shouldRetry(outcome: Outcome): boolean {
    const on = this.on;
    switch (outcome.reason) {
      case "answer": {
        const s = outcome.status;
        if (on.has("5xx") && s >= 500 && s <= 599) return true;
        if (on.has("gateway-error") && (s === 502 || s === 503 || s === 504)) return true;
        if (on.has("retriable-4xx") && s === 409) return true;
        return on.has("retriable-status-codes") && this.codes.has(s);
      }
      case "rate-limited":
        return on.has("envoy-ratelimited");
      case "overflow":
        return false;
      case "connect-failure":
        if (on.has("connect-failure") || on.has("reset-before-request")) return true;
        return on.has("reset") || on.has("5xx") || on.has("gateway-error");
      case "refused-stream":
        if (on.has("refused-stream")) return true;
        return on.has("reset") || on.has("5xx") || on.has("gateway-error");
      case "reset":
      case "timeout":
        return on.has("reset") || on.has("5xx") || on.has("gateway-error");
    }
  }
}

/**
 * Parses Istio retryOn entries: condition names and bare status codes, each entry possibly a
 * comma-separated list as in a VirtualService (`"5xx,reset,503"`). Names are case-sensitive as in
 * Envoy; blanks are skipped as Istio does. Istio treats only codes Go knows as status codes; here
 * any integer in [100, 599] is one.
 */
export function parseRetryOn(list: readonly string[]): RetryOn {
  const conditions = new Set<RetryCondition>();
  const codes = new Set<number>();
  for (const entry of list) {
    for (const raw of String(entry).split(",")) {
      const part = raw.trim();
      if (part === "") continue;
      if (/^\d+$/.test(part)) {
        const code = Number(part);
        if (code < 100 || code > 599) {
          throw new RangeError(`retryOn status code must be in [100, 599], got "${part}"`);
        }
        codes.add(code);
        conditions.add("retriable-status-codes");
      } else if (KNOWN.has(part)) {
        conditions.add(part as RetryCondition);
      } else if (NOT_MODELLED.includes(part)) {
        throw new Error(
          `retryOn condition "${part}" is Envoy's but meshsim does not model it; accepted: ${ACCEPTED}`,
        );
      } else {
        throw new Error(`unknown retryOn condition "${part}"; accepted: ${ACCEPTED}`);
      }
    }
  }
  return new RetryOn(conditions, codes);
}
