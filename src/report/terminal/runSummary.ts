// The readable summary `meshsim run` prints without --json: the summary table of loads and
// services (report.md's and report.html's, throughput per load and service included), the
// bottleneck, then the k6-style threshold verdicts.
import Table from "cli-table3";
import type { RunResult } from "../../result/run.ts";
import { alertLines } from "../sections/alertLines.ts";
import { discoveryLines } from "../sections/discovery.ts";
import { securityLines } from "../sections/security.ts";
import { bottleneckLine, thresholdLines } from "../sections/summaryRows.ts";
import { summaryTable } from "../sections/tables.ts";
import { transactionLines } from "../sections/transactions.ts";

export function renderTerminalSummary(result: RunResult): string {
  const summary = summaryTable(result);
  const table = new Table({
    head: summary.columns.map((c) => c.title),
    colAligns: summary.columns.map((c) => (c.numeric ? "right" : "left")),
    style: { head: [], border: [] },
  });
  for (const row of summary.rows) table.push(row);
  const neck = bottleneckLine(result);
  const lines = [
    `scenario ${result.scenario}, seed ${result.seed}: ${result.simulatedMs / 1000} s simulated, ${result.events} events` +
      (result.stopReason === "event-cap" ? " (stopped by the event cap)" : ""),
    table.toString(),
    ...(neck === null ? [] : [neck]),
    ...thresholdLines(result),
    ...alertLines(result),
    ...securityLines(result),
    ...discoveryLines(result),
    ...transactionLines(result),
  ];
  return lines.join("\n") + "\n";
}
