// A run against a baseline run (`meshsim report RESULT --baseline OTHER.json`): each headline
// figure of the summary beside the baseline's and its change, for report.md and report.html, and
// the one-line verdict ("shoppers p99 −14% against round-robin"). Latencies, throughput and
// utilisation change by a relative percentage; the error rate by percentage points (a rate near
// 0 makes relative changes meaningless). Loads and services are matched by name; a name only one
// run has is listed with "—" on the other side.
import type { RunResult } from "../../result/run.ts";
import { formatMs } from "./summaryRows.ts";
import { percentText, type TextTable, throughputText } from "./tables.ts";

/** How the baseline is named in sentences: its scenario, with its seed when the scenario is this run's. */
export function baselineName(result: RunResult, baseline: RunResult): string {
  return baseline.scenario === result.scenario
    ? `${baseline.scenario} (seed ${baseline.seed})`
    : baseline.scenario;
}

/** `−14%`, `+3.2%`, `0%`; "—" when either side is missing or the baseline is 0. */
export function relativeChange(value: number | null, base: number | null): string {
  if (value === null || base === null || base === 0) return "—";
  const change = (value - base) / base;
  if (change === 0) return "0%";
  const magnitude = Math.abs(change * 100);
  const text = magnitude >= 10 ? magnitude.toFixed(0) : magnitude.toPrecision(2);
  return `${change < 0 ? "−" : "+"}${text}%`;
}

/** `+0.12 pp`: the change of a fraction in percentage points. */
export function pointChange(value: number | null, base: number | null): string {
  if (value === null || base === null) return "—";
  const pp = (value - base) * 100;
  if (pp === 0) return "0 pp";
  return `${pp < 0 ? "−" : "+"}${Number(Math.abs(pp).toPrecision(2))} pp`;
}

interface Figure {
  name: string;
  value: number | null;
  base: number | null;
  text: (v: number) => string;
  change: (value: number | null, base: number | null) => string;
}

const errorRate = (l: RunResult["load"][string]) =>
  l.completed + l.failed === 0 ? 0 : l.failed / (l.completed + l.failed);

function figures(result: RunResult, baseline: RunResult): Figure[] {
  const out: Figure[] = [];
  const names = (a: object, b: object) => [...new Set([...Object.keys(a), ...Object.keys(b)])];
  for (const name of names(result.load, baseline.load)) {
    const l = result.load[name];
    const b = baseline.load[name];
    const ms = (key: "p50" | "p90" | "p99") => (x: typeof l | undefined) =>
      x === undefined || x.completed === 0 ? null : x.latencyMs[key];
    for (const key of ["p50", "p90", "p99"] as const)
      out.push({
        name: `${name} ${key} ms`,
        value: ms(key)(l),
        base: ms(key)(b),
        text: formatMs,
        change: relativeChange,
      });
    out.push({
      name: `${name} completed per s`,
      value: l?.throughputPerS ?? null,
      base: b?.throughputPerS ?? null,
      text: throughputText,
      change: relativeChange,
    });
    out.push({
      name: `${name} error rate`,
      value: l === undefined ? null : errorRate(l),
      base: b === undefined ? null : errorRate(b),
      text: percentText,
      change: pointChange,
    });
  }
  for (const name of names(result.services, baseline.services)) {
    const s = result.services[name];
    const b = baseline.services[name];
    out.push({
      name: `${name} p99 ms`,
      value: s === undefined || s.requests === 0 ? null : s.latencyMs.p99,
      base: b === undefined || b.requests === 0 ? null : b.latencyMs.p99,
      text: formatMs,
      change: relativeChange,
    });
    out.push({
      name: `${name} utilisation`,
      value: s?.utilization ?? null,
      base: b?.utilization ?? null,
      text: percentText,
      change: relativeChange,
    });
  }
  return out;
}

export function baselineTable(result: RunResult, baseline: RunResult): TextTable {
  return {
    columns: [
      { title: "figure" },
      { title: "this run", numeric: true },
      { title: `baseline: ${baselineName(result, baseline)}`, numeric: true },
      { title: "change", numeric: true },
    ],
    rows: figures(result, baseline).map((f) => [
      f.name,
      f.value === null ? "—" : f.text(f.value),
      f.base === null ? "—" : f.text(f.base),
      f.change(f.value, f.base),
    ]),
  };
}

/** `shoppers: p99 −14%, completed per s +2.0%, error rate −0.3 pp against round-robin.`, one clause per load. */
export function baselineHeadline(result: RunResult, baseline: RunResult): string {
  const all = figures(result, baseline);
  const clauses = Object.keys(result.load).map((load) => {
    const pick = (suffix: string) => all.find((f) => f.name === `${load} ${suffix}`)!;
    const parts = [
      ["p99", pick("p99 ms")],
      ["completed per s", pick("completed per s")],
      ["error rate", pick("error rate")],
    ] as const;
    return `${load}: ${parts.map(([label, f]) => `${label} ${f.change(f.value, f.base)}`).join(", ")}`;
  });
  return `${clauses.join("; ")} against ${baselineName(result, baseline)}.`;
}

export const BASELINE_TEXT =
  "Each headline figure of this run beside the same figure of the baseline run and its change: latencies, throughput and utilisation as a relative change, the error rate in percentage points. Both are single runs (one seed each): a change within the run-to-run spread of the scenario is noise; `meshsim compare` runs several seeds and says which differences are significant.";
