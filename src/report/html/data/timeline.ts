// Intervals on the simulated time axis, for the shaded bands and the timeline (Gantt) charts:
// fault windows (a fault still in force at the end runs to the end), the warm-up, the states of
// breakers, outlier ejections and instances from the result's stateChanges, and alerts' pending
// and firing spans. Times are in the report's time unit (see reportData.ts timeAxis).
import type { RunResult } from "../../../result/run.ts";
import type { AlertsSection } from "../../sections/optional.ts";
import type { TimeAxis } from "./chartRows.ts";

export interface Band {
  label: string;
  start: number;
  end: number;
}

/**
 * Fault windows, one band per distinct [start, end), labelled with the names of the faults that
 * share it (several faults of one incident often start and end together), in start order.
 */
export function faultBands(result: RunResult, axis: TimeAxis): Band[] {
  const bands: Band[] = [];
  for (const fault of result.faults) {
    const start = fault.startMs / axis.msPerUnit;
    const end = (fault.endMs ?? result.simulatedMs) / axis.msPerUnit;
    const same = bands.find((b) => b.start === start && b.end === end);
    if (same !== undefined) same.label += `, ${fault.name}`;
    else bands.push({ label: fault.name, start, end });
  }
  return bands.sort((a, b) => a.start - b.start || a.end - b.end);
}

/** The warm-up as a band, or null without one. */
export function warmupBand(warmupMs: number, axis: TimeAxis): Band | null {
  return warmupMs > 0 ? { label: "warm-up", start: 0, end: warmupMs / axis.msPerUnit } : null;
}

/** A component (one caller's breaker, one ejection, one instance) in one state for a while. */
export interface StateInterval {
  /** As the result names it, e.g. `outlier gateway-0->payment-2`. */
  component: string;
  /** For a chart's axis, e.g. `gateway-0 → payment-2 (ejection)`. */
  label: string;
  state: string;
  start: number;
  end: number;
}

/**
 * The spans in which each component was away from its starting state (the `from` of its first
 * change: CLOSED, healthy, running), from the change into a state to the next change, or to the
 * end of the run. Components in order of their first change.
 */
export function stateIntervals(result: RunResult, axis: TimeAxis): StateInterval[] {
  const byComponent = new Map<string, RunResult["stateChanges"]>();
  for (const change of result.stateChanges) {
    // A proxy's config version (`config <proxy>`, v1 → v2) is not a state away from normal.
    if (change.component.startsWith("config ")) continue;
    const list = byComponent.get(change.component);
    if (list === undefined) byComponent.set(change.component, [change]);
    else list.push(change);
  }
  const intervals: StateInterval[] = [];
  for (const [component, changes] of byComponent) {
    const baseline = changes[0].from;
    changes.forEach((change, i) => {
      if (change.to === baseline) return;
      const endMs = i + 1 < changes.length ? changes[i + 1].atMs : result.simulatedMs;
      intervals.push({
        component,
        label: componentLabel(component),
        state: change.to,
        start: change.atMs / axis.msPerUnit,
        end: endMs / axis.msPerUnit,
      });
    });
  }
  return intervals;
}

const COMPONENT_KINDS: Record<string, string> = {
  outlier: "ejection",
  breaker: "breaker",
  instance: "instance",
};

/** `outlier gateway-0->payment-2` as `gateway-0 → payment-2 (ejection)`; `instance payment-0` as `payment-0 (instance)`. */
export function componentLabel(component: string): string {
  const space = component.indexOf(" ");
  if (space < 0) return component;
  const kind = component.slice(0, space);
  return `${component.slice(space + 1).replace("->", " → ")} (${COMPONENT_KINDS[kind] ?? kind})`;
}

/** Counts of state changes by kind of component and transition, e.g. `outlier healthy → ejected`. */
export function stateChangeCounts(
  result: RunResult,
): { kind: string; transition: string; count: number }[] {
  const counts = new Map<string, { kind: string; transition: string; count: number }>();
  for (const c of result.stateChanges) {
    const kind = c.component.split(" ")[0];
    const transition = `${c.from} → ${c.to}`;
    const key = `${kind}\u0000${transition}`;
    const entry = counts.get(key);
    if (entry === undefined) counts.set(key, { kind, transition, count: 1 });
    else entry.count++;
  }
  return [...counts.values()];
}

/** One alert (with its labels) pending or firing for a while. */
export interface AlertInterval {
  alert: string;
  phase: "pending" | "firing";
  start: number;
  end: number;
}

/** `name{k="v",...}`, the way Prometheus shows an alert instance. */
export function alertLabel(alert: string, labels: Record<string, string>): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  return pairs.length === 0 ? alert : `${alert}{${pairs.join(",")}}`;
}

/**
 * Pending from pendingAt to firingAt (or resolvedAt, or the end); firing from firingAt to resolvedAt
 * (or the end). Rows are named by the alert and its labels, severity left out (the rules table has it).
 */
export function alertIntervals(
  alerts: AlertsSection,
  simulatedMs: number,
  axis: TimeAxis,
): AlertInterval[] {
  const intervals: AlertInterval[] = [];
  for (const entry of alerts.timeline) {
    const alert = alertLabel(
      entry.alert,
      Object.fromEntries(Object.entries(entry.labels).filter(([key]) => key !== "severity")),
    );
    const endMs = entry.resolvedAtMs ?? simulatedMs;
    const pendingEndMs = entry.firingAtMs ?? endMs;
    if (pendingEndMs > entry.pendingAtMs) {
      intervals.push({
        alert,
        phase: "pending",
        start: entry.pendingAtMs / axis.msPerUnit,
        end: pendingEndMs / axis.msPerUnit,
      });
    }
    if (entry.firingAtMs !== null)
      intervals.push({
        alert,
        phase: "firing",
        start: entry.firingAtMs / axis.msPerUnit,
        end: endMs / axis.msPerUnit,
      });
  }
  return intervals;
}
