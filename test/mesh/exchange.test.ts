// The exchange's bookkeeping of active retries (Envoy's active-retries resource, which maxRetries
// and the retry budget cap), seen through runs small enough to follow by hand.
import { describe, expect, it } from "vitest";
import { constant } from "../../src/kernel/distributions.ts";
import { runScenario } from "../../src/run/runScenario.ts";
import type { LoadSpec } from "../../src/scenario/types.ts";
import { scenario, station } from "../helpers/scenarios.ts";

/** A request every 10 ms for 1 s, from one client. */
const EVERY_10_MS: LoadSpec = {
  name: "customers",
  executor: "constant-arrival-rate",
  target: { service: "server", operation: "work" },
  startTimeMs: 0,
  durationMs: 1000,
  clients: 1,
  zone: null,
  keys: null,
  attributes: [],
  ratePerMs: 0.1,
  arrival: "uniform",
};

describe("exchange", () => {
  // A request every 10 ms; every try fails after 1 ms; the one retry waits 25 ms (no jitter) and
  // the 20 ms route timeout always ends the request first, cancelling the waiting retry. With
  // maxRetries 1, request k + 1 fails while request k's retry still waits, so it may not retry;
  // request k + 2 fails after that retry was cancelled, so it may. Waiting retries and overflows
  // alternate; no retry is ever sent, so none is counted (retries count what goes out).
  // (A route timeout once freed the waiting retry twice, the count went negative, and every
  // request retried.)
  it("a route timeout during a back-off frees the waiting retry once: with maxRetries 1, every other request may retry", () => {
    const s = scenario({
      services: [
        station({
          concurrency: 1000,
          serviceTime: constant(1),
          errorRate: 1,
          resilience: {
            timeoutMs: 20,
            maxRetries: 1,
            retries: {
              attempts: 1,
              retryOn: ["5xx"],
              perTryTimeoutMs: null,
              backoff: { baseMs: 25, maxMs: 250, jitter: "none" },
            },
          },
        }),
      ],
      load: [EVERY_10_MS],
      durationMs: 1100,
    });
    const run = runScenario(s);
    const load = run.load.customers;
    const proxy = run.edges["load:customers->server"].proxy;
    expect(load.inFlight).toBe(0);
    // A request whose retry waited timed out (504); one that could not retry failed with its 500.
    const waited = load.failures["504"];
    expect(Math.abs(waited - proxy.retryOverflows)).toBeLessThanOrEqual(1);
    expect(waited + proxy.retryOverflows).toBe(load.offered);
    expect(load.failures).toEqual({ "500": proxy.retryOverflows, "504": waited });
    expect(proxy.retries).toBe(0);
    expect(proxy.tries).toBe(load.offered);
  });
});
