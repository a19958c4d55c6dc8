// The latency summary every result section uses (loads, services, compare): mean, the usual
// percentiles and the max, in ms. Produced by observe/histogram.ts; plain data, no behaviour.

/**
 * A latency summary in milliseconds, each value rounded to 6 significant digits. Fixed key order.
 */
export interface LatencySummary {
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}
