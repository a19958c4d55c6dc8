// scenarios/checkout-tcc.yaml, its two variants at the file's seed (18), with the figures
// docs/transactions.md gives: without hang prevention every Try that outlives the 300 ms timeout
// commits after its (skipped, empty) Cancel and holds its unit for a failed order, an orphaned
// reservation; with it Seata's suspended record refuses those Tries and none is left.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { transactionLines, transactionsMarkdown } from "../../src/report/sections/transactions.ts";
import { runScenario } from "../../src/run/runScenario.ts";
import { type Override, parseScenario } from "../../src/scenario/loader.ts";

const FILE = fileURLToPath(new URL("../../scenarios/checkout-tcc.yaml", import.meta.url));
const SAFEGUARDS = ["services", "gateway", "operations", "checkout", "tcc", "safeguards"];

function run(overrides: Override[]) {
  return runScenario(parseScenario(readFileSync(FILE, "utf8"), FILE, overrides));
}

function variant(overrides: Override[]) {
  return run(overrides).transactions!;
}

describe("the checkout-tcc scenario", () => {
  const off = variant([]);
  const on = variant([{ path: [...SAFEGUARDS, "hangPrevention"], value: true, origin: "test" }]);

  it("without hang prevention leaves a reservation held by every hanging Try", () => {
    expect(off.tcc!.hangingTries).toBe(828);
    expect(off.orphanedReservations).toBe(off.tcc!.hangingTries);
    expect(off.tcc!.timedOut).toBe(830);
    // emptyRollback is on: every Cancel that came before its Try did nothing.
    expect(off.tcc!.emptyRollbacks).toBe(0);
    const invariant = off.invariants.find((i) => i.name === "no-orphaned-reservation")!;
    expect(invariant.holds).toBe(false);
  });

  it("with hang prevention refuses those Tries and leaves none", () => {
    expect(on.tcc!.hangingTries).toBe(0);
    expect(on.tcc!.rejectedTries).toBe(off.tcc!.hangingTries);
    expect(on.orphanedReservations).toBe(0);
    expect(on.tcc!.timedOut).toBe(off.tcc!.timedOut);
    expect(on.invariants.every((i) => i.holds)).toBe(true);
  });

  it("the terminal summary and report.md say how the TCC transactions ended and what the safeguards did", () => {
    const result = run([]);
    const t = result.transactions!.tcc!;
    const line = transactionLines(result).find((l) => l.startsWith("  TCC:"))!;
    expect(line).toContain(`${t.committed.toLocaleString("en")} committed`);
    expect(line).toContain("828 hanging Tries");
    expect(line).toContain("refused 0 late Tries");
    expect(transactionsMarkdown(result)).toContain(line.trim());
  });
});
