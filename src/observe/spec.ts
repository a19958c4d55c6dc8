// Observation's own settings, as the loader hands them over typed and defaulted: metric scraping
// (Prometheus' scrape interval, the stored points, the latency histograms' buckets) and tracing
// (OpenTelemetry head sampling, tail sampling, the kept-trace cap and the OTLP epoch). Alert rules
// have their own file (alerts/types.ts). Times are simulated ms.
import type { TracingSampler } from "../result/tracing.ts";

export type { TracingSampler } from "../result/tracing.ts";

export interface MonitoringSpec {
  /** Metrics are sampled every this many simulated ms (Prometheus scrape_interval). */
  scrapeIntervalMs: number;
  /** At most this many stored points per series. */
  maxPoints: number;
  /** Upper bounds (le) of the latency histograms' buckets, in ms, increasing. */
  bucketsMs: number[];
}

export interface TracingSpec {
  /** The head sampler, decided from the trace id when a request starts. */
  sampler: TracingSampler;
  /** The TraceIdRatioBased ratio (used by the traceidratio samplers). */
  ratio: number;
  /** Tail sampling: keep every trace with a span that ended in error. */
  keepErrors: boolean;
  /** Tail sampling: keep every trace whose request took longer than this, or null. */
  keepSlowerThanMs: number | null;
  /** OTLP times are simulated time after this instant (unix ms), from `epoch` in the file. */
  epochMs: number;
  /** At most this many traces are kept (see observe/tracing/keptTraces.ts for which). */
  maxTraces: number;
}
