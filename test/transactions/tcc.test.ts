// TCC with Seata's safeguards (test/helpers/tccShop.ts: a checkout coordinating inventory and
// payment, every phase 10 ms): each safeguard removes the anomaly it targets, and switching it off
// brings the anomaly back. A slow Try (1 s) outlives the transaction's 300 ms timeout: its Cancel
// runs first (an empty rollback), then the Try commits (a hanging Try). A slow Cancel (200 ms)
// behind a 100 ms per-try timeout runs twice per coordinator try (a repeated Cancel).
import { describe, expect, test } from "vitest";
import { runScenario } from "../../src/run/runScenario.ts";
import { parseScenario } from "../../src/scenario/loader.ts";
import { problemsOf } from "../helpers/problems.ts";
import { tccShopText } from "../helpers/tccShop.ts";

const run = (o: Parameters<typeof tccShopText>[0]) =>
  runScenario(parseScenario(tccShopText(o), "tcc.yaml")).transactions!;

const late = { tryReserveTime: "const(1s)", timeout: "300ms" };
const retriedCancel = {
  payTryErrorRate: 1,
  cancelReserveTime: "const(200ms)",
  mesh: "    inventory:\n      retries: { attempts: 1, perTryTimeout: 100ms, retryOn: gateway-error }",
};

describe("a TCC transaction", () => {
  test("whose Tries succeed confirms every participant", () => {
    const t = run({});
    expect(t.tcc).toMatchObject({
      committed: t.orders,
      rolledBack: 0,
      phaseTwoTries: 2 * t.orders,
    });
    expect(t.effects).toMatchObject({ reserve: t.orders, release: 0 });
  });

  test("whose payment Try fails cancels both participants and releases the stock", () => {
    const t = run({ payTryErrorRate: 1, safeguards: "emptyRollback: true" });
    expect(t.tcc).toMatchObject({ rolledBack: t.orders, committed: 0 });
    expect(t.effects).toMatchObject({ reserve: t.orders, release: t.orders });
    // The failed payment Try never committed: its Cancel is an empty rollback, skipped.
    expect(t.tcc!.skippedEmptyRollbacks).toBe(t.orders);
    expect(t.orphanedReservations).toBe(0);
  });
});

describe("Seata's safeguards", () => {
  test("empty rollback: a Cancel before its Try undoes nothing with it, and releases stock never reserved without it", () => {
    const off = run(late).tcc!;
    expect(off.timedOut).toBeGreaterThan(80);
    expect(off.emptyRollbacks).toBe(off.timedOut);
    const on = run({ ...late, safeguards: "emptyRollback: true" });
    expect(on.tcc!.emptyRollbacks).toBe(0);
    expect(on.tcc!.skippedEmptyRollbacks).toBe(on.tcc!.timedOut);
    expect(on.effects.release).toBe(0);
  });

  test("hang prevention: a Try after its Cancel is refused with it, and holds stock for a dead order without it", () => {
    const off = run({ ...late, safeguards: "emptyRollback: true" });
    expect(off.tcc!.hangingTries).toBe(off.orders);
    expect(off.orphanedReservations).toBe(off.orders);
    const on = run({ ...late, safeguards: "emptyRollback: true, hangPrevention: true" });
    expect(on.tcc!.hangingTries).toBe(0);
    // Every Try refused: no order had any effect at all.
    expect(on.tcc!.rejectedTries).toBe(on.tcc!.timedOut);
    expect(on.tcc!.timedOut).toBe(off.tcc!.timedOut);
    expect(on.effects.reserve).toBe(0);
    expect(on.orphanedReservations).toBe(0);
  });

  test("idempotent phase two: a repeated Cancel does nothing with it, and releases again without it", () => {
    // 3 coordinator tries x 2 mesh tries: each order's Cancel runs 6 times, 5 of them repeats.
    const off = run(retriedCancel);
    expect(off.tcc!.duplicatePhaseTwo).toBe(5 * off.orders);
    expect(off.effects.release).toBe(6 * off.orders);
    const on = run({ ...retriedCancel, safeguards: "idempotent: true" });
    expect(on.tcc!.duplicatePhaseTwo).toBe(0);
    expect(on.tcc!.skippedDuplicates).toBe(5 * on.orders);
    expect(on.effects.release).toBe(on.effects.reserve);
  });
});

describe("TCC bad input", () => {
  test.each(["confirm", "cancel"])(
    "a participant missing its %s is refused, naming the field",
    (phase) => {
      const text = tccShopText({}).replace(
        phase === "confirm"
          ? " confirm: inventory.confirmReserve,"
          : ", cancel: inventory.cancelReserve",
        "",
      );
      const paths = problemsOf(text).map((p) => `${p.line}:${p.column} ${p.path}`);
      expect(paths).toEqual([
        expect.stringMatching(
          new RegExp(
            `^\\d+:\\d+ services\\.gateway\\.operations\\.checkout\\.tcc\\.participants\\[0\\]\\.${phase}$`,
          ),
        ),
      ]);
    },
  );

  test("a participant naming an operation that does not exist is refused", () => {
    const text = tccShopText({}).replace("cancel: payment.cancelPay", "cancel: payment.undo");
    const [problem] = problemsOf(text);
    expect(problem.path).toBe("services.gateway.operations.checkout.tcc.participants[1].cancel");
    expect(problem.message).toMatch(/payment\.undo, which is not an operation/);
  });
});
