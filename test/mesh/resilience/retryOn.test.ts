// Istio/Envoy retryOn conditions against every kind of attempt outcome. Mirrors
// src/mesh/resilience/retryOn.ts.
import { describe, expect, it } from "vitest";
import {
  localReplyStatus,
  type Outcome,
  type OutcomeReason,
  parseRetryOn,
} from "../../../src/mesh/resilience/retryOn.ts";
import { ISTIO_RETRY_ON } from "../../../src/scenario/defaults.ts";

const answer = (status: number): Outcome => ({ status, reason: "answer" });
const local = (reason: Exclude<OutcomeReason, "answer" | "rate-limited">): Outcome => ({
  status: localReplyStatus(reason),
  reason,
});
const timeout = local("timeout");
const reset = local("reset");
const refused = local("refused-stream");
const connectFailure = local("connect-failure");
const overflow = local("overflow");
const rateLimited: Outcome = { status: 429, reason: "rate-limited" };

/** The outcomes in a fixed order, for compact expectations. */
const CASES: [string, Outcome][] = [
  ["200", answer(200)],
  ["409", answer(409)],
  ["429", answer(429)],
  ["500", answer(500)],
  ["501", answer(501)],
  ["502", answer(502)],
  ["503", answer(503)],
  ["504", answer(504)],
  ["599", answer(599)],
  ["rate-limited", rateLimited],
  ["timeout", timeout],
  ["reset", reset],
  ["refused-stream", refused],
  ["connect-failure", connectFailure],
  ["overflow", overflow],
];

function retried(list: string[]): string[] {
  const retryOn = parseRetryOn(list);
  return CASES.filter(([, outcome]) => retryOn.shouldRetry(outcome)).map(([name]) => name);
}

describe("parsing retryOn", () => {
  it("splits comma lists, trims blanks and sorts, as Istio's parser does", () => {
    const retryOn = parseRetryOn([" reset , 5xx", "", "gateway-error,"]);
    expect(retryOn.conditions).toEqual(["5xx", "gateway-error", "reset"]);
    expect(retryOn.statusCodes).toEqual([]);
  });

  it("turns bare status codes into retriable status codes and adds retriable-status-codes, as Istio does", () => {
    const retryOn = parseRetryOn(["504", "connect-failure", "503"]);
    expect(retryOn.statusCodes).toEqual([503, 504]);
    expect(retryOn.conditions).toEqual(["connect-failure", "retriable-status-codes"]);
  });

  it("rejects an unknown condition, listing the accepted ones", () => {
    expect(() => parseRetryOn(["5xx", "timeout"])).toThrow(
      /unknown retryOn condition "timeout"; accepted: 5xx, gateway-error, reset, .*unavailable, or an HTTP status code/,
    );
    expect(() => parseRetryOn(["5XX"])).toThrow(/unknown retryOn condition "5XX"/);
  });

  it("names Envoy conditions meshsim does not model instead of calling them unknown", () => {
    expect(() => parseRetryOn(["retriable-headers"])).toThrow(
      /"retriable-headers" is Envoy's but meshsim does not model it/,
    );
  });

  it("rejects numbers that are not HTTP status codes", () => {
    expect(() => parseRetryOn(["99"])).toThrow(RangeError);
    expect(() => parseRetryOn(["600"])).toThrow(/status code must be in \[100, 599\], got "600"/);
  });

  it("gives the status Envoy answers for attempts without an upstream answer: 504 for a per-try timeout, else 503", () => {
    expect([timeout, reset, refused, connectFailure, overflow].map((o) => o.status)).toEqual([
      504, 503, 503, 503, 503,
    ]);
  });
});

describe("each retryOn condition", () => {
  it("5xx retries every 5xx answer and every reset, timeout and connect failure, but not overflow", () => {
    expect(retried(["5xx"])).toEqual([
      "500",
      "501",
      "502",
      "503",
      "504",
      "599",
      "timeout",
      "reset",
      "refused-stream",
      "connect-failure",
    ]);
  });

  it("gateway-error retries 502, 503, 504 answers and, like 5xx, every reset", () => {
    expect(retried(["gateway-error"])).toEqual([
      "502",
      "503",
      "504",
      "timeout",
      "reset",
      "refused-stream",
      "connect-failure",
    ]);
  });

  it("reset retries any reset, per-try timeouts included, and no answer", () => {
    expect(retried(["reset"])).toEqual(["timeout", "reset", "refused-stream", "connect-failure"]);
  });

  it("reset-before-request retries only attempts whose request never left, i.e. connect failures", () => {
    expect(retried(["reset-before-request"])).toEqual(["connect-failure"]);
  });

  it("connect-failure retries only a host that could not be reached, not a 503 answer", () => {
    expect(retried(["connect-failure"])).toEqual(["connect-failure"]);
  });

  it("refused-stream retries only REFUSED_STREAM resets", () => {
    expect(retried(["refused-stream"])).toEqual(["refused-stream"]);
  });

  it("retriable-4xx retries 409 Conflict only", () => {
    expect(retried(["retriable-4xx"])).toEqual(["409"]);
  });

  it("retriable-status-codes alone retries nothing; with codes it retries exactly those answers", () => {
    expect(retried(["retriable-status-codes"])).toEqual([]);
    expect(retried(["retriable-status-codes", "503"])).toEqual(["503"]);
  });

  it("a listed 504 does not retry a per-try timeout: timeouts take the reset path, which ignores codes", () => {
    expect(parseRetryOn(["504"]).shouldRetry(timeout)).toBe(false);
    expect(parseRetryOn(["504"]).shouldRetry(answer(504))).toBe(true);
  });

  it("a listed 429 retries an application's 429 but not one from an Envoy rate limiter", () => {
    expect(retried(["429"])).toEqual(["429"]);
  });

  it("envoy-ratelimited retries only answers from an Envoy rate limiter", () => {
    expect(retried(["envoy-ratelimited"])).toEqual(["rate-limited"]);
  });

  it("there is no timeout condition: 5xx, gateway-error or reset retry a per-try timeout", () => {
    for (const list of [["5xx"], ["gateway-error"], ["reset"]])
      expect(parseRetryOn(list).shouldRetry(timeout)).toBe(true);
    expect(
      parseRetryOn(["connect-failure", "refused-stream", "retriable-4xx"]).shouldRetry(timeout),
    ).toBe(false);
  });

  it("gRPC conditions are accepted but never match meshsim's HTTP answers, which carry no grpc-status", () => {
    const grpc = [
      "cancelled",
      "deadline-exceeded",
      "internal",
      "resource-exhausted",
      "unavailable",
    ];
    expect(parseRetryOn(grpc).conditions).toEqual([...grpc].sort());
    expect(retried(grpc)).toEqual([]);
  });

  it("never retries this proxy's own overflow or a success, whatever is listed", () => {
    const everything = parseRetryOn([
      "5xx",
      "gateway-error",
      "reset",
      "reset-before-request",
      "connect-failure",
      "retriable-4xx",
      "refused-stream",
      "envoy-ratelimited",
      "cancelled",
      "deadline-exceeded",
      "internal",
      "resource-exhausted",
      "unavailable",
      "409",
      "429",
      "503",
    ]);
    expect(everything.shouldRetry(overflow)).toBe(false);
    expect(everything.shouldRetry(answer(200))).toBe(false);
    expect(everything.shouldRetry(answer(404))).toBe(false);
  });

  it("Istio's default policy retries connect failures and refused streams, not 503s, resets or timeouts", () => {
    expect(retried([...ISTIO_RETRY_ON])).toEqual(["refused-stream", "connect-failure"]);
  });
});
