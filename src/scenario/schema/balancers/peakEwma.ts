// Finagle's / Linkerd's peak-EWMA P2C in a scenario file: decayTime (τ) and defaultRtt, with
// Finagle's and Linkerd's defaults (scenario/defaults.ts).
import { PEAK_EWMA } from "../../defaults.ts";
import { duration, written } from "../leaves.ts";
import { policyFormat } from "./format.ts";

export const peakEwma = policyFormat(
  "peak-ewma",
  () => ({
    decayTime: duration("positive")
      .prefault(written(PEAK_EWMA.decayTimeMs))
      .describe("τ of the peak-sensitive EWMA (Finagle)."),
    defaultRtt: duration("nonnegative")
      .prefault(written(PEAK_EWMA.defaultRttMs))
      .describe("RTT assumed before a host has answered (Linkerd)."),
  }),
  (raw) => ({ decayTimeMs: raw.decayTime, defaultRttMs: raw.defaultRtt }),
);
