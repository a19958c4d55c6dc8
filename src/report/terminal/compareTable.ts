// The side-by-side table `meshsim compare` prints: one row per variant and load, with latency
// percentiles (mean over seeds), the error rate, the worst edge imbalance and the cache hit ratio.
import Table from "cli-table3";
import type { Comparison } from "../../result/compare.ts";
import { markdownTable } from "../markdown/table.ts";
import { formatMs } from "../sections/summaryRows.ts";

export const compareHeader = [
  "variant",
  "load",
  "requests",
  "errors",
  "mean ms",
  "p50 ms",
  "p90 ms",
  "p99 ms",
  "p99.9 ms",
  "max imbalance",
  "cache hits",
];

export function compareRows(comparison: Comparison): string[][] {
  return comparison.variants.flatMap((v) =>
    v.loads.map((l) => [
      v.name,
      l.load,
      String(l.offered),
      `${(l.errorRate * 100).toFixed(2)}%`,
      ...[
        l.latencyMs.mean,
        l.latencyMs.p50,
        l.latencyMs.p90,
        l.latencyMs.p99,
        l.latencyMs.p999,
      ].map(formatMs),
      v.maxImbalance.toFixed(3),
      v.cacheHitRatio === null ? "" : `${(v.cacheHitRatio * 100).toFixed(1)}%`,
    ]),
  );
}

export function renderCompareTable(comparison: Comparison): string {
  const table = new Table({ head: compareHeader, style: { head: [], border: [] } });
  for (const row of compareRows(comparison)) table.push(row);
  const seeds =
    comparison.seeds.length === 1
      ? `seed ${comparison.seeds[0]}`
      : `seeds ${comparison.seeds.join(", ")} (figures are means over seeds)`;
  return `compare ${comparison.scenario}, ${seeds}\n${table.toString()}\n`;
}

export function renderCompareMarkdown(comparison: Comparison): string {
  const lines = [
    `# meshsim compare: ${comparison.scenario}`,
    "",
    `Seeds ${comparison.seeds.join(", ")}; every variant ran on the same seeds (common random numbers).`,
    "",
    ...markdownTable(compareHeader, compareRows(comparison)),
    "",
  ];
  return lines.join("\n");
}
