// The business ledger's figures in `meshsim compare`: each the mean over seeds of the runs' own
// figure with the experiment layer's 95% interval, the anomalies' paired differences against the
// baseline, the tables in the terminal and compare.md, and nothing of it where no effects are declared.
import { describe, expect, it } from "vitest";
import { compare } from "../../src/experiment/compare.ts";
import { estimate, pairedDifference } from "../../src/experiment/statistics.ts";
import {
  renderCompareMarkdown,
  renderCompareTable,
} from "../../src/report/terminal/compareTable.ts";
import { roundSig } from "../../src/result/round.ts";
import { mm1File, scenarioFile } from "./helpers.ts";

const saga = scenarioFile("checkout-saga.yaml", [
  [/^duration: .*$/m, "duration: 90s"],
  [/^warmup: .*$/m, "warmup: 10s"],
]);
const comparison = await compare(saga, {
  seeds: 3,
  workers: "inline",
  only: ["no-key", "stable-key", "per-try-key"],
});
const variant = (name: string) => comparison.variants.find((v) => v.name === name)!;

describe("compare's transactions figures", () => {
  it("are each run's ledger figure averaged over the seeds, with its 95% interval", () => {
    const v = variant("no-key");
    const runs = v.results.map((r) => r.transactions!);
    const e = estimate(runs.map((t) => t.doubleCharges));
    expect(runs.length).toBe(3);
    expect(v.transactions!.doubleCharges).toBe(roundSig(e.mean));
    expect(v.transactions!.doubleChargesCi95).toEqual(e.ci95!.map((x) => roundSig(x)));
    expect(v.transactions!.orders).toBe(runs.reduce((s, t) => s + t.orders, 0));
    expect(v.transactions!.doubleCharges).toBeGreaterThan(0);
    expect(v.transactions!.inconsistencyWindowMs.max).toBe(
      Math.max(...runs.map((t) => t.inconsistencyWindowMs.max)),
    );
  });

  it("pair the anomalies seed by seed against the baseline", () => {
    const base = variant("no-key").results.map((r) => r.transactions!.doubleCharges);
    const stable = variant("stable-key");
    const d = pairedDifference(
      base,
      stable.results.map((r) => r.transactions!.doubleCharges),
    );
    expect(stable.transactions!.doubleCharges).toBe(0);
    expect(stable.diff!.transactions!.doubleCharges).toBe(roundSig(d.mean));
    expect(stable.diff!.transactions!.doubleChargesVerdict).toBe("better");
    expect(stable.transactions!.duplicatesAbsorbed.conflicts).toBeGreaterThan(0);
    // A key minted per try protects nothing: the very figures of no key, so no difference.
    expect(variant("per-try-key").diff!.transactions!.doubleCharges).toBe(0);
    expect(variant("no-key").diff).toBeNull();
  });

  it("are tabled in the terminal and in compare.md", () => {
    const terminal = renderCompareTable(comparison);
    expect(terminal).toContain("transactions (mean over seeds):");
    expect(terminal).toContain("transactions vs no-key:");
    const md = renderCompareMarkdown(comparison);
    expect(md).toContain("## Transactions");
    const section = md.slice(md.indexOf("## Transactions"));
    const row = section.split("\n").find((l) => l.startsWith("| stable-key |"))!;
    // orders, then double charges: none with a stable key.
    expect(row.split("|")[3].trim()).toBe("0 ±0");
    // checkout-saga retries a charge but runs no saga: no columns of zeros for sagas.
    expect(section).not.toContain("sagas completed");
    expect(section).toContain("idempotency replays");
    // Once one variant ran a saga, every variant gets the saga columns.
    const withSaga = structuredClone(comparison);
    withSaga.variants[1].transactions!.sagas.completed = 5;
    const sagaSection = renderCompareMarkdown(withSaga);
    expect(sagaSection).toContain("sagas completed");
    const header = sagaSection.split("\n").find((l) => l.includes("sagas completed"))!;
    expect(header).toContain("sagas timed out");
  });
});

describe("a comparison of a scenario without effects", () => {
  it("has no transactions figures and no section", async () => {
    const plain = await compare(mm1File(0.5, 200, 20), {
      seeds: 2,
      workers: "inline",
      variants: [
        { name: "a", set: [] },
        { name: "b", set: [] },
      ],
    });
    for (const v of plain.variants) expect("transactions" in v).toBe(false);
    expect("transactions" in plain.variants[1].diff!).toBe(false);
    expect(renderCompareTable(plain)).not.toContain("transactions");
    expect(renderCompareMarkdown(plain)).not.toContain("## Transactions");
  });
});
