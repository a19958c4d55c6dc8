// report.html for one run: the verdict first (the thresholds, as k6 prints them), then what was
// simulated, the summary table, the faults, and the charts, each under a paragraph that says in
// plain words what it shows. Every figure comes from the run result alone, so
// `meshsim report result.json` re-renders the same bytes.
import type { RunResult } from "../../result/run.ts";
import { BASELINE_TEXT, baselineHeadline, baselineTable } from "../sections/baseline.ts";
import { configOf, configText, configVersionTable } from "../sections/config.ts";
import { discoveryEdgeTable, discoveryOf, discoveryText } from "../sections/discovery.ts";
import { scenarioEventsText, scenarioEventTable } from "../sections/events.ts";
import { alertsOf, criticalPathOf } from "../sections/optional.ts";
import {
  HPA_TEXT,
  hpaTable,
  PODS_TEXT,
  podSummaryTable,
  ROLLOUTS_TEXT,
  recoveryOf,
  rolloutTable,
} from "../sections/recovery.ts";
import { STEADY_LOAD_TEXT } from "../sections/saturation.ts";
import {
  POLICIES_TEXT,
  securityEdgeTable,
  securityOf,
  securityPolicyTable,
  securityText,
} from "../sections/security.ts";
import { SERVICE_TRENDS_TEXT, serviceTrendTable } from "../sections/serviceTrends.ts";
import { bottleneckLine } from "../sections/summaryRows.ts";
import {
  alertRulesTable,
  criticalPathTable,
  detectionTable,
  falseAlarmTable,
  faultTable,
  groupThousands,
  stateChangeTable,
  summaryTable,
  type TextTable,
  thresholdMeaning,
  thresholdVerdictLines,
  throughputText,
} from "../sections/tables.ts";
import { spectrumChart } from "./charts/spectrum.ts";
import { NOTHING_CHANGED_STATE } from "./charts/states.ts";
import { metricsOf, warmupMsOf } from "./data/chartRows.ts";
import { chartFigure, escapeHtml, htmlPage, htmlTable, paragraph } from "./page.ts";
import { controlPlaneCharts, type RunCharts, runCharts } from "./runCharts.ts";
import { transactionsHtml } from "./transactionsSection.ts";

export { controlPlaneCharts, runCharts };

/** `baseline`: another run to show each headline figure's change against (`meshsim report --baseline`). */
export function renderHtmlReport(result: RunResult, baseline: RunResult | null = null): string {
  const charts = runCharts(result);
  const body = [
    header(result),
    verdict(result),
    simulated(result),
    summary(result),
    baseline === null ? "" : againstBaseline(result, baseline),
    distribution(result),
    faults(result),
    timeCharts(charts, result),
    services(charts, result),
    saturation(charts, result),
    instances(charts),
    controlPlane(result),
    alerts(result, charts),
    criticalPath(result, charts),
    transactionsHtml(result),
    footer(result),
  ];
  return htmlPage(
    `meshsim report: ${result.scenario}`,
    body.filter((part) => part !== "").join("\n"),
  );
}

export function table(t: TextTable): string {
  return htmlTable(t.columns, t.rows);
}

function header(result: RunResult): string {
  const seconds = result.simulatedMs / 1000;
  const capped =
    result.stopReason === "event-cap" ? " The run was stopped early by its event cap." : "";
  return [
    `<h1>Performance report: ${escapeHtml(result.scenario)}</h1>`,
    paragraph(
      `meshsim simulated ${groupThousands(seconds)} s of the “${result.scenario}” scenario (seed ${result.seed}, ${groupThousands(result.events)} events).` +
        " meshsim is a simulator of microservices: it models the services, their instances, the network and the sidecar proxies between them, and sends them requests, all in simulated time, so the same scenario and seed always give the same report." +
        ` All times here are simulated time, not the time the simulation took to run.${capped}`,
      "lede",
    ),
  ].join("\n");
}

function verdict(result: RunResult): string {
  const parts = ["<h2>Verdict</h2>"];
  if (result.thresholds.length === 0) {
    parts.push(
      '<p><span class="badge none">no thresholds</span></p>',
      paragraph("This scenario sets no pass/fail thresholds."),
    );
    return parts.join("\n");
  }
  const failed = result.thresholds.filter((t) => !t.ok).length;
  const badge =
    failed === 0
      ? '<span class="badge pass">✓ passed</span>'
      : '<span class="badge fail">✗ failed</span>';
  const count =
    failed === 0
      ? `All ${result.thresholds.length} thresholds passed.`
      : `${failed} of ${result.thresholds.length} thresholds failed.`;
  const lines = thresholdVerdictLines(result).map((line) => {
    const cls = line.includes("✓") ? "pass" : line.includes("✗") ? "fail" : "";
    return cls === "" ? escapeHtml(line) : `<span class="${cls}">${escapeHtml(line)}</span>`;
  });
  parts.push(
    `<p>${badge} ${escapeHtml(count)}</p>`,
    paragraph(
      `Thresholds are the scenario's pass/fail criteria, written as in k6: here ${result.thresholds[0].expression} on ${result.thresholds[0].metric} means ${thresholdMeaning(result.thresholds[0])}. They count requests after the warm-up.`,
    ),
    `<pre class="verdict">${lines.join("\n")}</pre>`,
  );
  return parts.join("\n");
}

function simulated(result: RunResult): string {
  const loads = Object.entries(result.load).map(
    ([name, l]) =>
      `the load “${name}” offered ${groupThousands(l.offered)} requests (${throughputText(l.throughputPerS)} completed per second after the warm-up)`,
  );
  const services = Object.entries(result.services).map(
    ([name, s]) => `${name} (${podCountText(s)})`,
  );
  const warmupMs = warmupMsOf(result);
  const text =
    `${capitalise(loads.join("; "))}. The requests travelled through ${services.length} service${services.length === 1 ? "" : "s"}: ${services.join(", ")}, each call passing through the caller's sidecar proxy, which balances it over the instances and applies timeouts, retries and circuit breaking.` +
    (warmupMs > 0
      ? ` The first ${warmupMs / 1000} s are a warm-up, left out of the statistics.`
      : "");
  return ["<h2>What was simulated</h2>", paragraph(text)].join("\n");
}

function summary(result: RunResult): string {
  const neck = bottleneckLine(result);
  return [
    "<h2>Summary</h2>",
    paragraph(
      "Loads are measured end to end, from when a request was due to be sent to its answer. Services are measured at their instances: time queued, working and waiting for their own downstream calls. For a load, requests counts those offered and errors those that failed; for a service, the calls its instances answered and those answered with an error. Throughput counts answers per second of simulated time after the warm-up; utilisation is the fraction of the worker slots of the pods that were serving (integrated as pods come and go) that were busy. Latencies are in milliseconds, to the 3 figures their histogram holds: p50 is the median, p90, p99 and p99.9 the times that 90%, 99% and 99.9% of requests beat; — where none completed.",
    ),
    table(summaryTable(result)),
    ...(neck === null ? [] : [paragraph(neck)]),
  ].join("\n");
}

function distribution(result: RunResult): string {
  const chart = spectrumChart(result);
  return chart === null ? "" : ["<h2>Latency distribution</h2>", chartFigure(chart)].join("\n");
}

function faults(result: RunResult): string {
  const parts = ["<h2>Faults and state changes</h2>"];
  if (result.faults.length === 0) parts.push(paragraph("No faults were injected in this run."));
  else
    parts.push(
      paragraph(
        "The faults the scenario injected, and when (end of run: still in force when the run stopped).",
      ),
      table(faultTable(result)),
    );
  if (result.stateChanges.length === 0)
    parts.push(paragraph("No circuit breaker, outlier ejection or instance changed state."));
  else
    parts.push(
      paragraph(`${groupThousands(result.stateChanges.length)} state changes, by kind:`),
      table(stateChangeTable(result)),
    );
  const events = scenarioEventTable(result);
  if (events !== null) parts.push(paragraph(scenarioEventsText(events)), table(events.table));
  return parts.join("\n");
}

function timeCharts(charts: RunCharts, result: RunResult): string {
  const parts = ["<h2>Over time</h2>"];
  const figures = [charts.latency, charts.traffic, charts.states].filter((c) => c !== null);
  if (metricsOf(result) === null) {
    parts.push(
      paragraph(
        "This result holds no time series (it was saved by an older meshsim): run the scenario again to get the charts over time.",
        "note",
      ),
    );
  }
  parts.push(...figures.map(chartFigure));
  if (metricsOf(result) !== null && charts.states === null)
    parts.push(
      "<h3>Circuit breakers, ejections and instance restarts</h3>",
      paragraph(NOTHING_CHANGED_STATE),
    );
  return parts.join("\n");
}

/** Each service over time and the per-instance spread, when the result has the scraped series. */
function services(charts: RunCharts, result: RunResult): string {
  const figures = [charts.services, charts.instanceSpread].filter((c) => c !== null);
  const trends = serviceTrendTable(result);
  return figures.length === 0
    ? ""
    : [
        "<h2>Services over time</h2>",
        chartFigure(figures[0]),
        ...(trends === null ? [] : [paragraph(SERVICE_TRENDS_TEXT), table(trends)]),
        ...figures.slice(1).map(chartFigure),
      ].join("\n");
}

function againstBaseline(result: RunResult, baseline: RunResult): string {
  return [
    "<h2>Against the baseline</h2>",
    `<p><strong>${escapeHtml(baselineHeadline(result, baseline))}</strong></p>`,
    paragraph(BASELINE_TEXT),
    table(baselineTable(result, baseline)),
  ].join("\n");
}

/** The saturation curve, or a sentence saying why there is none. */
function saturation(charts: RunCharts, result: RunResult): string {
  if (metricsOf(result) === null) return "";
  return [
    "<h2>Load against latency</h2>",
    charts.saturation === null ? paragraph(STEADY_LOAD_TEXT) : chartFigure(charts.saturation),
  ].join("\n");
}

function instances(charts: RunCharts): string {
  return ["<h2>Instances</h2>", chartFigure(charts.instances)].join("\n");
}

/** Pods and autoscaling, registry views, config versions and security, each chart with its tables: only what the result has, else nothing. */
function controlPlane(result: RunResult): string {
  const charts = controlPlaneCharts(result);
  const recovery = recoveryOf(result);
  const discovery = discoveryOf(result);
  const config = configOf(result);
  const security = securityOf(result);
  const parts: string[] = [];
  if (charts.pods !== null) parts.push(chartFigure(charts.pods));
  if (recovery !== null) {
    if (Object.keys(recovery.pods).length > 0)
      parts.push(paragraph(PODS_TEXT), table(podSummaryTable(recovery)));
    if (recovery.rollouts.length > 0)
      parts.push(paragraph(ROLLOUTS_TEXT), table(rolloutTable(recovery, result.simulatedMs)));
    if (Object.keys(recovery.autoscaling).length > 0)
      parts.push(paragraph(HPA_TEXT), table(hpaTable(recovery)));
  }
  if (charts.staleness !== null) parts.push(chartFigure(charts.staleness));
  if (discovery !== null)
    parts.push(paragraph(discoveryText(discovery)), table(discoveryEdgeTable(discovery)));
  if (charts.configVersions !== null) parts.push(chartFigure(charts.configVersions));
  if (config !== null) parts.push(paragraph(configText(config)), table(configVersionTable(config)));
  if (charts.security !== null) parts.push(chartFigure(charts.security));
  if (security !== null) {
    parts.push(paragraph(securityText(security)), table(securityEdgeTable(security)));
    if (security.policies.length > 0)
      parts.push(paragraph(POLICIES_TEXT), table(securityPolicyTable(security)));
  }
  if (parts.length === 0) return "";
  return [
    "<h2>Control plane</h2>",
    paragraph(
      "What the governance control plane did: pods starting, serving and draining, the registry views the proxies balanced over, config versions reaching the proxies, and the calls security stopped.",
    ),
    ...parts,
  ].join("\n");
}

function alerts(result: RunResult, charts: RunCharts): string {
  const parts = ["<h2>Alerts</h2>"];
  const section = alertsOf(result);
  if (section === null) {
    parts.push(
      paragraph(
        "No alert rules in this scenario. Add an alerts: section to see when alerts would have fired against the faults.",
      ),
    );
    return parts.join("\n");
  }
  parts.push(paragraph("The alert rules the scenario defines:"), table(alertRulesTable(section)));
  if (charts.alerts === null)
    parts.push(paragraph("No alert went pending or fired during the run."));
  else parts.push(chartFigure(charts.alerts));
  if (section.detection.length > 0) {
    parts.push(
      "<h3>Detection</h3>",
      paragraph(
        "For each injected fault, the alerts that fired while it was in force and how long after it began (the detection delay).",
      ),
      table(detectionTable(section)),
    );
  }
  parts.push("<h3>False alarms</h3>");
  if (section.falseAlarms.length === 0) parts.push(paragraph("No alert fired outside a fault."));
  else
    parts.push(
      paragraph("Alerts that fired with no fault in force:"),
      table(falseAlarmTable(section)),
    );
  return parts.join("\n");
}

function criticalPath(result: RunResult, charts: RunCharts): string {
  const parts = ["<h2>Critical path</h2>"];
  const rows = criticalPathOf(result);
  if (rows === null) {
    parts.push(
      paragraph(
        "Tracing was off in this run, so there is no critical-path breakdown. Add a tracing section to the scenario (for example tracing: { sampler: parentbased_traceidratio, ratio: 0.01 }) to record spans and see which service contributes how much of the end-to-end latency; tracing never changes the run itself.",
      ),
    );
    return parts.join("\n");
  }
  if (charts.criticalPath === null) {
    parts.push(paragraph("Tracing was on, but no completed request was traced."));
    return parts.join("\n");
  }
  parts.push(chartFigure(charts.criticalPath), table(criticalPathTable(rows)));
  return parts.join("\n");
}

function footer(result: RunResult): string {
  return `<footer>Generated by meshsim from the run result of “${escapeHtml(result.scenario)}”, seed ${result.seed}. Re-render it with <code>meshsim report result.json --out DIR</code>.</footer>`;
}

/** `3 instances`, or for a service whose pods came and went `2 to 5 pods serving, 3.72 on average`. */
export function podCountText(service: RunResult["services"][string]): string {
  const pods = service.pods;
  if (pods === undefined) {
    const n = service.instances.length;
    return `${n} instance${n === 1 ? "" : "s"}`;
  }
  if (pods.min === pods.max) return `${pods.max} instance${pods.max === 1 ? "" : "s"}`;
  return `${pods.min} to ${pods.max} pods serving, ${Number(pods.mean.toPrecision(3))} on average`;
}

function capitalise(text: string): string {
  return text.length === 0 ? text : text[0].toUpperCase() + text.slice(1);
}
