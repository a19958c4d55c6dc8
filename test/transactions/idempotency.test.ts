// The idempotency-key store at the callee (Stripe's semantics): a stored result is replayed without
// a second effect, a duplicate of a running request is refused with 409 or waits for its result,
// a key is forgotten after its retention, and a key naming an attribute no load sets is bad input.
import { describe, expect, test } from "vitest";
import { runScenario } from "../../src/run/runScenario.ts";
import { parseScenario } from "../../src/scenario/loader.ts";
import { shopText } from "../helpers/shop.ts";

/** Every order carries the same `cart` attribute: one key for the whole run (a key from a shared field). */
function sharedKey(idempotency: string, serviceTime = "const(100ms)", attempts = 0) {
  const text = shopText({
    serviceTime,
    attempts,
    perTryTimeout: "10s",
    loadDuration: "90s",
    extraCharge: `        idempotency: ${idempotency}`,
  }).replace("target: shop.checkout", "target: shop.checkout\n    attributes: { cart: { c1: 1 } }");
  return runScenario(parseScenario(text, "shop.yaml"));
}

describe("the idempotency-key store", () => {
  test("replays the stored result to a later request with the same key, without charging again", () => {
    const r = sharedKey("{ key: cart }");
    const t = r.transactions!;
    expect(t.effects.charge).toBe(1);
    expect(t.idempotency.replayed).toBe(r.load.buyers.offered - 1);
    expect(r.load.buyers.failed).toBe(0);
  });

  test("forgets a key after its retention, so the next request with it charges again", () => {
    // Orders arrive about once a second for 90 s; each stored key lasts 10 s.
    const t = sharedKey("{ key: cart, retention: 10s }").transactions!;
    expect(t.effects.charge).toBeGreaterThanOrEqual(8);
    expect(t.effects.charge).toBeLessThanOrEqual(10);
  });

  test("refuses a duplicate that arrives while the first runs with 409 (Stripe)", () => {
    const r = sharedKey("{ key: cart }", "const(5s)");
    const t = r.transactions!;
    expect(t.idempotency.conflicts).toBeGreaterThan(0);
    expect(r.load.buyers.failures["409"]).toBe(t.idempotency.conflicts);
    expect(t.idempotency.waited).toBe(0);
  });

  test("with concurrent: wait, holds the duplicate until the first ends and gives it that result", () => {
    const r = sharedKey("{ key: cart, concurrent: wait }", "const(5s)");
    const t = r.transactions!;
    expect(t.idempotency.waited).toBeGreaterThan(0);
    expect(t.idempotency.conflicts).toBe(0);
    expect(r.load.buyers.failed).toBe(0);
    expect(t.effects.charge).toBe(1);
  });

  test("a retried charge with a stable key is charged once, the retry refused while the first runs", () => {
    const text = shopText({
      attempts: 2,
      loadDuration: "95s",
      extraCharge: "        idempotency: { key: request }",
    });
    const r = runScenario(parseScenario(text, "shop.yaml"));
    const t = r.transactions!;
    expect(t.doubleCharges).toBe(0);
    expect(t.effects.charge).toBe(t.orders);
    expect(t.idempotency.conflicts).toBeGreaterThan(0);
  });

  test("a key naming an attribute no load sets is bad input naming the field", () => {
    const text = shopText({ extraCharge: "        idempotency: { key: orderId }" });
    expect(() => parseScenario(text, "shop.yaml")).toThrow(
      /services\.payment\.operations\.charge\.idempotency\.key.*orderId.*no load sets/,
    );
  });
});
