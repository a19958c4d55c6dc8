// report.md: the run summary as Markdown tables, for a pull request or a wiki page: thresholds,
// the summary, then the tables report.html shows (services over time, load against latency,
// faults, state changes, scenario events, alerts, critical path).
import type { RunResult } from "../../result/run.ts";
import { BASELINE_TEXT, baselineHeadline, baselineTable } from "../sections/baseline.ts";
import { configMarkdown } from "../sections/config.ts";
import { discoveryMarkdown } from "../sections/discovery.ts";
import { scenarioEventsText, scenarioEventTable } from "../sections/events.ts";
import { alertsOf, criticalPathOf } from "../sections/optional.ts";
import { recoveryMarkdown } from "../sections/recovery.ts";
import {
  SATURATION_TABLE_TEXT,
  STEADY_LOAD_TEXT,
  saturationSection,
} from "../sections/saturation.ts";
import { securityMarkdown } from "../sections/security.ts";
import { SERVICE_TRENDS_TEXT, serviceTrendTable } from "../sections/serviceTrends.ts";
import { bottleneckLine, thresholdLines } from "../sections/summaryRows.ts";
import {
  alertRulesTable,
  criticalPathTable,
  detectionTable,
  falseAlarmTable,
  faultTable,
  stateChangeTable,
  summaryTable,
  type TextTable,
} from "../sections/tables.ts";
import { transactionsMarkdown } from "../sections/transactions.ts";
import { markdownTable } from "./table.ts";

/** `baseline`: another run to show each headline figure's change against (`meshsim report --baseline`). */
export function renderMarkdown(result: RunResult, baseline: RunResult | null = null): string {
  const summary = summaryTable(result);
  const neck = bottleneckLine(result);
  const lines = [
    `# meshsim run: ${result.scenario}`,
    "",
    `Seed ${result.seed}, ${result.simulatedMs / 1000} s of simulated time, ${result.events} events` +
      (result.stopReason === "event-cap" ? ", stopped by the event cap." : "."),
    "",
  ];
  if (result.thresholds.length > 0) {
    const passed = result.thresholds.every((t) => t.ok);
    lines.push(
      `## Thresholds: ${passed ? "passed" : "FAILED"}`,
      "",
      ...thresholdLines(result).map((l) => `- ${l}`),
      "",
    );
  }
  lines.push(
    "## Summary",
    "",
    "Loads: end-to-end latency from the scheduled arrival. Services: time at an instance (queue, work, downstream calls).",
    "",
    ...markdownTable(
      summary.columns.map((c) => c.title),
      summary.rows,
    ),
    "",
    ...(neck === null ? [] : [neck, ""]),
    ...(baseline === null ? [] : baselineMarkdown(result, baseline)),
    ...markdownSections(result),
  );
  return lines.join("\n");
}

/** The sections after the summary: faults, state changes, alerts, critical path (the tables of report.html). */
function markdownSections(result: RunResult): string[] {
  const cell = (text: string) => text.replace(/\|/g, "\\|");
  const table = (t: TextTable) => [
    ...markdownTable(
      t.columns.map((c) => c.title),
      t.rows.map((row) => row.map(cell)),
    ),
    "",
  ];
  const trends = serviceTrendTable(result);
  const lines =
    trends === null ? [] : ["## Services over time", "", SERVICE_TRENDS_TEXT, "", ...table(trends)];
  const saturation = saturationSection(result);
  if (saturation.kind === "steady") lines.push("## Load against latency", "", STEADY_LOAD_TEXT, "");
  if (saturation.kind === "curve")
    lines.push(
      "## Load against latency",
      "",
      SATURATION_TABLE_TEXT,
      "",
      ...table(saturation.table),
      saturation.findings.join(" "),
      "",
    );
  lines.push("## Faults", "");
  if (result.faults.length === 0) lines.push("No faults were injected.", "");
  else lines.push(...table(faultTable(result)));
  lines.push("## State changes", "");
  if (result.stateChanges.length === 0)
    lines.push("No circuit breaker, outlier ejection or instance changed state.", "");
  else
    lines.push(
      `${result.stateChanges.length} in all, by kind:`,
      "",
      ...table(stateChangeTable(result)),
    );
  const events = scenarioEventTable(result);
  if (events !== null)
    lines.push("## Scenario events", "", scenarioEventsText(events), "", ...table(events.table));
  lines.push("## Alerts", "");
  const alerts = alertsOf(result);
  if (alerts === null) lines.push("No alert rules in this scenario.", "");
  else {
    lines.push(...table(alertRulesTable(alerts)));
    if (alerts.detection.length > 0)
      lines.push(
        "Detection: the alerts that fired for each fault, and how long after it began.",
        "",
        ...table(detectionTable(alerts)),
      );
    if (alerts.falseAlarms.length === 0)
      lines.push("No false alarms: no alert fired outside a fault.", "");
    else
      lines.push(
        "False alarms: alerts that fired with no fault in force.",
        "",
        ...table(falseAlarmTable(alerts)),
      );
  }
  lines.push("## Critical path", "");
  const path = criticalPathOf(result);
  if (path === null)
    lines.push(
      "Tracing was off: add a `tracing:` section to the scenario for the critical-path breakdown.",
      "",
    );
  else
    lines.push(
      "Each part's share of end-to-end latency on the critical path of completed requests, and its time per request.",
      "",
      ...table(criticalPathTable(path)),
    );
  lines.push(...securityMarkdown(result));
  lines.push(...configMarkdown(result));
  lines.push(...discoveryMarkdown(result));
  lines.push(...recoveryMarkdown(result));
  lines.push(...transactionsMarkdown(result));
  return lines;
}

function baselineMarkdown(result: RunResult, baseline: RunResult): string[] {
  const t = baselineTable(result, baseline);
  return [
    "## Against the baseline",
    "",
    baselineHeadline(result, baseline),
    "",
    BASELINE_TEXT,
    "",
    ...markdownTable(
      t.columns.map((c) => c.title),
      t.rows.map((row) => row.map((cell) => cell.replace(/\|/g, "\\|"))),
    ),
    "",
  ];
}
