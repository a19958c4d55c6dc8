// report.md: the run summary as Markdown tables, for a pull request or a wiki page.
import type { RunResult } from "../run/result.ts";
import { markdownTable } from "./markdownTable.ts";
import { summaryHeader, summaryRows, thresholdLines } from "./summaryRows.ts";

export function renderMarkdown(result: RunResult): string {
  const header = summaryHeader.map((h, i) => (i === 0 ? "kind" : h));
  const lines = [
    `# meshsim run: ${result.scenario}`,
    "",
    `Seed ${result.seed}, ${result.simulatedMs / 1000} s of simulated time, ${result.events} events` +
      (result.stopReason === "event-cap" ? ", stopped by the event cap." : "."),
    "",
  ];
  if (result.thresholds.length > 0) {
    const passed = result.thresholds.every((t) => t.ok);
    lines.push(`## Thresholds: ${passed ? "passed" : "FAILED"}`, "", ...thresholdLines(result).map((l) => `- ${l}`), "");
  }
  lines.push(
    "## Summary",
    "",
    "Loads: end-to-end latency from the scheduled arrival. Services: time at an instance (queue, work, downstream calls).",
    "",
    ...markdownTable(header, summaryRows(result)),
    "",
  );
  return lines.join("\n");
}
