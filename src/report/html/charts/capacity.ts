// Charts of `meshsim capacity`. Profiles: each thresholded figure against each varied path through
// the recommendation (the other paths held at its values), the mean with its 95% interval as error
// bars coloured by verdict, the limit as a dashed rule. With two paths, the map of every evaluated
// point by verdict, the frontier of the region known to pass (under monotonicity) as a step line,
// and the recommendation marked. With --max-rate, each threshold's figure against the rate.
import type { CapacityPlan, MaxRate } from "../../../result/capacity.ts";
import type { ThresholdFigure } from "../../../result/experiment.ts";
import { type Chart, CONFIG, WIDTH } from "./common.ts";

const VERDICT_COLOURS = { pass: "#2ca02c", undecided: "#f2c744", fail: "#d62728" };
const verdictColour = {
  field: "verdict",
  type: "nominal" as const,
  title: "verdict",
  scale: { domain: Object.keys(VERDICT_COLOURS), range: Object.values(VERDICT_COLOURS) },
};

interface ProfileRow {
  x: number;
  value: number;
  lo: number;
  hi: number;
  verdict: string;
}

function rowOf(x: number, t: ThresholdFigure): ProfileRow {
  return {
    x,
    value: t.value,
    lo: t.valueCi95?.[0] ?? t.value,
    hi: t.valueCi95?.[1] ?? t.value,
    verdict: t.verdict,
  };
}

/** The figure's mean line, its intervals coloured by verdict, and the limit as a dashed rule. */
function figureLayers(
  xTitle: string,
  rows: ProfileRow[],
  threshold: ThresholdFigure,
  logX: boolean,
) {
  // Instance counts and slots are whole numbers: no ticks between them.
  const whole = !logX && rows.every((r) => Number.isInteger(r.x));
  const x = {
    field: "x",
    type: "quantitative" as const,
    title: xTitle,
    scale: logX ? { type: "log" as const } : { zero: false },
    ...(whole ? { axis: { tickMinStep: 1, format: "d" } } : {}),
  };
  return [
    {
      data: { values: rows },
      mark: { type: "line" as const, color: "#9d9d9d", strokeWidth: 1 },
      encoding: {
        x,
        y: { field: "value", type: "quantitative" as const, title: threshold.metric },
      },
    },
    {
      data: { values: rows },
      mark: { type: "rule" as const, strokeWidth: 2 },
      encoding: {
        x,
        y: { field: "lo", type: "quantitative" as const },
        y2: { field: "hi" },
        color: verdictColour,
      },
    },
    {
      data: { values: rows },
      mark: { type: "point" as const, filled: true, size: 50 },
      encoding: { x, y: { field: "value", type: "quantitative" as const }, color: verdictColour },
    },
    {
      data: { values: [{ limit: threshold.limit, label: threshold.expression }] },
      mark: { type: "rule" as const, color: "black", strokeDash: [5, 4] },
      encoding: { y: { field: "limit", type: "quantitative" as const } },
    },
  ];
}

function figureChart(
  id: string,
  title: string,
  explanation: string,
  xTitle: string,
  rows: ProfileRow[],
  threshold: ThresholdFigure,
  logX = false,
): Chart {
  return {
    id,
    title,
    explanation,
    spec: {
      config: CONFIG,
      width: WIDTH - 160,
      height: 200,
      layer: figureLayers(xTitle, rows, threshold, logX),
    },
  };
}

/** The points on the line through the recommendation along dimension `d`, by its value. */
function lineAlong(plan: CapacityPlan, path: string): CapacityPlan["points"] {
  const best = plan.recommended!;
  return plan.points
    .filter((p) => plan.dimensions.every((o) => o.path === path || p.set[o.path] === best[o.path]))
    .sort((a, b) => a.set[path] - b.set[path]);
}

/**
 * Each thresholded figure against each varied path, through the recommendation: one chart per
 * pair for one or two paths; beyond, one row of small charts per threshold, a panel per path.
 */
function profiles(plan: CapacityPlan): Chart[] {
  const best = plan.recommended;
  if (best === null) return [];
  const lines = plan.dimensions.map((d) => ({ d, line: lineAlong(plan, d.path) }));
  if (plan.dimensions.length > 2)
    return plan.verdicts.map((threshold, t) => {
      const panels = lines.filter(({ line }) => line.length >= 2);
      const width = Math.floor((WIDTH - 120) / Math.max(1, panels.length)) - 20;
      return {
        id: `capacity-profiles-${t}`,
        title: `${threshold.metric} ${threshold.expression} against each path`,
        explanation: `The threshold's figure at each evaluated value of one path (a panel each), every other path at the recommendation (${Object.entries(
          best,
        )
          .map(([k, v]) => `${k} = ${v}`)
          .join(
            ", ",
          )}): the mean over the point's seeds with its 95% interval, coloured by the point's verdict on this threshold; the dashed line is the limit.`,
        spec: {
          config: CONFIG,
          hconcat: panels.map(({ d: dim, line }) => ({
            width,
            height: 160,
            layer: figureLayers(
              dim.path.replace(/^services\.|\.instances$/g, ""),
              line.map((p) => rowOf(p.set[dim.path], p.thresholds[t])),
              threshold,
              false,
            ),
          })),
        },
      };
    });
  const charts: Chart[] = [];
  lines.forEach(({ d, line }, i) => {
    if (line.length < 2) return;
    plan.verdicts.forEach((threshold, t) => {
      charts.push(
        figureChart(
          `capacity-profile-${i}-${t}`,
          `${threshold.metric} ${threshold.expression} against ${d.path}`,
          `The threshold's figure at each evaluated value of ${d.path}, every other path at the recommendation (${d.path} = ${best[d.path]}): the mean over the point's seeds with its 95% interval, coloured by the point's verdict on this threshold; the dashed line is the limit.`,
          d.path,
          line.map((p) => rowOf(p.set[d.path], p.thresholds[t])),
          threshold,
        ),
      );
    });
  });
  return charts;
}

/** The lowest second value known to pass at each first value, under monotonicity. */
function frontier(plan: CapacityPlan, a: string, b: string): { x: number; y: number }[] {
  const passes = plan.points.filter((p) => p.verdict === "pass");
  return plan.dimensions[0].values.flatMap((x) => {
    const ys = passes.filter((p) => p.set[a] <= x).map((p) => p.set[b]);
    return ys.length === 0 ? [] : [{ x, y: Math.min(...ys) }];
  });
}

/** For two paths: every evaluated point by verdict, the frontier, the recommendation. */
function passFailMap(plan: CapacityPlan): Chart[] {
  if (plan.dimensions.length !== 2) return [];
  const [a, b] = plan.dimensions.map((d) => d.path);
  const cells = plan.points.map((p) => ({
    x: p.set[a],
    y: p.set[b],
    verdict: p.verdict,
    step: p.step,
  }));
  const x = { field: "x", type: "quantitative" as const, title: a, scale: { zero: false } };
  const y = { field: "y", type: "quantitative" as const, title: b, scale: { zero: false } };
  const best =
    plan.recommended === null ? [] : [{ x: plan.recommended[a], y: plan.recommended[b] }];
  return [
    {
      id: "capacity-map",
      title: `Pass/fail map: ${a} × ${b}`,
      explanation: `Every point the search ran (${plan.points.length} of ${plan.dimensions[0].values.length * plan.dimensions[1].values.length}), coloured by verdict. The step line is the frontier: under monotonicity every point on or above it passes, because a point with at least as much of both as a passing point passes. The black ring marks the recommendation, the cheapest point on the frontier.`,
      spec: {
        config: CONFIG,
        width: WIDTH - 200,
        height: 320,
        layer: [
          {
            data: { values: frontier(plan, a, b) },
            mark: { type: "line", interpolate: "step-after", color: "#4c78a8", strokeWidth: 2 },
            encoding: { x, y },
          },
          {
            data: { values: cells },
            mark: { type: "square", filled: true, size: 90, opacity: 0.85 },
            encoding: { x, y, color: verdictColour, tooltip: [{ field: "step" }] },
          },
          {
            data: { values: best },
            mark: { type: "point", shape: "circle", size: 320, color: "black", strokeWidth: 2.5 },
            encoding: { x, y },
          },
        ],
      },
    },
  ];
}

export function capacityPlanCharts(plan: CapacityPlan): Chart[] {
  return [...passFailMap(plan), ...profiles(plan)];
}

/** Each threshold's figure against the load's rate, over every rate the search ran. */
export function maxRateCharts(rate: MaxRate, prefix: string): Chart[] {
  const points = [...rate.points].sort((p, q) => p.rate - q.rate);
  if (points.length === 0) return [];
  return points[0].thresholds.map((threshold, t) =>
    figureChart(
      `${prefix}-${t}`,
      `${threshold.metric} ${threshold.expression} against the rate of ${rate.load}`,
      `The threshold's figure at every rate the search ran (per ${rate.timeUnit}, log scale), with its 95% interval coloured by verdict; the dashed line is the limit. The highest passing rate is ${rate.maxRate ?? "none"}.${rate.cliff ? " The figure jumps across the bracket: a cliff, not a smooth rise." : ""}`,
      `${rate.load} rate per ${rate.timeUnit}`,
      points.map((p) => rowOf(p.rate, p.thresholds[t])),
      threshold,
      true,
    ),
  );
}
