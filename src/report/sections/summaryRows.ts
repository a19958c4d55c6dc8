// Figures as the report prints them, shared by the terminal, Markdown and HTML: latencies to the
// precision of the histogram they come from (3 significant figures: its buckets are 0.4% wide, so
// a fourth figure would be noise), "—" where no request completed, and the k6-style threshold lines.

import type { RunResult, ThresholdResult } from "../../result/run.ts";

/** Milliseconds to 3 significant figures, without an exponent from 0.001 ms up: `2630`, `361`, `62.9`, `4.12`, `36.0`. */
export function formatMs(ms: number): string {
  if (ms === 0) return "0";
  const magnitude = Math.floor(Math.log10(Math.abs(ms)));
  if (magnitude >= 2) {
    const step = 10 ** (magnitude - 2);
    return String(Math.round(ms / step) * step);
  }
  return ms.toPrecision(3);
}

/** A latency where some request completed, else "—" (a zero-completion load has no latency, not 0 ms). */
export function latencyText(ms: number, completed: number): string {
  return completed > 0 ? formatMs(ms) : "—";
}

/** A threshold's actual value as its metric reads: a percentage of requests for errors, else ms to the histogram's precision. */
export function thresholdActualText(t: ThresholdResult): string {
  if (t.metric.startsWith("errors")) return `${(t.actual * 100).toPrecision(3)}%`;
  return `${formatMs(t.actual)}ms`;
}

export function thresholdLines(result: RunResult): string[] {
  return result.thresholds.map(
    (t) => `${t.ok ? "✓" : "✗"} ${t.metric}: ${t.expression} (actual ${thresholdActualText(t)})`,
  );
}

/** The busiest service (highest utilisation; ties by name), or null without services: where a queue grows first. */
export function bottleneck(result: RunResult): { service: string; utilization: number } | null {
  let best: { service: string; utilization: number } | null = null;
  for (const [service, s] of Object.entries(result.services)) {
    if (best === null || s.utilization > best.utilization)
      best = { service, utilization: s.utilization };
  }
  return best;
}

/** `Bottleneck: payment, the busiest service (utilisation 98.2% of its serving pods' worker time).` */
export function bottleneckLine(result: RunResult): string | null {
  const b = bottleneck(result);
  if (b === null) return null;
  return `Bottleneck: ${b.service}, the busiest service (utilisation ${(b.utilization * 100).toFixed(1)}% of its serving pods' worker time).`;
}
