// The scenario's own k6 thresholds as an invariant over a sliding window rather than the whole
// run: a checkout that keeps p(99)<600ms over an hour but not over the worst minute of a pod kill
// breaks `thresholdsOver("1m")`. Each window holds the measured requests that finished in the last
// `window` of simulated time; the thresholds are evaluated every `step` (a tenth of the window by
// default) once a whole window lies after the warm-up, as `meshsim run` evaluates them over the run:
// `rate` is failed requests over finished ones, latency aggregates are over successful requests,
// from when the load meant to send each one. Latency here is exact (sorted values), where the run's
// figure comes from its histogram (within 0.4%). A window with no finished request judges nothing.
import { parseDuration } from "../../kernel/duration.ts";
import { isFailure } from "../../model/request.ts";
import { compare } from "../../run/thresholds.ts";
import type { ThresholdSpec } from "../../scenario/types.ts";
import type { Invariant } from "../invariant.ts";

interface Finished {
  atMs: number;
  load: string;
  failed: boolean;
  latencyMs: number;
}

export interface WindowOptions {
  /** How often the windows are judged: a duration such as "5s" or ms; default a tenth of the window. */
  step?: string | number;
}

const toMs = (d: string | number, what: string): number => {
  const ms = typeof d === "number" ? d : parseDuration(d);
  if (!(ms > 0 && Number.isFinite(ms)))
    throw new RangeError(`${what} must be a positive duration, got ${d}`);
  return ms;
};

/** An invariant: every threshold of the scenario holds over every sliding window of length `window`. */
export function thresholdsOver(window: string | number, options: WindowOptions = {}): Invariant {
  const windowMs = toMs(window, "the thresholds window");
  const stepMs = options.step === undefined ? windowMs / 10 : toMs(options.step, "the window step");
  const label = typeof window === "string" ? window : `${window}ms`;
  return {
    name: `thresholds-over-${label}`,
    watch(scenario) {
      const start = new Map<number, number>();
      const recent: Finished[] = [];
      let head = 0;
      let nextJudgeMs = scenario.warmupMs + windowMs;
      const judge = (nowMs: number) => {
        while (head < recent.length && recent[head].atMs < nowMs - windowMs) head++;
        if (head > 4096 && head * 2 > recent.length) {
          recent.splice(0, head);
          head = 0;
        }
        const inWindow = recent.slice(head);
        for (const spec of scenario.thresholds) {
          const actual = windowFigure(spec, inWindow);
          if (actual !== null && !compare(actual, spec.operator, spec.value))
            return {
              message: `threshold ${spec.load === null ? spec.metric : `${spec.metric}{load:${spec.load}}`}: ${spec.expression} failed over the ${label} up to ${nowMs.toFixed(0)} ms (actual ${actual.toPrecision(4)})`,
            };
        }
        return null;
      };
      return {
        event(e) {
          if (e.type === "offered") {
            if (e.measured) start.set(e.request, e.scheduledAtMs);
            return null;
          }
          if (e.type !== "finished") return null;
          // Windows that closed before this request finished are judged first, as time went by.
          while (e.atMs >= nextJudgeMs) {
            const breach = judge(nextJudgeMs);
            nextJudgeMs += stepMs;
            if (breach !== null) return breach;
          }
          const scheduledAt = start.get(e.request);
          if (scheduledAt === undefined) return null;
          start.delete(e.request);
          const failed = isFailure(e.status);
          recent.push({ atMs: e.atMs, load: e.load, failed, latencyMs: e.atMs - scheduledAt });
          return null;
        },
        end() {
          // The windows that close after the last request finished, up to the run's end.
          for (; nextJudgeMs <= scenario.durationMs; nextJudgeMs += stepMs) {
            const breach = judge(nextJudgeMs);
            if (breach !== null) return breach;
          }
          return null;
        },
      };
    },
  };
}

/** The threshold's aggregate over `finished`, or null when there is nothing to judge. */
function windowFigure(spec: ThresholdSpec, finished: Finished[]): number | null {
  const mine = spec.load === null ? finished : finished.filter((f) => f.load === spec.load);
  if (spec.metric === "errors") {
    if (mine.length === 0) return null;
    return mine.filter((f) => f.failed).length / mine.length;
  }
  const latencies = mine.filter((f) => !f.failed).map((f) => f.latencyMs);
  if (latencies.length === 0) return null;
  latencies.sort((a, b) => a - b);
  const percentile = /^p\((.+)\)$/.exec(spec.aggregate);
  if (percentile !== null) return exactQuantile(latencies, Number(percentile[1]) / 100);
  switch (spec.aggregate) {
    case "avg":
      return latencies.reduce((a, b) => a + b, 0) / latencies.length;
    case "min":
      return latencies[0];
    case "max":
      return latencies[latencies.length - 1];
    case "med":
      return exactQuantile(latencies, 0.5);
  }
  return null;
}

/** The nearest-rank quantile of sorted values (the smallest value with at least q of them at or below it). */
function exactQuantile(sorted: number[], q: number): number {
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1];
}
