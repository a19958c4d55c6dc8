// Envoy's fully jittered exponential retry back-off. Mirrors src/mesh/resilience/retryBackOff.ts.
// fast-check prints its seed on failure; pass { seed } to test.prop to replay one.
import { fc, test as propTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../../src/kernel/random.ts";
import {
  backoffBoundMs,
  backoffConfig,
  backoffDelay,
} from "../../../src/mesh/resilience/retryBackOff.ts";
import { ENVOY_RETRY_BACKOFF as ENVOY } from "../../../src/scenario/defaults.ts";

const JUST_BELOW_ONE = 1 - 2 ** -40;

describe("Envoy's jittered back-off", () => {
  const envoy = backoffConfig(ENVOY.baseMs, ENVOY.maxPerBase * ENVOY.baseMs, ENVOY.jitter);

  it("uses Envoy's defaults: a 25 ms base and a cap of 10 x base, fully jittered", () => {
    expect(envoy).toEqual({ baseMs: 25, maxMs: 250, jitter: "full" });
    expect(backoffConfig(100, ENVOY.maxPerBase * 100, ENVOY.jitter)).toEqual({
      baseMs: 100,
      maxMs: 1000,
      jitter: "full",
    });
    expect(backoffConfig(100, 300, "none")).toEqual({
      baseMs: 100,
      maxMs: 300,
      jitter: "none",
    });
  });

  it("waits 0-24, 0-74, 0-174 ms before retries 1, 2, 3 at base 25, as Envoy's router docs give it", () => {
    expect([1, 2, 3].map((n) => backoffDelay(envoy, n, 0))).toEqual([0, 0, 0]);
    expect([1, 2, 3].map((n) => backoffDelay(envoy, n, JUST_BELOW_ONE))).toEqual([24, 74, 174]);
  });

  it("grows the bound as (2^n - 1) x base until it sticks at max: 25, 75, 175, 250, 250", () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffBoundMs(envoy, n))).toEqual([25, 75, 175, 250, 250]);
  });

  it("caps even the thousandth retry at max without overflowing", () => {
    expect(backoffBoundMs(envoy, 1000)).toBe(250);
    expect(backoffDelay(envoy, 1000, JUST_BELOW_ONE)).toBe(249);
    expect(backoffBoundMs(backoffConfig(1, 2 ** 40, ENVOY.jitter), 52)).toBe(2 ** 40);
  });

  propTest.prop([
    fc.integer({ min: 1, max: 1000 }),
    fc.integer({ min: 1, max: 64 }),
    fc.integer({ min: 1, max: 60 }),
    fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  ])("draws a whole number of ms in [0, bound), the bound excluded", (baseMs, factor, retry, u) => {
    const config = backoffConfig(baseMs, baseMs * factor, ENVOY.jitter);
    const delay = backoffDelay(config, retry, u);
    const bound = backoffBoundMs(config, retry);
    expect(Number.isInteger(delay) && delay >= 0 && delay < bound).toBe(true);
    expect(bound).toBeLessThanOrEqual(config.maxMs);
  });

  it("averages (bound - 1) / 2 over many draws: half the bound, in whole ms, within 5 standard errors", () => {
    const rng = new RandomStreams(11).get("backoff/mean");
    const n = 100_000;
    for (const retry of [1, 3, 6]) {
      const bound = backoffBoundMs(envoy, retry);
      let sum = 0;
      for (let i = 0; i < n; i++) sum += backoffDelay(envoy, retry, rng.next());
      const standardError = Math.sqrt((bound * bound - 1) / 12 / n);
      expect(Math.abs(sum / n - (bound - 1) / 2), `retry ${retry}, bound ${bound}`).toBeLessThan(
        5 * standardError,
      );
    }
  });

  it("without jitter waits the bound itself, whatever the draw", () => {
    const none = backoffConfig(25, 250, "none");
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(none, n, 0.3))).toEqual([
      25, 75, 175, 250, 250, 250,
    ]);
  });

  it("refuses configs and arguments Envoy could not run with, naming the field", () => {
    expect(() => backoffConfig(0, ENVOY.maxPerBase * 0, ENVOY.jitter)).toThrow(RangeError);
    expect(() => backoffConfig(2.5, ENVOY.maxPerBase * 2.5, ENVOY.jitter)).toThrow(
      /baseMs must be a whole number/,
    );
    expect(() => backoffConfig(25, 20, ENVOY.jitter)).toThrow(
      /maxMs must be .* >= baseMs \(25\), got 20/,
    );
    expect(() => backoffConfig(25, 250, "equal" as "full")).toThrow(
      /jitter must be "full" or "none"/,
    );
    expect(() => backoffDelay(envoy, 0, 0.5)).toThrow(/retryNumber must be an integer >= 1/);
    expect(() => backoffDelay(envoy, 1.5, 0.5)).toThrow(RangeError);
    expect(() => backoffDelay(envoy, 1, 1)).toThrow(/draw u must be in \[0, 1\)/);
    expect(() => backoffDelay(envoy, 1, Number.NaN)).toThrow(RangeError);
  });
});
