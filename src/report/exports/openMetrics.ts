// metrics.om: every stored point of every series in OpenMetrics 1.0 text, each sample stamped
// with epoch + simulated time in unix seconds, ending `# EOF`, so that
// `promtool tsdb create-blocks-from openmetrics` loads a run into a real Prometheus. Per family:
// TYPE, UNIT (only when the name ends with it, as the spec demands), HELP; then each metric (label
// set) in turn, its points in time order, each point's samples together (a histogram's buckets by
// `le`, _count, _sum). `le` and `quantile` take the spec's canonical form (1.0, not 1). No
// `_created` samples: they are optional, and every series here starts at simulated time 0.
import type { MetricsResult } from "../../result/metrics.ts";
import {
  canonicalFloat,
  escapeLabelValue,
  formatLabels,
  formatValue,
  groupByFamily,
  labelNumber,
  pointLabel,
} from "./exposition.ts";
import { EVERY_POINT, type PointExists } from "./podPresence.ts";

/** `exists` leaves out the points that stand for no pod (see podPresence.ts). */
export function renderOpenMetrics(
  metrics: MetricsResult,
  epochMs: number,
  exists: PointExists = EVERY_POINT,
): string {
  const lines: string[] = [];
  const stamps = metrics.timesMs.map((t) => unixSeconds(epochMs + t));
  for (const { family, metrics: groups } of groupByFamily(metrics, ["_count", "_sum"])) {
    lines.push(`# TYPE ${family.name} ${family.type}`);
    if (family.unit !== "" && family.name.endsWith(`_${family.unit}`))
      lines.push(`# UNIT ${family.name} ${family.unit}`);
    lines.push(`# HELP ${family.name} ${escapeLabelValue(family.help)}`);
    const point = pointLabel(family.type);
    const render = (label: string, value: string) =>
      label === point && !Number.isNaN(labelNumber(value))
        ? canonicalFloat(labelNumber(value))
        : value;
    for (const group of groups) {
      const prefixes = group.series.map((s) => `${s.name}${formatLabels(s.labels, render)} `);
      stamps.forEach((stamp, i) => {
        group.series.forEach((s, j) => {
          if (exists(s, i)) lines.push(`${prefixes[j]}${formatValue(s.values[i])} ${stamp}`);
        });
      });
    }
  }
  lines.push("# EOF");
  return lines.join("\n") + "\n";
}

/** Unix ms as decimal seconds with at most microsecond digits, no exponent (e.g. 1767225615.25). */
export function unixSeconds(ms: number): string {
  return (ms / 1000).toFixed(6).replace(/\.?0+$/, "");
}
