// A run's latency histograms in their mergeable encoding, for the experiment layer to pool the
// requests of many replications (RunOptions.histograms; off by default, so `meshsim run --json`
// does not carry them), and their merge back into one summary. The same histograms the result's
// percentiles are read from.
import { LatencyHistogram } from "../observe/histogram.ts";
import type { EncodedHistogram, RunHistograms } from "../result/histograms.ts";
import type { LatencySummary } from "../result/latency.ts";
import type { World } from "../scenario/build.ts";

export function encodeHistograms(world: World): RunHistograms {
  const { scenario, stats } = world;
  return {
    load: Object.fromEntries(
      scenario.load.map((spec, i) => [spec.name, stats.loads[i].latency.toEncoded()]),
    ),
    services: Object.fromEntries(
      world.services.map((service) => [
        service.name,
        stats.services[service.index].latency.toEncoded(),
      ]),
    ),
  };
}

/** The summary of every request of the given histograms together, merged in the order given. */
export function mergedSummary(histograms: readonly EncodedHistogram[]): LatencySummary {
  const merged = new LatencyHistogram();
  for (const h of histograms) merged.merge(LatencyHistogram.fromEncoded(h));
  return merged.summary();
}
