// Orchestrated sagas on a checkout whose ledger can be worked out by hand (test/helpers/sagaShop.ts:
// every step 10 ms, no network latency, no queueing): a failed step runs the compensations of the
// completed steps in reverse order, one after another; a compensation is retried by its policy and
// may run out of tries; a saga past its timeout answers 504 and compensates the step that answers
// late; a step that failed at the caller but did its work leaves an orphan unless the saga also
// compensates failed steps (Temporal's pattern). And it is bad input to name a compensation that
// does not exist, or to leave a saga step that changes the order without one.
import { describe, expect, test } from "vitest";
import { resultJson } from "../../src/run/files.ts";
import { runScenario } from "../../src/run/runScenario.ts";
import { parseScenario } from "../../src/scenario/loader.ts";
import { problemsOf, shown } from "../helpers/problems.ts";
import { sagaShopText } from "../helpers/sagaShop.ts";

const run = (o: Parameters<typeof sagaShopText>[0]) =>
  runScenario(parseScenario(sagaShopText(o), "saga.yaml"));

const invariant = (r: ReturnType<typeof run>, name: string) =>
  r.transactions!.invariants.find((i) => i.name === name)!;

describe("an orchestrated saga", () => {
  test("whose steps all succeed completes, with no compensation", () => {
    const r = run({});
    const t = r.transactions!;
    const n = r.load.buyers.offered;
    expect(r.load.buyers.completed).toBe(n);
    expect(t.orders).toBe(n);
    expect(t.sagas).toEqual({ completed: n, compensated: 0, timedOut: 0, compensationFailed: 0 });
    expect(t.compensations).toBe(0);
    expect(t.compensationTries).toEqual({ total: 0, retries: 0, peakPerSecond: 0 });
    // create at 10 ms, reserve at 20, charge at 30: the order is consistent 20 ms after its first effect.
    expect(t.inconsistencyWindowMs.max).toBe(20);
  });

  test("whose charge fails releases the stock, then cancels the order: two compensations, in reverse", () => {
    const r = run({ chargeErrorRate: 1 });
    const t = r.transactions!;
    const n = r.load.buyers.offered;
    expect(r.load.buyers.failed).toBe(n);
    expect(t.sagas).toEqual({ completed: 0, compensated: n, timedOut: 0, compensationFailed: 0 });
    expect(t.effects).toEqual({
      charge: 0,
      refund: 0,
      reserve: n,
      release: n,
      create: n,
      cancel: n,
    });
    expect(t.compensations).toBe(2 * n);
    expect(t.compensationTries).toMatchObject({ total: 2 * n, retries: 0 });
    // create 10, reserve 20, the charge fails at 30, release 40, cancel 50: one after the other.
    expect(t.inconsistencyWindowMs.max).toBe(40);
    for (const name of ["no-charge-without-order", "no-orphaned-reservation", "sagas-end-in-time"])
      expect(invariant(r, name)).toEqual({
        name,
        holds: true,
        violations: 0,
        firstBrokenAtMs: null,
      });
  });

  test("whose last step fails refunds, releases and cancels, and each order ends clean", () => {
    const r = run({ confirmErrorRate: 1 });
    const t = r.transactions!;
    const n = r.load.buyers.offered;
    expect(t.sagas.compensated).toBe(n);
    expect(t.effects).toEqual({
      charge: n,
      refund: n,
      reserve: n,
      release: n,
      create: n,
      cancel: n,
    });
    expect([t.doubleCharges, t.chargesWithoutOrder, t.orphanedReservations]).toEqual([0, 0, 0]);
    // confirm fails at 40, then refund 50, release 60, cancel 70: 60 ms after the creation.
    expect(t.inconsistencyWindowMs.max).toBe(60);
    // In reverse order the order is cancelled last, when nothing is left charged or reserved: had
    // it been cancelled first, it would have stood cancelled with the card charged for 20 ms.
    for (const name of ["no-charge-without-order", "no-orphaned-reservation"])
      expect(invariant(r, name).firstBrokenAtMs).toBeNull();
  });

  test("whose refund keeps failing tries it `attempts` times, then gives up with the card charged", () => {
    const saga = "timeout: 10s, compensation: { attempts: 3, backoff: none }";
    const r = run({ confirmErrorRate: 1, refundErrorRate: 1, saga });
    const t = r.transactions!;
    const n = r.load.buyers.offered;
    expect(t.sagas).toEqual({ completed: 0, compensated: 0, timedOut: 0, compensationFailed: n });
    // 3 refund tries, then the release and the cancellation still run (once each).
    expect(t.compensationTries).toMatchObject({ total: 5 * n, retries: 2 * n });
    expect(t.effects).toMatchObject({ refund: 0, release: n, cancel: n });
    expect(t.chargesWithoutOrder).toBe(n);
    expect(t.orphanedReservations).toBe(0);
    expect(invariant(r, "sagas-end-in-time")).toMatchObject({ holds: false, violations: n });
    expect(invariant(r, "no-charge-without-order")).toMatchObject({ holds: false, violations: n });
  });

  test("with back-off waits between refund tries by Envoy's law: attempts 3 at base 1s spread them over seconds", () => {
    const saga = "timeout: 1m, compensation: { attempts: 3, backoff: { base: 1s, max: 10s } }";
    const r = run({ confirmErrorRate: 1, refundErrorRate: 1, saga });
    const t = r.transactions!;
    const n = r.load.buyers.offered;
    expect(t.compensationTries).toMatchObject({ total: 5 * n, retries: 2 * n });
    // The waits are U[0, 1 s) and U[0, 3 s): the last effect (the cancellation) comes on average
    // about 2 s after the failure, never more than 4.03 s after the creation.
    expect(t.inconsistencyWindowMs.max).toBeLessThanOrEqual(4080);
    expect(t.inconsistencyWindowMs.p50).toBeGreaterThan(1000);
  });

  test("past its timeout answers 504 at the timeout and compensates the charge that answers late", () => {
    const r = run({ chargeTime: "const(1s)", saga: "timeout: 500ms" });
    const t = r.transactions!;
    const n = r.load.buyers.offered;
    expect(r.load.buyers.failures).toEqual({ "504": n });
    expect(t.sagas).toEqual({ completed: 0, compensated: 0, timedOut: n, compensationFailed: 0 });
    // At the timeout (500 ms) the stock is released (510) and the order cancelled (520); the charge
    // commits at 1,020 and is refunded at 1,030: 1,020 ms after the creation at 10.
    expect(t.effects).toEqual({
      charge: n,
      refund: n,
      reserve: n,
      release: n,
      create: n,
      cancel: n,
    });
    expect(t.inconsistencyWindowMs.max).toBe(1020);
    expect([t.doubleCharges, t.chargesWithoutOrder, t.orphanedReservations]).toEqual([0, 0, 0]);
    expect(invariant(r, "sagas-end-in-time")).toMatchObject({ holds: false, violations: n });
  });

  test("leaves stock reserved by a reservation that timed out at the caller, unless it compensates failed steps too", () => {
    const mesh = "    inventory:\n      retries: { attempts: 0, perTryTimeout: 100ms }";
    const plain = run({ reserveTime: "const(300ms)", mesh }).transactions!;
    expect(plain.sagas.compensated).toBe(plain.orders);
    expect(plain.orphanedReservations).toBe(plain.orders);
    expect(plain.effects).toMatchObject({
      reserve: plain.orders,
      release: 0,
      cancel: plain.orders,
    });
    const saga = "timeout: 10s, compensateFailed: true";
    const temporal = run({ reserveTime: "const(300ms)", mesh, saga }).transactions!;
    expect(temporal.orphanedReservations).toBe(0);
    expect(temporal.effects).toMatchObject({ reserve: temporal.orders, release: temporal.orders });
  });

  test("gives the same bytes for the same seed, with back-off jitter and faults", () => {
    const o = {
      confirmErrorRate: 0.3,
      refundErrorRate: 0.5,
      saga: "timeout: 2s, compensation: { attempts: 4, backoff: { base: 50ms } }",
      faults:
        "[{ name: outage, kind: abort, at: 20s, duration: 20s, httpStatus: 503, percentage: 50, target: { service: payment, mode: all } }]",
      paymentInstances: 2,
    };
    const first = resultJson(run(o));
    expect(resultJson(run(o))).toBe(first);
    expect(resultJson(run({ ...o, seed: 6 }))).not.toBe(first);
  });
});

describe("saga bad input", () => {
  test("a compensation naming an operation that does not exist is refused at its line and column", () => {
    const text = sagaShopText({}).replace("compensate: payment.refund", "compensate: payment.undo");
    const shownProblems = problemsOf(text).map(shown);
    expect(shownProblems).toEqual([
      expect.stringMatching(
        /^\d+:\d+ services\.gateway\.operations\.checkout\.calls\[2\]\.compensate: service `payment` has no operation `undo`/,
      ),
    ]);
  });

  test("a saga step that charges without a compensation is refused, naming the missing field", () => {
    const text = sagaShopText({}).replace(", compensate: payment.refund", "");
    const [problem] = problemsOf(text);
    expect(shown(problem)).toMatch(
      /^\d+:\d+ services\.gateway\.operations\.checkout\.calls\[2\]\.compensate: is missing: this saga step calls payment\.charge, whose effects \(charge\)/,
    );
  });

  test("a compensation outside a saga is refused", () => {
    const text = sagaShopText({}).replace(/ +saga: .*\n/, "");
    expect(problemsOf(text).map((p) => p.path)).toEqual([
      "services.gateway.operations.checkout.calls[0].compensate",
      "services.gateway.operations.checkout.calls[1].compensate",
      "services.gateway.operations.checkout.calls[2].compensate",
    ]);
  });

  test("a saga needs its timeout", () => {
    const text = sagaShopText({ saga: "compensateFailed: true" });
    expect(problemsOf(text).map((p) => p.path)).toEqual([
      "services.gateway.operations.checkout.saga.timeout",
    ]);
  });
});
