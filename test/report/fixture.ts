// A hand-built MetricsResult with one family of each type, two stored points, a NaN gauge and
// summary quantile, and label values and help text that need escaping.
import type { MetricsResult } from "../../src/result/metrics.ts";

export const SMALL_METRICS: MetricsResult = {
  scrapeIntervalMs: 15_000,
  stepMs: 15_000,
  timesMs: [15_000, 30_000],
  families: [
    {
      name: "demo_requests",
      type: "counter",
      unit: "",
      help: 'Calls "answered", with a \\ and a\nnewline.',
    },
    { name: "demo_duration_seconds", type: "histogram", unit: "seconds", help: "Latency." },
    { name: "demo_in_flight", type: "gauge", unit: "", help: "In flight." },
    { name: "demo_window_seconds", type: "summary", unit: "seconds", help: "Window quantiles." },
    { name: "demo_busy_seconds", type: "counter", unit: "seconds", help: "Busy." },
  ],
  series: [
    {
      family: "demo_requests",
      name: "demo_requests_total",
      labels: { service: 'we"ird\\name\n' },
      values: [3, 7],
    },
    {
      family: "demo_duration_seconds",
      name: "demo_duration_seconds_bucket",
      labels: { service: "a", le: "0.5" },
      values: [1, 2],
    },
    {
      family: "demo_duration_seconds",
      name: "demo_duration_seconds_bucket",
      labels: { service: "a", le: "1" },
      values: [2, 3],
    },
    {
      family: "demo_duration_seconds",
      name: "demo_duration_seconds_bucket",
      labels: { service: "a", le: "+Inf" },
      values: [2, 4],
    },
    {
      family: "demo_duration_seconds",
      name: "demo_duration_seconds_sum",
      labels: { service: "a" },
      values: [0.75, 4.5],
    },
    {
      family: "demo_duration_seconds",
      name: "demo_duration_seconds_count",
      labels: { service: "a" },
      values: [2, 4],
    },
    {
      family: "demo_in_flight",
      name: "demo_in_flight",
      labels: { service: "a" },
      values: [1, null],
    },
    {
      family: "demo_requests",
      name: "demo_requests_total",
      labels: { service: "b" },
      values: [0, 1],
    },
    {
      family: "demo_window_seconds",
      name: "demo_window_seconds",
      labels: { service: "a", quantile: "0.5" },
      values: [0.2, null],
    },
    {
      family: "demo_window_seconds",
      name: "demo_window_seconds",
      labels: { service: "a", quantile: "0.99" },
      values: [0.9, null],
    },
    {
      family: "demo_busy_seconds",
      name: "demo_busy_seconds_total",
      labels: { service: "a" },
      values: [1.5, 2.25],
    },
  ],
};
