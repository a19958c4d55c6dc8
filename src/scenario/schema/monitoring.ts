// The `monitoring:` section: how often the run's metrics are sampled on the simulated clock, and
// how many points a series keeps. Prometheus names: scrapeInterval is its scrape_interval (15s is
// the value of Prometheus' shipped prometheus.yml; its built-in global default is 1m).
import { z } from "zod";
import { MAX_POINTS, PROMETHEUS_BUCKETS_MS, PROMETHEUS_SCRAPE_INTERVAL_MS } from "../defaults.ts";
import { LIMITS, tooLarge } from "../limits.ts";
import { boundedInteger, duration, expecting, fields, written } from "./leaves.ts";

export const monitoringSchema = fields("monitoring", {
  scrapeInterval: duration("positive")
    .prefault(written(PROMETHEUS_SCRAPE_INTERVAL_MS))
    .describe("Metrics are sampled every this much simulated time (Prometheus scrape_interval)."),
  maxPoints: boundedInteger(10, LIMITS.maxPoints, "an integer ≥ 10")
    .default(MAX_POINTS)
    .describe(
      "At most this many points per stored series: a longer run stores every k-th scrape (k fixed in advance).",
    ),
  buckets: z
    .array(duration("positive"), {
      error: expecting("a list of durations, e.g. [5ms, 10ms, 25ms]"),
    })
    .min(1, { error: "expected at least one bucket bound" })
    .max(LIMITS.buckets.max, {
      error: (issue) => tooLarge(LIMITS.buckets, `${(issue.input as unknown[]).length} bounds`),
    })
    .refine((list) => list.every((b, i) => i === 0 || b > list[i - 1]), {
      error: "expected bucket bounds in increasing order",
    })
    .prefault(PROMETHEUS_BUCKETS_MS.map((ms) => `${ms}ms`))
    .describe(
      "Upper bounds (le) of the latency histograms' buckets; default Prometheus client_golang DefBuckets (5ms ... 10s).",
    ),
});
