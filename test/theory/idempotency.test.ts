// Double charges against their closed form. A checkout calls payment.charge with a per-try timeout
// T and up to r retries on timeout (Envoy retry_on gateway-error); the charge takes exp(mean m),
// there is no queueing and no network latency, and a try that times out still runs to its end and
// charges (onCancel: finish). Try k+1 is sent exactly when tries 1..k all timed out, each
// independently with p = P(S > T) = exp(-T/m), so with no idempotency key an order is charged N
// times with P(N > k) = p^k, and
//   duplicate charges per order  E[N - 1] = p + p^2 + ... + p^r,
//   orders charged twice or more P(N > 1) = p.
// A stable key (one per logical request, Stripe's pattern) makes every retry a replay, a 409 or a
// wait on the first: zero duplicates, whatever the faults. A key minted per try never repeats, so
// it protects nothing: the same figures as no key, run for run.
import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import type { RunResult } from "../../src/result/run.ts";
import { runScenario } from "../../src/run/runScenario.ts";
import { parseScenario } from "../../src/scenario/loader.ts";
import { faultTimeline } from "../../src/testing/arbitraries/faultTimeline.ts";
import { shopText } from "../helpers/shop.ts";
import { expectNearTheory, fmt, seedText } from "../helpers/theory.ts";

const MEAN_MS = 200;
const TIMEOUT_MS = 300;
const RETRIES = 2;
const P = Math.exp(-TIMEOUT_MS / MEAN_MS);
const DUPLICATES = Array.from({ length: RETRIES }, (_, k) => P ** (k + 1)).reduce((a, b) => a + b);
const SEEDS = [1, 2, 3, 4, 5, 6];

/** 50 orders a second for 190 s, then 10 s for the last retries' charges to finish. */
function shop(seed: number, key: string): RunResult {
  const text = shopText({
    seed,
    rate: 50,
    duration: "200s",
    loadDuration: "190s",
    serviceTime: `exp(${MEAN_MS}ms)`,
    perTryTimeout: `${TIMEOUT_MS}ms`,
    attempts: RETRIES,
    extraCharge: key,
  });
  return runScenario(parseScenario(text, "shop.yaml"));
}

const NO_KEY = "";
const STABLE_KEY = "        idempotency: { key: request }";
const PER_TRY_KEY = "        idempotency: { key: request, scope: try }";

describe(`duplicate charges with per-try timeout ${TIMEOUT_MS} ms, ${RETRIES} retries, exp(${MEAN_MS}ms) charges (${seedText(SEEDS)})`, () => {
  const noKey = SEEDS.map((seed) => shop(seed, NO_KEY));

  test(`with no key, duplicate charges per order are p + p² = ${fmt(DUPLICATES)}`, () => {
    // Measured: mean 0.2699 (sd 0.0038 over seeds 1-6, about 9,500 orders each; tolerance 4 SE =
    // 0.0062); seeds 11-20 gave 0.2718.
    expectNearTheory(
      "duplicate charges per order",
      noKey.map((r) => r.transactions!.duplicateCharges / r.transactions!.orders),
      DUPLICATES,
    );
  });

  test(`with no key, the share of orders charged twice or more is p = ${fmt(P)}`, () => {
    expectNearTheory(
      "orders double-charged",
      noKey.map((r) => r.transactions!.doubleCharges / r.transactions!.orders),
      P,
    );
  });

  test("a key minted per try protects nothing: the same ledger as no key, run for run", () => {
    SEEDS.forEach((seed, i) => {
      const perTry = shop(seed, PER_TRY_KEY).transactions!;
      const none = noKey[i].transactions!;
      expect(perTry.doubleCharges).toBe(none.doubleCharges);
      expect(perTry.duplicateCharges).toBe(none.duplicateCharges);
      expect(perTry.effects).toEqual(none.effects);
    });
  });

  test("a stable key leaves no duplicate charge: each retry of a running charge is refused (409)", () => {
    for (const seed of SEEDS.slice(0, 2)) {
      const t = shop(seed, STABLE_KEY).transactions!;
      expect(t.doubleCharges).toBe(0);
      expect(t.effects.charge).toBe(t.orders);
      expect(t.idempotency.conflicts).toBeGreaterThan(0);
    }
  });
});

describe("a stable key under random fault timelines", () => {
  const base = parseScenario(
    shopText({ paymentInstances: 3, rate: 20, duration: "30s", loadDuration: "25s" }),
    "shop.yaml",
  );
  const timelines = faultTimeline(base, {
    kinds: ["pod-kill", "pod-failure", "delay", "abort", "cpu-stress"],
    maxFaults: 3,
    within: { from: "1s", to: "24s" },
  });
  fcTest.prop([timelines, fc.integer({ min: 1, max: 1000 }), fc.constantFrom("conflict", "wait")], {
    numRuns: 25,
  })("never charges an order twice", (faults, seed, concurrent) => {
    const text = shopText({
      seed,
      paymentInstances: 3,
      rate: 20,
      duration: "30s",
      loadDuration: "25s",
      serviceTime: `exp(${MEAN_MS}ms)`,
      perTryTimeout: `${TIMEOUT_MS}ms`,
      attempts: RETRIES,
      extraCharge: `        idempotency: { key: request, concurrent: ${concurrent} }`,
      faults: JSON.stringify(faults),
    });
    const t = runScenario(parseScenario(text, "shop.yaml")).transactions!;
    expect(t.orders).toBeGreaterThan(0);
    expect(t.doubleCharges).toBe(0);
    expect(t.duplicateCharges).toBe(0);
  });
});
