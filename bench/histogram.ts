// Benchmark: LatencyHistogram.record against hdr-histogram-js (JS, 64-bit buckets, 2 significant
// digits) on one pre-drawn array of 100k exponential latencies (mean 20 ms). hdr-histogram-js takes
// integers, so it records the same values as pre-converted integer microseconds.
// Run: npx tsx bench/histogram.ts

import { build } from "hdr-histogram-js";
import { Bench } from "tinybench";
import { RandomStreams } from "../src/kernel/random.ts";
import { LatencyHistogram } from "../src/observe/histogram.ts";

const SEED = 1;
const VALUES = 100_000;
const MEAN_MS = 20;

console.log(`seed ${SEED}, ${VALUES} exponential values, mean ${MEAN_MS} ms`);
const rng = new RandomStreams(SEED).get("bench/histogram/values");
const latenciesMs = Float64Array.from(
  { length: VALUES },
  () => -MEAN_MS * Math.log(1 - rng.next()),
);
const latenciesUs = Float64Array.from(latenciesMs, (ms) => Math.round(ms * 1000));

const ours = new LatencyHistogram();
const hdr = build({ bitBucketSize: 64, numberOfSignificantValueDigits: 2 });

const bench = new Bench({ name: "histogram record", time: 1000 });
bench
  .add("LatencyHistogram.record (100k ms floats)", () => {
    for (let i = 0; i < latenciesMs.length; i++) ours.record(latenciesMs[i]);
  })
  .add("hdr-histogram-js recordValue (100k int us)", () => {
    for (let i = 0; i < latenciesUs.length; i++) hdr.recordValue(latenciesUs[i]);
  });

await bench.run();
console.table(bench.table());

for (const task of bench.tasks) {
  const result = task.result;
  if (result.state !== "completed") {
    console.log(`${task.name}: ${result.state}`);
    continue;
  }
  const recordsPerSecond = (VALUES * 1000) / result.period; // period: mean ms per 100k-record pass
  const nsPerRecord = 1e9 / recordsPerSecond;
  console.log(
    `${task.name}: ${(recordsPerSecond / 1e6).toFixed(1)} M records/s, ${nsPerRecord.toFixed(2)} ns/record`,
  );
}

// Cross-check that both saw the same data (p99 in ms; hdr's own relative error is about 1%).
console.log(
  `p99 ms: LatencyHistogram ${ours.quantile(0.99).toFixed(3)}, hdr ${(hdr.getValueAtPercentile(99) / 1000).toFixed(3)}`,
);
