// The transactions section in the result, the terminal summary, report.md and the property
// toolkit's business checker: the invariants broken by a retried charge with no key, and held with
// a stable key.
import { describe, expect, test } from "vitest";
import { renderMarkdown } from "../../src/report/markdown/runMarkdown.ts";
import { renderTerminalSummary } from "../../src/report/terminal/runSummary.ts";
import { runScenario } from "../../src/run/runScenario.ts";
import { parseScenario } from "../../src/scenario/loader.ts";
import { businessInvariants } from "../../src/testing/checkers/business.ts";
import { sagaShopText } from "../helpers/sagaShop.ts";
import { shopText } from "../helpers/shop.ts";

function shop(key: string, serviceTime?: string) {
  const text = shopText({ loadDuration: "95s", extraCharge: key, serviceTime });
  const scenario = parseScenario(text, "shop.yaml");
  return { scenario, result: runScenario(scenario) };
}

describe("business invariants in the result and the reports", () => {
  const noKey = shop("");
  const stable = shop("        idempotency: { key: request }");

  test("a retried charge with no key breaks no-double-charge from the first retried order on", () => {
    const [double, withoutOrder, orphaned, sagas] = noKey.result.transactions!.invariants;
    expect(double).toMatchObject({ name: "no-double-charge", holds: false });
    expect(double.violations).toBe(noKey.result.transactions!.doubleCharges);
    // The first order's second try is sent at 400 ms + back-off and ends 1 s later.
    expect(double.firstBrokenAtMs).toBeGreaterThan(1400);
    expect(withoutOrder.holds).toBe(false);
    expect(orphaned).toEqual({
      name: "no-orphaned-reservation",
      holds: true,
      violations: 0,
      firstBrokenAtMs: null,
    });
    expect(sagas.holds).toBe(true);
  });

  test("the terminal summary and report.md show the ledger and the broken invariants", () => {
    const terminal = renderTerminalSummary(noKey.result);
    expect(terminal).toMatch(/transactions: \d+ orders after warm-up: \d+ double-charged/);
    expect(terminal).toMatch(/no-double-charge: BROKEN by \d+ orders \(first broken at/);
    const markdown = renderMarkdown(noKey.result);
    expect(markdown).toContain("## Transactions");
    expect(markdown).toMatch(/\| \d+ \| buyers \| doubleCharge, chargeWithoutOrder \| 3 \|/);
  });

  test("the toolkit's business checker names the first broken invariant", () => {
    const breach = businessInvariants.watch(noKey.scenario).end!(noKey.result);
    expect(breach?.message).toMatch(/^no-double-charge broken by \d+ orders \(first at /);
    // The stable key stops the double charges, but each retry refused with 409 fails an order
    // whose first try charged: a charge without order.
    expect(stable.result.transactions!.invariants[0].holds).toBe(true);
    const left = businessInvariants.watch(stable.scenario).end!(stable.result);
    expect(left?.message).toMatch(/^no-charge-without-order broken/);
  });

  test("the business checker passes a run whose charges answer in time", () => {
    const fast = shop("", "const(100ms)");
    expect(businessInvariants.watch(fast.scenario).end!(fast.result)).toBeNull();
  });

  test("a result without transactions reports none of it", () => {
    const plain = runScenario(
      parseScenario(shopText({}).replace(/ +effects: .*\n/g, ""), "shop.yaml"),
    );
    expect(renderTerminalSummary(plain)).not.toContain("transactions:");
    expect(renderMarkdown(plain)).not.toContain("## Transactions");
  });

  test("sagas add their outcomes and compensation tries, and a timed-out saga breaks sagas-end-in-time", () => {
    const text = sagaShopText({ chargeTime: "const(1s)", saga: "timeout: 500ms" });
    const scenario = parseScenario(text, "saga.yaml");
    const result = runScenario(scenario);
    const n = result.transactions!.orders;
    const sagas = `sagas: 0 completed, 0 compensated, ${n} timed out, 0 failed to compensate; ${3 * n} compensation tries (0 retries, at most`;
    const terminal = renderTerminalSummary(result);
    expect(terminal).toContain(sagas);
    expect(terminal).toContain(`sagas-end-in-time: BROKEN by ${n} sagas (first broken at 1.38`);
    expect(renderMarkdown(result)).toContain(sagas);
    const breach = businessInvariants.watch(scenario).end!(result);
    expect(breach?.message).toMatch(new RegExp(`^sagas-end-in-time broken by ${n} sagas`));
  });

  test("a run with effects but no saga says nothing of sagas", () => {
    expect(renderTerminalSummary(noKey.result)).not.toContain("sagas:");
  });
});
