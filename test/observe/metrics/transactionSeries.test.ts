// The business ledger's Prometheus series: their last stored values are the run result's own
// transactions figures (the ledger's counts are exact during the run, so the last scrape at the end
// reads them), an alert rule over them fires when the ledger breaks (a compensation storm during
// the payment outage of checkout-saga-compensation.yaml), and a scenario without effects has none.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { KNOWN_SAMPLES } from "../../../src/observe/alerts/promql/metrics.ts";
import type { RunResult } from "../../../src/result/run.ts";
import { runScenario } from "../../../src/run/runScenario.ts";
import { parseOverridePath, parseScenario } from "../../../src/scenario/loader.ts";

const root = resolve(import.meta.dirname, "../../..");

function run(name: string, set: Record<string, unknown> = {}): RunResult {
  const overrides = Object.entries(set).map(([path, value]) => ({
    path: parseOverridePath(path)!,
    value,
    origin: "test",
  }));
  const file = join(root, "scenarios", name);
  return runScenario(parseScenario(readFileSync(file, "utf8"), file, overrides));
}

/** The last stored value of the series named `name` with these labels. */
function last(result: RunResult, name: string, labels: Record<string, string> = {}): number | null {
  const series = result.metrics!.series.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  expect(series.length, name).toBe(1);
  return series[0].values.at(-1)!;
}

describe("the transactions series", () => {
  const storm = run("checkout-saga-compensation.yaml", {
    alerts: [
      {
        name: "CompensationStorm",
        expr: "sum(rate(meshsim_transactions_compensation_retries_total[1m])) > 20",
        for: "30s",
      },
    ],
  });
  const t = storm.transactions!;

  it("end at the result's ledger figures", () => {
    expect(last(storm, "meshsim_transactions_orders_total")).toBe(t.orders);
    expect(last(storm, "meshsim_transactions_compensations_total")).toBe(t.compensations);
    expect(last(storm, "meshsim_transactions_double_charges")).toBe(t.doubleCharges);
    expect(last(storm, "meshsim_transactions_orphaned_reservations")).toBe(t.orphanedReservations);
    for (const [kind, n] of Object.entries(t.effects))
      expect(last(storm, "meshsim_transactions_effects_total", { kind })).toBe(n);
    expect(last(storm, "meshsim_transactions_sagas_total", { outcome: "compensated" })).toBe(
      t.sagas.compensated,
    );
    expect(last(storm, "meshsim_transactions_compensation_retries_total")).toBe(
      t.compensationTries!.retries,
    );
    expect(t.compensationTries!.retries).toBeGreaterThan(0);
  });

  it("carry the label names the alert checker knows for them", () => {
    const ledger = storm.metrics!.series.filter((s) => s.name.startsWith("meshsim_transactions_"));
    expect(ledger.length).toBeGreaterThan(15);
    for (const series of ledger)
      expect([series.name, Object.keys(series.labels)]).toEqual([
        series.name,
        KNOWN_SAMPLES.get(series.name)?.labels ?? ["(unknown)"],
      ]);
  });

  it("feed alert rules: the compensation storm fires during the payment outage (2 to 3 min)", () => {
    const fired = storm.alerts.timeline.filter((e) => e.alert === "CompensationStorm");
    expect(fired.length).toBeGreaterThan(0);
    expect(fired[0].firingAtMs).toBeGreaterThan(120_000);
    expect(fired[0].firingAtMs).toBeLessThan(240_000);
  });

  it("do not exist without effects", () => {
    const plain = run("mm1.yaml", { duration: "2m", warmup: "10s" });
    expect(plain.metrics!.series.some((s) => s.name.startsWith("meshsim_transactions_"))).toBe(
      false,
    );
  });
});
