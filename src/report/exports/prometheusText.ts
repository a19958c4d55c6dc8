// metrics.prom: the final value of every series (its last stored point) in the Prometheus text
// exposition format 0.0.4, as client_golang writes it: HELP and TYPE per family, no timestamps,
// a counter's family named with its `_total`, histogram buckets ascending to +Inf, then _sum and
// _count. It passes `promtool check metrics`. The whole history is in metrics.om.
import type { MetricsResult } from "../../result/metrics.ts";
import {
  escapeHelp004,
  formatLabels,
  formatValue,
  goFloat,
  groupByFamily,
  labelNumber,
  pointLabel,
} from "./exposition.ts";
import { EVERY_POINT, type PointExists } from "./podPresence.ts";

/** `exists` leaves out a series whose last point stands for no pod (see podPresence.ts). */
export function renderPrometheusText(
  metrics: MetricsResult,
  exists: PointExists = EVERY_POINT,
): string {
  const last = metrics.timesMs.length - 1;
  const lines: string[] = [];
  for (const { family, metrics: groups } of groupByFamily(metrics, ["_sum", "_count"])) {
    const samples = groups
      .flatMap((g) => g.series)
      .filter((s) => s.values.length > 0 && exists(s, last));
    if (samples.length === 0) continue;
    const name = family.type === "counter" ? `${family.name}_total` : family.name;
    lines.push(`# HELP ${name} ${escapeHelp004(family.help)}`, `# TYPE ${name} ${family.type}`);
    const point = pointLabel(family.type);
    // le / quantile as client_golang renders them (Go's %g), whatever their text in the result.
    const render = (label: string, value: string) =>
      label === point && !Number.isNaN(labelNumber(value)) ? goFloat(labelNumber(value)) : value;
    for (const s of samples)
      lines.push(
        `${s.name}${formatLabels(s.labels, render)} ${formatValue(s.values[s.values.length - 1])}`,
      );
  }
  return lines.length === 0 ? "" : lines.join("\n") + "\n";
}
