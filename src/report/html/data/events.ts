// The scenario's events as instants on the report's time axis, from the result alone: config
// pushes (the config center's versions after the file), rollout steps (a rolling update's start,
// each new pod of the rolled service becoming ready while it runs, its end) and the horizontal
// pod autoscaler's scale decisions (a sync whose desired count differs from the current one, as
// `kubectl describe hpa` lists "New size" events), and each ramping load's k6 stage beginning and
// the end of its stages (`loadStages`, absent from results saved before it was recorded).
import type { LoadStageChange, RunResult } from "../../../result/run.ts";
import type { TimeAxis } from "./chartRows.ts";

export type EventKind = "load stage" | "config push" | "rollout step" | "HPA decision";

export interface EventMark {
  t: number;
  kind: EventKind;
  /** What happened, for the mark's hover title (no "; ": see charts/hover.ts). */
  hover: string;
}

export function scenarioEvents(result: RunResult, axis: TimeAxis): EventMark[] {
  const at = (ms: number) => ms / axis.msPerUnit;
  const time = (ms: number) => `${Number(at(ms).toPrecision(4))} ${axis.unit}`;
  const events: EventMark[] = [];
  for (const c of (result as Partial<RunResult>).loadStages ?? [])
    events.push({ t: at(c.atMs), kind: "load stage", hover: stageText(c, time(c.atMs)) });
  for (const v of result.config?.versions ?? [])
    if (v.version > 1)
      events.push({
        t: at(v.atMs),
        kind: "config push",
        hover: `config v${v.version} “${v.name}” pushed at ${time(v.atMs)}`,
      });
  for (const r of result.recovery?.rollouts ?? []) {
    const end = r.finishedAtMs ?? result.simulatedMs;
    events.push({
      t: at(r.startedAtMs),
      kind: "rollout step",
      hover: `rollout ${r.name} of ${r.service} to ${r.toVersion} began at ${time(r.startedAtMs)}`,
    });
    for (const c of result.stateChanges)
      if (
        c.atMs > r.startedAtMs &&
        c.atMs <= end &&
        c.to === "ready" &&
        c.component.startsWith(`pod ${r.service}-`)
      )
        events.push({
          t: at(c.atMs),
          kind: "rollout step",
          hover: `rollout ${r.name}: ${c.component.slice(4)} ready at ${time(c.atMs)}`,
        });
    if (r.finishedAtMs !== null)
      events.push({
        t: at(r.finishedAtMs),
        kind: "rollout step",
        hover: `rollout ${r.name} of ${r.service} finished at ${time(r.finishedAtMs)}`,
      });
  }
  for (const [service, decisions] of Object.entries(result.recovery?.autoscaling ?? {}))
    for (const d of decisions)
      if (d.desired !== d.currentReplicas)
        events.push({
          t: at(d.atMs),
          kind: "HPA decision",
          hover: `HPA ${service}: ${d.currentReplicas} → ${d.desired} replicas at ${time(d.atMs)} (${d.reason}${d.metric === null ? "" : `, metric ${d.metric}`})`,
        });
  return events.sort((a, b) => a.t - b.t);
}

/** `shoppers stage 2 of its stages began at 2 min: 600 → 600 requests/s over 8 min`, or its end. */
function stageText(c: LoadStageChange, at: string): string {
  if (c.stage === null)
    return `${c.load}: its stages ended at ${at} and the load stopped (from ${c.from} ${c.unit})`;
  const how =
    c.durationMs === 0
      ? `jumped from ${c.from} to ${c.to} ${c.unit}`
      : `${c.from} → ${c.to} ${c.unit} over ${spanText(c.durationMs)}`;
  return `${c.load} stage ${c.stage} began at ${at}: ${how}`;
}

/** A stage's length in the unit that reads best: ms, s or min. */
function spanText(ms: number): string {
  if (ms < 1000) return `${Number(ms.toPrecision(4))} ms`;
  if (ms < 120_000) return `${Number((ms / 1000).toPrecision(4))} s`;
  return `${Number((ms / 60_000).toPrecision(4))} min`;
}
