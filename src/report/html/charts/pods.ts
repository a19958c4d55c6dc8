// Chart: pods per phase over time, one panel per service whose pods changed, as `kubectl get pods`
// would have counted them: ready, starting and draining stacked (so the top edge is every pod that
// exists), rolling updates shaded blue, and for an autoscaled service the HPA's desired replicas as
// a step line with each scale decision marked `current→desired`. From the result's `recovery`.
import type { RecoveryResult } from "../../../result/recovery.ts";
import { settledCounts } from "../../sections/recovery.ts";
import type { TimeAxis } from "../data/chartRows.ts";
import type { Band } from "../data/timeline.ts";
import {
  bandLayers,
  type Chart,
  CONFIG,
  fitLabel,
  type Layer,
  timeText,
  timeX,
  WIDTH,
} from "./common.ts";

/** At most this many service panels; the rest are named in the explanation. */
export const MAX_POD_PANELS = 8;

const PHASES = ["ready", "starting", "draining"] as const;
const DESIRED = "HPA desired replicas";
const PHASE_COLOURS = ["#59a14f", "#f2b447", "#9c9c9c"];
const DESIRED_COLOUR = "#222222";
const ROLLOUT_COLOUR = "#4c78a8";

/** One phase's pod count of one service from `t` on (the last point repeats at the end of the run). */
export interface PodRow {
  service: string;
  t: number;
  phase: (typeof PHASES)[number];
  count: number;
  /** Stack order: ready at the bottom. */
  order: number;
}

export function podRows(recovery: RecoveryResult, simulatedMs: number, axis: TimeAxis): PodRow[] {
  const rows: PodRow[] = [];
  for (const [service, raw] of Object.entries(recovery.pods)) {
    const counts = settledCounts(raw);
    const last = counts[counts.length - 1];
    const points = last.atMs < simulatedMs ? [...counts, { ...last, atMs: simulatedMs }] : counts;
    for (const c of points)
      PHASES.forEach((phase, order) => {
        rows.push({ service, t: c.atMs / axis.msPerUnit, phase, count: c[phase], order });
      });
  }
  return rows;
}

/** The HPA's desired replicas as steps: the first sync's current count from 0, then each sync's desired, to the end. */
export function desiredRows(
  recovery: RecoveryResult,
  service: string,
  simulatedMs: number,
  axis: TimeAxis,
): { t: number; series: string; desired: number }[] {
  const decisions = recovery.autoscaling[service] ?? [];
  if (decisions.length === 0) return [];
  const rows = [{ t: 0, series: DESIRED, desired: decisions[0].currentReplicas }];
  for (const d of decisions)
    if (d.desired !== rows[rows.length - 1].desired)
      rows.push({ t: d.atMs / axis.msPerUnit, series: DESIRED, desired: d.desired });
  rows.push({
    t: simulatedMs / axis.msPerUnit,
    series: DESIRED,
    desired: rows[rows.length - 1].desired,
  });
  return rows;
}

/** The syncs that changed the replica count, labelled `current→desired`. */
export function scaleMarks(
  recovery: RecoveryResult,
  service: string,
  axis: TimeAxis,
): { t: number; desired: number; label: string }[] {
  return (recovery.autoscaling[service] ?? [])
    .filter((d) => d.desired !== d.currentReplicas)
    .map((d) => ({
      t: d.atMs / axis.msPerUnit,
      desired: d.desired,
      label: `${d.currentReplicas}→${d.desired}`,
    }));
}

/** Each rollout of the service as a band from its start to its end (or the end of the run). */
export function rolloutBands(
  recovery: RecoveryResult,
  service: string,
  simulatedMs: number,
  axis: TimeAxis,
): Band[] {
  return recovery.rollouts
    .filter((r) => r.service === service)
    .map((r) => ({
      label: `${r.name} → ${r.toVersion}`,
      start: r.startedAtMs / axis.msPerUnit,
      end: (r.finishedAtMs ?? simulatedMs) / axis.msPerUnit,
    }));
}

export interface PodsChartInput {
  recovery: RecoveryResult;
  simulatedMs: number;
  axis: TimeAxis;
  faults: Band[];
  warmup: Band | null;
}

export function podsChart({
  recovery,
  simulatedMs,
  axis,
  faults,
  warmup,
}: PodsChartInput): Chart | null {
  const services = Object.keys(recovery.pods);
  if (services.length === 0) return null;
  const rows = podRows(recovery, simulatedMs, axis);
  // The desired line joins the legend only when some service is autoscaled.
  const scaled = Object.keys(recovery.autoscaling).length > 0;
  const colours = scaled
    ? { domain: [...PHASES, DESIRED], range: [...PHASE_COLOURS, DESIRED_COLOUR] }
    : { domain: [...PHASES], range: PHASE_COLOURS };
  const panel = (service: string) => {
    const desired = desiredRows(recovery, service, simulatedMs, axis);
    const marks = scaleMarks(recovery, service, axis);
    const own = rows.filter((r) => r.service === service);
    // Headroom above the most pods, for the scale labels and the rollout names.
    const most = Math.max(
      1,
      ...recovery.pods[service].map((c) => c.ready + c.starting + c.draining),
      ...desired.map((d) => d.desired),
    );
    const top = Math.ceil(most * 1.3);
    const y = (field: string) => ({
      field,
      type: "quantitative" as const,
      title: "pods",
      scale: { domain: [0, top] },
      axis: { tickMinStep: 1 },
    });
    const rollouts = rolloutBands(recovery, service, simulatedMs, axis);
    const layers: Layer[] = [
      ...bandLayers(faults, warmup, axis),
      ...rolloutShades(rollouts, axis),
      {
        data: { values: own },
        mark: { type: "area", interpolate: "step-after", opacity: 0.85 },
        encoding: {
          x: timeX(axis),
          y: { ...y("count"), stack: "zero" },
          color: {
            field: "phase",
            type: "nominal",
            title: scaled ? "pods / autoscaler" : "pods",
            scale: colours,
          },
          order: { field: "order", type: "quantitative" },
        },
      },
    ];
    if (desired.length > 0) {
      layers.push({
        data: { values: desired },
        mark: { type: "line", interpolate: "step-after", strokeWidth: 1.6, strokeDash: [5, 3] },
        encoding: {
          x: timeX(axis),
          y: y("desired"),
          color: { field: "series", type: "nominal", scale: colours },
        },
      });
    }
    if (marks.length > 0) {
      layers.push(
        {
          data: { values: marks },
          mark: { type: "point", filled: true, size: 36, color: DESIRED_COLOUR },
          encoding: { x: timeX(axis), y: y("desired") },
        },
        {
          data: { values: marks },
          mark: { type: "text", dy: -9, fontSize: 10, color: DESIRED_COLOUR },
          encoding: { x: timeX(axis), y: y("desired"), text: { field: "label" } },
        },
      );
    }
    layers.push(...rolloutLabels(rollouts, axis));
    return { title: `${service}: pods per phase`, width: WIDTH, height: 150, layer: layers };
  };
  return {
    id: "pods",
    title: "Pods over time: readiness, rollouts and autoscaling",
    explanation: explain(recovery, services, axis),
    spec: {
      config: CONFIG,
      spacing: 24,
      resolve: { scale: { y: "independent" } },
      vconcat: services.slice(0, MAX_POD_PANELS).map(panel),
    },
  };
}

/** Rollout windows as blue bands behind the pods. */
function rolloutShades(bands: Band[], axis: TimeAxis): Layer[] {
  if (bands.length === 0) return [];
  return [
    {
      data: { values: bands },
      mark: { type: "rect", color: ROLLOUT_COLOUR, opacity: 0.12 },
      encoding: { x: timeX(axis, "start"), x2: { field: "end" } },
    },
  ];
}

/** Their names, drawn over the pods in the headroom below the fault labels' rows. */
function rolloutLabels(bands: Band[], axis: TimeAxis): Layer[] {
  if (bands.length === 0) return [];
  const values = bands.map((b) => ({ ...b, label: fitLabel(b.label, b.start, axis, WIDTH) }));
  return [
    {
      data: { values },
      mark: {
        type: "text",
        align: "left",
        baseline: "top",
        dx: 3,
        y: 36,
        fontSize: 10,
        color: ROLLOUT_COLOUR,
      },
      encoding: { x: timeX(axis, "start"), text: { field: "label" } },
    },
  ];
}

function explain(recovery: RecoveryResult, services: string[], axis: TimeAxis): string {
  const parts = [
    "Each panel counts one service's pods by phase: ready pods (green) serve traffic; starting pods (amber) were scheduled but have not passed readiness yet (the cold start); draining pods (grey) were told to stop and finish the requests they hold.",
    "The top edge of the coloured area is every pod that exists.",
  ];
  if (recovery.rollouts.length > 0) {
    parts.push(
      "Blue bands are rolling updates, from when they began to when the last old pod was replaced: during one, ready pods may dip by up to maxUnavailable and pods may exceed the desired count by up to maxSurge.",
    );
  }
  const scaled = Object.entries(recovery.autoscaling);
  if (scaled.length > 0) {
    const events = scaled.reduce(
      (n, [, ds]) => n + ds.filter((d) => d.desired !== d.currentReplicas).length,
      0,
    );
    parts.push(
      `The dashed black line is the horizontal autoscaler's desired replica count; each dot (labelled current→desired) is one of its ${events} scale decisions. The new pods then show up as starting and, after their startup time, as ready: the gap between the line and the green area is the cold start.`,
    );
    const first = scaled
      .flatMap(([, ds]) => ds.filter((d) => d.desired > d.currentReplicas))
      .sort((a, b) => a.atMs - b.atMs)[0];
    if (first !== undefined)
      parts.push(
        `The first scale-up came at ${timeText(first.atMs / axis.msPerUnit, axis)} (${first.currentReplicas}→${first.desired}).`,
      );
  }
  if (services.length > MAX_POD_PANELS)
    parts.push(
      `Only the first ${MAX_POD_PANELS} of ${services.length} services are drawn; the tables below list them all.`,
    );
  return parts.join(" ");
}
