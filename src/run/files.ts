// The files a run writes under --out: the result JSON and the human-readable reports built from it.
// The renderers are imported when a report is rendered, not with this module: the HTML report pulls
// in vega and vega-lite (about 0.25 s of CPU to load), which `meshsim run --json` never needs.

import type { RunResult } from "../result/run.ts";
import type { TraceExport } from "../result/tracing.ts";

/**
 * The reports built from a run result alone: what `meshsim report result.json` re-renders; with
 * `baseline` (`--baseline OTHER.json`), each headline figure's change against that run too.
 */
export async function reportFiles(
  result: RunResult,
  baseline: RunResult | null = null,
): Promise<Record<string, string>> {
  const [{ renderMarkdown }, { renderHtmlReport }] = await Promise.all([
    import("../report/markdown/runMarkdown.ts"),
    import("../report/html/runReport.ts"),
  ]);
  return {
    "report.md": renderMarkdown(result, baseline),
    "report.html": renderHtmlReport(result, baseline),
  };
}

export function resultJson(result: RunResult): string {
  return JSON.stringify(result, null, 2) + "\n";
}

/**
 * `traces` (the kept traces of a run with tracing on) adds traces.otlp.json. metrics.om counts
 * from the tracing epoch when there is one (so metrics and traces share a time axis), else DEFAULT_EPOCH.
 */
export async function runFiles(
  result: RunResult,
  traces: TraceExport | null = null,
): Promise<Record<string, string>> {
  const [
    { DEFAULT_EPOCH_MS },
    { renderOpenMetrics },
    { renderOtlp },
    { renderPrometheusText },
    { podPointExists },
  ] = await Promise.all([
    import("../report/exports/epoch.ts"),
    import("../report/exports/openMetrics.ts"),
    import("../report/exports/otlp.ts"),
    import("../report/exports/prometheusText.ts"),
    import("../report/exports/podPresence.ts"),
  ]);
  const files: Record<string, string> = {
    "result.json": resultJson(result),
    ...(await reportFiles(result)),
  };
  // A pod that does not exist has no series (kube-state-metrics): standby slots export nothing.
  const exists = podPointExists(result);
  files["metrics.prom"] = renderPrometheusText(result.metrics, exists);
  files["metrics.om"] = renderOpenMetrics(
    result.metrics,
    traces?.epochMs ?? DEFAULT_EPOCH_MS,
    exists,
  );
  if (traces !== null) files["traces.otlp.json"] = renderOtlp(traces);
  return files;
}
