// The wall-clock instant that simulated time 0 stands for in exported files (metrics.om sample
// timestamps, OTLP span times). A fixed instant keeps the files deterministic. A scenario's
// `tracing.epoch` moves it; without one, DEFAULT_EPOCH holds (the tracing section's own default,
// so both exports of one run share a time axis either way).
import { DEFAULT_TRACING_EPOCH } from "../../result/tracing.ts";

/** RFC 3339 instant of simulated time 0 when the scenario names none. */
export const DEFAULT_EPOCH = DEFAULT_TRACING_EPOCH;
/** DEFAULT_EPOCH in unix ms. */
export const DEFAULT_EPOCH_MS = Date.parse(DEFAULT_EPOCH);
