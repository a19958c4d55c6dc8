// A run's latency histograms in their mergeable encoding, for the experiment layer to pool the
// requests of many replications (RunOptions.histograms; off by default, so `meshsim run --json`
// does not carry them). The same histograms the result's percentiles are read from.
import type { RunHistograms } from "../result/histograms.ts";
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
