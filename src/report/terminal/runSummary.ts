// The readable summary `meshsim run` prints without --json: a cli-table3 table of loads and
// services, then the k6-style threshold verdicts.
import Table from "cli-table3";
import type { RunResult } from "../../result/run.ts";
import { alertLines } from "../sections/alertLines.ts";
import { discoveryLines } from "../sections/discovery.ts";
import { securityLines } from "../sections/security.ts";
import { summaryHeader, summaryRows, thresholdLines } from "../sections/summaryRows.ts";
import { transactionLines } from "../sections/transactions.ts";

export function renderTerminalSummary(result: RunResult): string {
  const table = new Table({ head: summaryHeader, style: { head: [], border: [] } });
  for (const row of summaryRows(result)) table.push(row);
  const lines = [
    `scenario ${result.scenario}, seed ${result.seed}: ${result.simulatedMs / 1000} s simulated, ${result.events} events` +
      (result.stopReason === "event-cap" ? " (stopped by the event cap)" : ""),
    table.toString(),
    ...thresholdLines(result),
    ...alertLines(result),
    ...securityLines(result),
    ...discoveryLines(result),
    ...transactionLines(result),
  ];
  return lines.join("\n") + "\n";
}
