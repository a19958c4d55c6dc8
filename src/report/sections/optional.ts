// The parts of a run result that older saved results lack, or that a scenario turns on: alerts
// (alert rules and their ground truth against the faults) and tracing (the critical-path
// breakdown). Each accessor reads its section in one place, so the renderers never guess at
// shapes, and returns null when the section is absent (a result saved before it existed, no
// alert rules, tracing off).

import type { AlertsResult } from "../../result/alerts.ts";
import type { RunResult } from "../../result/run.ts";
import type { CriticalPathEntry } from "../../result/tracing.ts";

export type AlertsSection = AlertsResult;

/** The alerts section, or null when the result has no alert rules (or was saved before alerting). */
export function alertsOf(result: RunResult): AlertsSection | null {
  const alerts = (result as Partial<RunResult>).alerts;
  return alerts === undefined || alerts === null || alerts.rules.length === 0 ? null : alerts;
}

/** One part of the end-to-end latency on the critical path: a service, the network and sidecars, or the load client. */
export interface CriticalPathRow {
  load: string;
  part: string;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  /** Its share of the load's total end-to-end time (the shares of one load add up to 1). */
  share: number;
}

/** The critical-path breakdown per load, or null when the run had tracing off (or predates tracing). */
export function criticalPathOf(result: RunResult): CriticalPathRow[] | null {
  const tracing = (result as Partial<RunResult>).tracing;
  if (tracing === undefined || tracing === null) return null;
  const row = (load: string, part: string, e: CriticalPathEntry): CriticalPathRow => ({
    load,
    part,
    p50Ms: e.p50Ms,
    p99Ms: e.p99Ms,
    meanMs: e.meanMs,
    share: e.share,
  });
  return Object.entries(tracing.criticalPath).flatMap(([load, path]) => [
    ...Object.entries(path.services).map(([service, e]) => row(load, service, e)),
    row(load, "network and sidecars", path.network),
    row(load, "load client", path.client),
  ]);
}
