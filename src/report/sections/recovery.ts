// The recovery part of a run result as tables: pods per phase (a summary per service and the
// changes themselves), each rolling update with the surge and unavailability it actually caused
// (Kubernetes' maxSurge / maxUnavailable as seen), and the HPA's syncs, consecutive syncs with the
// same outcome folded into one row. report.md lays them out as "Pods, rollouts and autoscaling",
// report.html as tables under its pods chart. Nothing at all without a `recovery` section.

import type { HpaDecision, RecoveryResult, RolloutRecord } from "../../result/recovery.ts";
import type { RunResult } from "../../result/run.ts";
import { markdownTable } from "../markdown/table.ts";
import { type Column, secondsText, type TextTable } from "./tables.ts";

type PodCounts = RecoveryResult["pods"][string][number];

/** At most this many pod changes per service are listed; the chart in report.html draws them all. */
export const MAX_POD_CHANGES = 30;

/** The recovery section, or null when the run had none (or it recorded nothing, or predates it). */
export function recoveryOf(result: RunResult): RecoveryResult | null {
  const recovery = (result as Partial<RunResult>).recovery ?? null;
  if (recovery === null) return null;
  const empty =
    Object.keys(recovery.pods).length === 0 &&
    Object.keys(recovery.autoscaling).length === 0 &&
    recovery.rollouts.length === 0;
  return empty ? null : recovery;
}

const num = (title: string): Column => ({ title, numeric: true });
const text = (title: string): Column => ({ title });

/** A service's counts with one entry per instant: the state after every change at that time. */
export function settledCounts(counts: readonly PodCounts[]): PodCounts[] {
  const out: PodCounts[] = [];
  for (const c of counts) {
    if (out.length > 0 && out[out.length - 1].atMs === c.atMs) out[out.length - 1] = c;
    else out.push(c);
  }
  return out;
}

/** The first entry where `pick` is extreme (lowest or highest), so the table can say when. */
function extreme(
  counts: readonly PodCounts[],
  pick: (c: PodCounts) => number,
  lowest: boolean,
): PodCounts {
  let best = counts[0];
  for (const c of counts) if (lowest ? pick(c) < pick(best) : pick(c) > pick(best)) best = c;
  return best;
}

/** One row per service: how far ready pods fell and rose, and the most starting and draining at once. */
export function podSummaryTable(recovery: RecoveryResult): TextTable {
  const rows = Object.entries(recovery.pods).map(([service, raw]) => {
    const counts = settledCounts(raw);
    const low = extreme(counts, (c) => c.ready, true);
    const high = extreme(counts, (c) => c.ready, false);
    const last = counts[counts.length - 1];
    return [
      service,
      String(counts.length - 1),
      String(counts[0].ready),
      `${low.ready} at ${secondsText(low.atMs)} s`,
      `${high.ready} at ${secondsText(high.atMs)} s`,
      String(Math.max(...counts.map((c) => c.starting))),
      String(Math.max(...counts.map((c) => c.draining))),
      `${last.ready} / ${last.starting} / ${last.draining}`,
    ];
  });
  return {
    columns: [
      text("service"),
      num("changes"),
      num("ready at 0 s"),
      num("fewest ready"),
      num("most ready"),
      num("most starting"),
      num("most draining"),
      num("at end (ready / starting / draining)"),
    ],
    rows,
  };
}

/** The pods per phase after each change (the first MAX_POD_CHANGES per service), with how many were left out. */
export function podChangesTable(recovery: RecoveryResult): { table: TextTable; omitted: number } {
  const rows: string[][] = [];
  let omitted = 0;
  for (const [service, raw] of Object.entries(recovery.pods)) {
    const counts = settledCounts(raw).slice(1);
    omitted += Math.max(0, counts.length - MAX_POD_CHANGES);
    for (const c of counts.slice(0, MAX_POD_CHANGES))
      rows.push([
        service,
        secondsText(c.atMs),
        String(c.ready),
        String(c.starting),
        String(c.draining),
      ]);
  }
  return {
    table: {
      columns: [text("service"), num("at s"), num("ready"), num("starting"), num("draining")],
      rows,
    },
    omitted,
  };
}

/** What a rolling update did to its service's pods while it ran. */
export interface RolloutBounds {
  /** Replicas (starting or ready) when it began: the Deployment's desired count. */
  desired: number;
  /** Most replicas above `desired` at once (the surge actually used). */
  surge: number;
  /** Most of `desired` not ready at once (the unavailability actually caused). */
  unavailable: number;
  /** Fewest ready pods at once. */
  minReady: number;
}

/**
 * The bounds a rollout kept, from the pod counts: desired is the replicas just before it began (as
 * the controller counts them, draining pods excluded); then, over the changes from its start to its
 * end (or the end of the run), the most replicas beyond desired and the most ready pods short of it.
 */
export function rolloutBounds(
  rollout: RolloutRecord,
  counts: readonly PodCounts[],
  endMs: number,
): RolloutBounds {
  const settled = settledCounts(counts);
  const before = settled.filter((c) => c.atMs < rollout.startedAtMs);
  const base = before.length > 0 ? before[before.length - 1] : settled[0];
  const desired = base.starting + base.ready;
  const until = rollout.finishedAtMs ?? endMs;
  const during = [base, ...settled.filter((c) => c.atMs >= rollout.startedAtMs && c.atMs <= until)];
  let surge = 0;
  let minReady = base.ready;
  for (const c of during) {
    surge = Math.max(surge, c.starting + c.ready - desired);
    minReady = Math.min(minReady, c.ready);
  }
  return { desired, surge, unavailable: Math.max(0, desired - minReady), minReady };
}

export function rolloutTable(recovery: RecoveryResult, simulatedMs: number): TextTable {
  const rows = recovery.rollouts.map((r) => {
    const b = rolloutBounds(
      r,
      recovery.pods[r.service] ?? [{ atMs: 0, starting: 0, ready: 0, draining: 0 }],
      simulatedMs,
    );
    const end = r.finishedAtMs ?? simulatedMs;
    return [
      r.name,
      r.service,
      `${r.fromVersions.length > 0 ? r.fromVersions.join(", ") : "(none)"} → ${r.toVersion}`,
      secondsText(r.startedAtMs),
      r.finishedAtMs === null ? "not finished" : secondsText(r.finishedAtMs),
      `${secondsText(end - r.startedAtMs)}${r.finishedAtMs === null ? "+" : ""}`,
      String(b.desired),
      `${r.maxSurge} / ${b.surge}`,
      `${r.maxUnavailable} / ${b.unavailable}`,
      String(b.minReady),
    ];
  });
  return {
    columns: [
      text("rollout"),
      text("service"),
      text("versions"),
      num("start s"),
      num("end s"),
      num("duration s"),
      num("desired"),
      num("max surge allowed / seen"),
      num("max unavailable allowed / seen"),
      num("fewest ready"),
    ],
    rows,
  };
}

/** What each HPA reason means, in a few words (Kubernetes' condition reasons, pkg/controller/podautoscaler). */
const REASON_TEXT: Record<HpaDecision["reason"], string> = {
  ScalingDisabled: "no replicas: autoscaling off",
  AboveMaxReplicas: "above maxReplicas: set to max",
  BelowMinReplicas: "below minReplicas: set to min",
  MissingMetrics: "no pod reported the metric: no change",
  ScaleUpStabilized: "held by the scale-up stabilisation window",
  ScaleDownStabilized: "held by the scale-down stabilisation window",
  ScaleUpLimit: "limited by the scale-up policy",
  ScaleDownLimit: "limited by the scale-down policy",
  TooManyReplicas: "limited to maxReplicas",
  TooFewReplicas: "limited to minReplicas",
  WithinTolerance: "within the tolerance: no change",
  DirectionReversed: "unready pods reversed the direction: no change",
  DesiredWithinRange: "the recommendation",
};

/** Consecutive syncs of one HPA with the same current count, desired count and reason. */
export interface HpaRun {
  service: string;
  fromMs: number;
  toMs: number;
  syncs: number;
  current: number;
  desired: number;
  reason: HpaDecision["reason"];
  metric: [number, number] | null;
  recommended: [number, number] | null;
  stabilized: [number, number] | null;
}

function widen(range: [number, number] | null, value: number | null): [number, number] | null {
  if (value === null) return range;
  return range === null ? [value, value] : [Math.min(range[0], value), Math.max(range[1], value)];
}

/** Every sync, consecutive ones with the same outcome folded into one run (a scale event is always a run of its own unless it repeats). */
export function hpaRuns(recovery: RecoveryResult): HpaRun[] {
  const runs: HpaRun[] = [];
  for (const [service, decisions] of Object.entries(recovery.autoscaling)) {
    let run: HpaRun | null = null;
    for (const d of decisions) {
      const same =
        run !== null &&
        run.current === d.currentReplicas &&
        run.desired === d.desired &&
        run.reason === d.reason;
      if (!same || run === null) {
        run = {
          service,
          fromMs: d.atMs,
          toMs: d.atMs,
          syncs: 0,
          current: d.currentReplicas,
          desired: d.desired,
          reason: d.reason,
          metric: null,
          recommended: null,
          stabilized: null,
        };
        runs.push(run);
      }
      run.toMs = d.atMs;
      run.syncs++;
      run.metric = widen(run.metric, d.metric);
      run.recommended = widen(run.recommended, d.recommended);
      run.stabilized = widen(run.stabilized, d.stabilized);
    }
  }
  return runs;
}

function rangeText(range: [number, number] | null): string {
  if (range === null) return "–";
  return range[0] === range[1] ? String(range[0]) : `${range[0]}–${range[1]}`;
}

export function hpaTable(recovery: RecoveryResult): TextTable {
  const rows = hpaRuns(recovery).map((r) => [
    r.service,
    r.syncs === 1 ? secondsText(r.fromMs) : `${secondsText(r.fromMs)}–${secondsText(r.toMs)}`,
    String(r.syncs),
    `${r.current} → ${r.desired}`,
    rangeText(r.metric),
    rangeText(r.recommended),
    rangeText(r.stabilized),
    `${r.reason} (${REASON_TEXT[r.reason] ?? r.reason})`,
  ]);
  return {
    columns: [
      text("service"),
      num("sync at s"),
      num("syncs"),
      num("current → desired"),
      num("metric"),
      num("recommended"),
      num("stabilised"),
      text("reason"),
    ],
    rows,
  };
}

/** The sentence under the pod tables: what the phases are. */
export const PODS_TEXT =
  "Pods per phase after each change (Kubernetes semantics): starting pods are scheduled but not yet ready (startup time, readiness), ready ones serve traffic, draining ones were told to stop and finish what they hold. Times in seconds.";

export const ROLLOUTS_TEXT =
  "Rolling updates: desired is the replicas when the update began; the allowed bounds are its maxSurge and maxUnavailable resolved against desired (Kubernetes rounds surge up and unavailability down); max surge seen is the most replicas (starting or ready) above desired at once, max unavailable seen the most ready pods short of it.";

export const HPA_TEXT =
  "Every sync of the horizontal autoscaler (Kubernetes HPA: desired = ceil(current × metric / target), with its tolerance, stabilisation windows and min/max). Consecutive syncs with the same outcome are one row; the metric (as the HPA status reports it: whole percent for Utilization), the recommendation and the stabilised count give their range over those syncs.";

export function recoveryMarkdown(result: RunResult): string[] {
  const recovery = recoveryOf(result);
  if (recovery === null) return [];
  const cell = (s: string) => s.replace(/\|/g, "\\|");
  const table = (t: TextTable) => [
    ...markdownTable(
      t.columns.map((c) => c.title),
      t.rows.map((row) => row.map(cell)),
    ),
    "",
  ];
  const lines = ["## Pods, rollouts and autoscaling", ""];
  if (Object.keys(recovery.pods).length > 0) {
    const changes = podChangesTable(recovery);
    lines.push(PODS_TEXT, "", ...table(podSummaryTable(recovery)));
    if (changes.table.rows.length > 0) {
      lines.push("Changes:", "", ...table(changes.table));
      if (changes.omitted > 0)
        lines.push(
          `${changes.omitted} later changes are left out (the first ${MAX_POD_CHANGES} per service are listed); result.json has them all.`,
          "",
        );
    }
  }
  if (recovery.rollouts.length > 0)
    lines.push(ROLLOUTS_TEXT, "", ...table(rolloutTable(recovery, result.simulatedMs)));
  if (Object.keys(recovery.autoscaling).length > 0)
    lines.push(HPA_TEXT, "", ...table(hpaTable(recovery)));
  return lines;
}
