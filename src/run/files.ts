// The files a run writes under --out: the result JSON and the human-readable reports built from it.

import type { TraceExport } from "../observe/tracing/tracer.ts";
import { DEFAULT_EPOCH_MS } from "../report/exports/epoch.ts";
import { renderOpenMetrics } from "../report/exports/openMetrics.ts";
import { renderOtlp } from "../report/exports/otlp.ts";
import { renderPrometheusText } from "../report/exports/prometheusText.ts";
import { renderHtmlReport } from "../report/html/runReport.ts";
import { renderMarkdown } from "../report/markdown/runMarkdown.ts";
import type { RunResult } from "./result.ts";

/** The reports built from a run result alone: what `meshsim report result.json` re-renders. */
export function reportFiles(result: RunResult): Record<string, string> {
  return { "report.md": renderMarkdown(result), "report.html": renderHtmlReport(result) };
}

export function resultJson(result: RunResult): string {
  return JSON.stringify(result, null, 2) + "\n";
}

/**
 * `traces` (the kept traces of a run with tracing on) adds traces.otlp.json. metrics.om counts
 * from the tracing epoch when there is one (so metrics and traces share a time axis), else DEFAULT_EPOCH.
 */
export function runFiles(
  result: RunResult,
  traces: TraceExport | null = null,
): Record<string, string> {
  const files: Record<string, string> = {
    "result.json": resultJson(result),
    ...reportFiles(result),
  };
  files["metrics.prom"] = renderPrometheusText(result.metrics);
  files["metrics.om"] = renderOpenMetrics(result.metrics, traces?.epochMs ?? DEFAULT_EPOCH_MS);
  if (traces !== null) files["traces.otlp.json"] = renderOtlp(traces);
  return files;
}
