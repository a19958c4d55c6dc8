// Hand-built scrapes for alert tests: a SeriesStore whose series are set tick by tick, fed to an
// Alerting (or an Evaluator) exactly as the Monitor would, every 15 s of simulated time.

import { KNOWN_SAMPLES } from "../../../src/observe/alerts/promql/metrics.ts";
import type { Severity, ThresholdRuleSpec } from "../../../src/observe/alerts/types.ts";
import type { SeriesStore } from "../../../src/observe/metrics/seriesStore.ts";
import {
  type AlertScope,
  checkContext,
  thresholdRule,
} from "../../../src/scenario/resolve/alerts.ts";

export const SCRAPE_MS = 15_000;

/** One load `shop`, a service `api` with two instances, buckets 100/250/500 ms. */
export const SCOPE: AlertScope = {
  loads: ["shop"],
  services: [{ name: "api", instances: 2 }],
  bucketsMs: [100, 250, 500],
  scrapeIntervalMs: SCRAPE_MS,
};

export function rule(
  name: string,
  expr: string,
  options: { forMs?: number; keepFiringForMs?: number; severity?: Severity } = {},
): ThresholdRuleSpec {
  return thresholdRule({ name, expr, ...options }, checkContext(SCOPE));
}

/** Sets `sample{labels}` in `store` (creating the series on first use, as a collector would). */
export function set(
  store: SeriesStore,
  sample: string,
  labels: Record<string, string>,
  value: number,
): void {
  const info = KNOWN_SAMPLES.get(sample);
  if (info === undefined) throw new Error(`no sample ${sample}`);
  store.seriesOf(info.family, sample, Object.entries(labels)).current = value;
}

/** The time of scrape tick k (1-based): 15 s, 30 s, ... */
export const tick = (k: number): number => k * SCRAPE_MS;
