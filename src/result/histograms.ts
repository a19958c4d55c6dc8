// Latency histograms as plain data, in a compact encoding that merges exactly: the experiment
// layer asks a run for them (they are off by default, so `meshsim run --json` does not carry
// them) to pool the requests of many replications and read exact pooled percentiles.

/** One LatencyHistogram (src/observe/histogram.ts): its exact count, sum, min and max, and its bucket counts. */
export interface EncodedHistogram {
  /** The bucket layout: 128 log-spaced buckets per power of two from 2^-20 ms (merging needs the same). */
  layout: "log2-128";
  count: number;
  sum: number;
  min: number;
  max: number;
  /** The index of the first non-empty bucket. */
  first: number;
  /**
   * Base64 of unsigned LEB128 varints: for each non-empty bucket from `first` on, the number of
   * empty buckets skipped since the previous one, then its count.
   */
  counts: string;
}

/** A run's end-to-end latency per load and time at an instance per service, by name. */
export interface RunHistograms {
  load: Record<string, EncodedHistogram>;
  services: Record<string, EncodedHistogram>;
}
