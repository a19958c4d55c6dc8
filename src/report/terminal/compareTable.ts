// The tables `meshsim compare` prints: one row per variant and load with each figure as its mean
// over seeds ± the half-width of its 95% interval, then the paired differences against the
// baseline (variant − baseline, seed by seed) with their own, tighter, intervals and a verdict.
import Table from "cli-table3";
import type { Comparison } from "../../result/compare.ts";
import { markdownTable } from "../markdown/table.ts";
import {
  edgeImbalanceTable,
  SERVICE_UTILISATION_TEXT,
  serviceUtilisationTable,
} from "../sections/compareTables.ts";
import {
  anomalyTable,
  hasTransactions,
  recoveryTable,
  TRANSACTION_ANOMALIES_TEXT,
  TRANSACTION_RECOVERY_TEXT,
  transactionDiffTable,
} from "../sections/compareTransactions.ts";
import { formatMs } from "../sections/summaryRows.ts";
import type { TextTable } from "../sections/tables.ts";
import { diffCell, msCell, percentCell, percentText, rateText } from "./experimentCells.ts";

/**
 * `requests` is offered over all seeds together; every other figure is the mean over seeds (± the
 * half-width of its 95% interval with several seeds); latencies are "—" where no request completed.
 */
export const compareHeader = [
  "variant",
  "load",
  "requests (all seeds)",
  "error rate",
  "mean ms",
  "p50 ms",
  "p90 ms",
  "p99 ms",
  "p99.9 ms",
  "worst edge imbalance",
  "cache hits",
];

/** A latency figure, or "—" for a load none of whose requests completed after the warm-up. */
function latencyCell(completed: boolean, value: number, ci: Parameters<typeof msCell>[1]): string {
  return completed ? msCell(value, ci) : "—";
}

export function compareRows(comparison: Comparison): string[][] {
  return comparison.variants.flatMap((v) =>
    v.loads.map((l) => [
      v.name,
      l.load,
      String(l.offered),
      percentCell(l.errorRate, l.errorRateCi95),
      latencyCell(l.throughputPerS > 0, l.latencyMs.mean, l.latencyMs.meanCi95),
      latencyCell(l.throughputPerS > 0, l.latencyMs.p50, l.latencyMs.p50Ci95),
      latencyCell(l.throughputPerS > 0, l.latencyMs.p90, l.latencyMs.p90Ci95),
      latencyCell(l.throughputPerS > 0, l.latencyMs.p99, l.latencyMs.p99Ci95),
      latencyCell(l.throughputPerS > 0, l.latencyMs.p999, l.latencyMs.p999Ci95),
      v.maxImbalance.toFixed(3),
      v.cacheHitRatio === null ? "" : `${(v.cacheHitRatio * 100).toFixed(1)}%`,
    ]),
  );
}

export const diffHeader = [
  "variant",
  "load",
  "Δ errors",
  "Δ mean ms",
  "Δ p50 ms",
  "Δ p99 ms",
  "Δ p99.9 ms",
  "Δ req/s",
];

export function diffRows(comparison: Comparison): string[][] {
  return comparison.variants.flatMap((v) =>
    v.diff === null
      ? []
      : v.diff.loads.map((d) => [
          v.name,
          d.load,
          diffCell(d.errorRate, d.errorRateCi95, d.errorRateVerdict, percentText),
          diffCell(d.latencyMs.mean, d.latencyMs.meanCi95, d.latencyMs.meanVerdict, formatMs),
          diffCell(d.latencyMs.p50, d.latencyMs.p50Ci95, d.latencyMs.p50Verdict, formatMs),
          diffCell(d.latencyMs.p99, d.latencyMs.p99Ci95, d.latencyMs.p99Verdict, formatMs),
          diffCell(d.latencyMs.p999, d.latencyMs.p999Ci95, d.latencyMs.p999Verdict, formatMs),
          diffCell(d.throughputPerS, d.throughputPerSCi95, d.throughputPerSVerdict, rateText),
        ]),
  );
}

function seedsText(comparison: Comparison): string {
  return comparison.seeds.length === 1
    ? `seed ${comparison.seeds[0]}`
    : `seeds ${comparison.seeds.join(", ")} (requests are summed over seeds; every other figure is the mean over seeds ± the half-width of its 95% interval)`;
}

function diffNote(comparison: Comparison): string {
  return comparison.seeds.length === 1
    ? `Differences against ${comparison.baseline} on one seed: no interval, so no verdict (use --seeds).`
    : `Paired differences against ${comparison.baseline} (variant − baseline, seed by seed, 95% interval): "better" or "worse" only when the whole interval is on one side of 0, otherwise "same" (no significant difference).`;
}

export function renderCompareTable(comparison: Comparison): string {
  const table = new Table({ head: compareHeader, style: { head: [], border: [] } });
  for (const row of compareRows(comparison)) table.push(row);
  const lines = [`compare ${comparison.scenario}, ${seedsText(comparison)}`, table.toString()];
  const diffs = diffRows(comparison);
  if (diffs.length > 0) {
    const diff = new Table({ head: diffHeader, style: { head: [], border: [] } });
    for (const row of diffs) diff.push(row);
    lines.push(`vs ${comparison.baseline}:`, diff.toString(), diffNote(comparison));
  }
  if (hasTransactions(comparison)) {
    lines.push("transactions (mean over seeds):", cliTable(anomalyTable(comparison)));
    lines.push(cliTable(recoveryTable(comparison)));
    const txDiff = transactionDiffTable(comparison);
    if (txDiff !== null) lines.push(`transactions vs ${comparison.baseline}:`, cliTable(txDiff));
  }
  return `${lines.join("\n")}\n`;
}

function cliTable(t: TextTable): string {
  const table = new Table({ head: t.columns.map((c) => c.title), style: { head: [], border: [] } });
  for (const row of t.rows) table.push(row);
  return table.toString();
}

/** compare.md's "Transactions" section, or nothing when no variant declares effects. */
function transactionsMarkdown(comparison: Comparison): string[] {
  if (!hasTransactions(comparison)) return [];
  const diff = transactionDiffTable(comparison);
  return [
    "## Transactions",
    "",
    TRANSACTION_ANOMALIES_TEXT,
    "",
    ...textTable(anomalyTable(comparison)),
    TRANSACTION_RECOVERY_TEXT,
    "",
    ...textTable(recoveryTable(comparison)),
    ...(diff === null
      ? []
      : [
          `Against ${comparison.baseline} (variant − baseline, seed by seed, 95% interval):`,
          "",
          ...textTable(diff),
        ]),
  ];
}

export function renderCompareMarkdown(comparison: Comparison): string {
  const lines = [
    `# meshsim compare: ${comparison.scenario}`,
    "",
    `Seeds ${comparison.seeds.join(", ")}; every variant ran on the same seeds (common random numbers).`,
    "",
    ...markdownTable(compareHeader, compareRows(comparison)),
    "",
    `Requests are offered over all seeds together; every other figure is the mean over seeds. The worst edge imbalance is the largest of any edge; per edge:`,
    "",
    ...textTable(edgeImbalanceTable(comparison)),
    "## Utilisation per service",
    "",
    SERVICE_UTILISATION_TEXT,
    "",
    ...textTable(serviceUtilisationTable(comparison)),
  ];
  const diffs = diffRows(comparison);
  if (diffs.length > 0)
    lines.push(
      `## Against ${comparison.baseline}`,
      "",
      ...markdownTable(diffHeader, diffs),
      "",
      diffNote(comparison),
      "",
    );
  lines.push(...transactionsMarkdown(comparison));
  return lines.join("\n");
}

function textTable(t: TextTable): string[] {
  return [
    ...markdownTable(
      t.columns.map((c) => c.title),
      t.rows,
    ),
    "",
  ];
}
