// The `load` section → LoadSpecs (k6 executors): rates per ms, stages summed exactly, attribute
// distributions that add up to 1, a start inside the run, and for ramping executors a duration
// that agrees with their stages (they run exactly as long as the stages).
import { formatDuration } from "../../kernel/duration.ts";
import { LIMITS, tooLarge } from "../limits.ts";
import type { Finding, PathSegment } from "../path.ts";
import type { RawLoadEntry } from "../schema/scenario.ts";
import type { LoadSpec, Stage } from "../types.ts";
import { toRef } from "./services.ts";

export function toLoad(
  entry: RawLoadEntry,
  index: number,
  runMs: number,
  findings: Finding[],
): LoadSpec {
  checkAttributes(entry, index, findings);
  checkRates(entry, index, findings);
  if (entry.startTime >= runMs) {
    findings.push({
      path: ["load", index, "startTime"],
      at: "value",
      message: `must be before the end of the run (duration ${formatDuration(runMs)}), found ${formatDuration(entry.startTime)}`,
    });
  }
  const ramped = (totalMs: number): number => rampedDuration(entry, index, totalMs, findings);
  const common = commonOf(entry, runMs);
  switch (entry.executor) {
    case "constant-arrival-rate":
      return {
        ...common,
        executor: entry.executor,
        ratePerMs: entry.rate / entry.timeUnit,
        arrival: entry.arrival,
      };
    case "ramping-arrival-rate": {
      const { stages, totalMs } = stagesOf(entry.stages, entry.timeUnit);
      return {
        ...common,
        durationMs: ramped(totalMs),
        executor: entry.executor,
        startRatePerMs: entry.startRate / entry.timeUnit,
        stages,
        arrival: entry.arrival,
      };
    }
    case "constant-vus":
      return { ...common, executor: entry.executor, vus: entry.vus, thinkTime: entry.thinkTime };
    case "ramping-vus": {
      const { stages, totalMs } = stagesOf(entry.stages, 1);
      return {
        ...common,
        durationMs: ramped(totalMs),
        executor: entry.executor,
        startVUs: entry.startVUs,
        stages,
        thinkTime: entry.thinkTime,
      };
    }
  }
}

/** Ramping executors run exactly as long as their stages; a `duration` must agree. */
function rampedDuration(
  entry: RawLoadEntry,
  index: number,
  totalMs: number,
  findings: Finding[],
): number {
  const at = (key: string): PathSegment[] => ["load", index, key];
  if (totalMs === 0) {
    findings.push({
      path: at("stages"),
      at: "value",
      message: "the stage durations must add up to more than 0",
    });
  }
  if (entry.duration !== undefined && entry.duration !== totalMs) {
    findings.push({
      path: at("duration"),
      at: "value",
      message:
        `is ${formatDuration(entry.duration)} but the stages add up to ${formatDuration(totalMs)}; ` +
        "leave duration out or make them agree",
    });
  }
  return totalMs;
}

/** An arrival rate above LIMITS.ratePerS (per second, whatever the timeUnit) is refused. */
function checkRates(entry: RawLoadEntry, index: number, findings: Finding[]): void {
  if (entry.executor !== "constant-arrival-rate" && entry.executor !== "ramping-arrival-rate")
    return;
  const perS = (rate: number) => (rate / entry.timeUnit) * 1000;
  const check = (rate: number, path: PathSegment[]) => {
    if (perS(rate) <= LIMITS.ratePerS.max) return;
    findings.push({
      path: ["load", index, ...path],
      at: "value",
      message: tooLarge(LIMITS.ratePerS, `${perS(rate)} requests per second`),
    });
  };
  if (entry.executor === "constant-arrival-rate") check(entry.rate, ["rate"]);
  else {
    check(entry.startRate, ["startRate"]);
    for (const [i, stage] of entry.stages.entries()) check(stage.target, ["stages", i, "target"]);
  }
}

function checkAttributes(entry: RawLoadEntry, index: number, findings: Finding[]): void {
  for (const [attribute, values] of Object.entries(entry.attributes)) {
    const total = Object.values(values).reduce((sum, p) => sum + p, 0);
    if (Math.abs(total - 1) > 1e-9) {
      findings.push({
        path: ["load", index, "attributes", attribute],
        at: "value",
        message: `the probabilities add up to ${total}, not 1`,
      });
    }
  }
}

/** What every executor has; durationMs is the run's rest unless the entry gives one. */
function commonOf(entry: RawLoadEntry, runMs: number) {
  return {
    name: entry.name,
    target: toRef(entry.target),
    startTimeMs: entry.startTime,
    durationMs: entry.duration ?? runMs - entry.startTime,
    clients: entry.clients,
    zone: entry.zone ?? null,
    keys: entry.keys ?? null,
    attributes: Object.entries(entry.attributes).map(([attribute, values]) => ({
      name: attribute,
      values: Object.entries(values).map(([value, probability]) => ({ value, probability })),
    })),
  };
}

/** Stage durations summed in whole microseconds, so "100us" + "200us" equals "300us" exactly. */
function stagesOf(
  stages: readonly { duration: number; target: number }[],
  targetPer: number,
): { stages: Stage[]; totalMs: number } {
  let totalUs = 0;
  for (const stage of stages) totalUs += Math.round(stage.duration * 1000);
  return {
    stages: stages.map((s) => ({ durationMs: s.duration, target: s.target / targetPer })),
    totalMs: totalUs / 1000,
  };
}
