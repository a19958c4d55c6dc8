// The alert episodes of a run as lines of text for the terminal summary: one line per episode
// (when it went pending, fired and resolved, in simulated seconds), marked when it fired for no
// injected fault, then per fault which alerts detected it and how long after it began.
import type { RunResult } from "../../result/run.ts";

export function alertLines(result: RunResult): string[] {
  const { timeline, detection, falseAlarms } = result.alerts;
  if (timeline.length === 0) return [];
  const falseKeys = new Set(
    falseAlarms.map((f) => `${f.alert}|${JSON.stringify(f.labels)}|${f.firingAtMs}`),
  );
  const lines = timeline.map((e) => {
    const labels = Object.entries(e.labels)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(",");
    const firing = e.firingAtMs === null ? "never fired" : `firing ${seconds(e.firingAtMs)}`;
    const resolved =
      e.resolvedAtMs === null ? "still active at the end" : `resolved ${seconds(e.resolvedAtMs)}`;
    const alarm =
      e.firingAtMs !== null &&
      falseKeys.has(`${e.alert}|${JSON.stringify(e.labels)}|${e.firingAtMs}`)
        ? " (no fault: false alarm)"
        : "";
    return `⚑ ${e.alert}${labels === "" ? "" : `{${labels}}`}: pending ${seconds(e.pendingAtMs)}, ${firing}, ${resolved}${alarm}`;
  });
  for (const d of detection) {
    const by =
      d.alerts.length === 0
        ? "no alert fired"
        : d.alerts.map((a) => `${a.alert} after ${seconds(a.delayMs)}`).join(", ");
    lines.push(`fault ${d.fault} (${d.kind} at ${seconds(d.startMs)}): ${by}`);
  }
  return lines;
}

function seconds(ms: number): string {
  return `${ms / 1000} s`;
}
