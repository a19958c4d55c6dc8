// What `meshsim capacity` prints (and capacity.md holds), as titled sections of a headline, tables
// and notes that the terminal, Markdown and HTML renderers each lay out: the recommendation and its
// cost, the thresholds there with intervals, the binding one, why each cheaper neighbour fails,
// utilisation, headroom, the work done against a grid, and every evaluated point.
import Table from "cli-table3";
import type {
  CapacityPlan,
  CapacityResult,
  MaxRate,
  MaxRatePlan,
  ThresholdMargin,
} from "../../result/capacity.ts";
import type { Ci95, ThresholdFigure } from "../../result/experiment.ts";
import { markdownTable } from "../markdown/table.ts";
import { percentCell, percentText, THRESHOLD_MARK } from "./experimentCells.ts";

export interface CapacitySection {
  title: string;
  lines: string[];
  table?: { header: string[]; rows: string[][] };
  notes?: string[];
}

const num = (x: number) => String(Number(x.toPrecision(4)));

function ciText(ci: Ci95): string {
  return ci === null ? "" : ` [${num(ci[0])}, ${num(ci[1])}]`;
}

/** A threshold's figure in its unit: ms for latency, a percentage for error rates. */
function figureText(metric: string, value: number, ci: Ci95): string {
  if (metric.startsWith("errors"))
    return `${percentText(value)}${ci === null ? "" : ` [${percentText(ci[0])}, ${percentText(ci[1])}]`}`;
  return `${num(value)}${metric.startsWith("latency") ? " ms" : ""}${ciText(ci)}`;
}

function marginText(m: ThresholdMargin): string {
  return `${m.metric} ${m.expression}: ${figureText(m.metric, m.value, m.valueCi95)}, margin ${percentCell(m.margin, m.marginCi95)}`;
}

function setText(set: Record<string, number>): string {
  return Object.entries(set)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");
}

const UNFINISHED_NOTE =
  "unfinished: the share of measured requests still in flight when the runs ended (the worst load); above 10% the point fails as overloaded whatever its thresholds say, since a backlog that grows with the run leaves latency thresholds without their slowest samples.";

function thresholdCells(figures: readonly ThresholdFigure[]): string {
  return figures
    .map((t) => `${THRESHOLD_MARK[t.verdict]} ${figureText(t.metric, t.value, t.valueCi95)}`)
    .join("; ");
}

function verdictRows(figures: readonly ThresholdFigure[]): string[][] {
  return figures.map((t) => [
    t.metric,
    t.expression,
    figureText(t.metric, t.value, t.valueCi95),
    `${THRESHOLD_MARK[t.verdict]} ${t.verdict}`,
  ]);
}

function headroomLines(h: MaxRate): string[] {
  const bracket = `[${h.bracket[0] ?? "none"}, ${h.bracket[1] ?? "none"}]`;
  const lines = [
    h.maxRate === null
      ? `no rate of load ${h.load} passed (status ${h.status})`
      : `highest passing rate of load ${h.load}: ${h.maxRate}/${h.timeUnit} (the file's ${h.fileRate}; headroom ${percentText(h.headroom ?? 0)}), bracket ${bracket}, width ${h.achieved === null ? "n/a" : percentText(h.achieved)} (asked ${percentText(h.precision)}), status ${h.status}`,
  ];
  if (h.binding !== null) lines.push(`binding at ${h.bracket[1]}: ${marginText(h.binding)}`);
  const failing = h.points.find((p) => p.rate === h.bracket[1]);
  if (failing !== undefined && failing.unfinished > 0.1)
    lines.push(
      `overloaded at ${failing.rate}: ${percentText(failing.unfinished)} of measured requests unfinished at the end`,
    );
  if (h.cliff)
    lines.push(
      `cliff: the binding figure jumps by ${percentText(h.jump ?? 0)} of its limit across the bracket (a queue that fills or a collapse), not a smooth rise`,
    );
  return lines;
}

function rateSection(h: MaxRate, title: string): CapacitySection {
  return {
    title,
    lines: headroomLines(h),
    notes: [UNFINISHED_NOTE],
    table: {
      header: ["#", "step", `rate/${h.timeUnit}`, "seeds", "verdict", "thresholds", "unfinished"],
      rows: h.points.map((p) => [
        String(p.order),
        p.step,
        String(p.rate),
        String(p.seeds),
        p.verdict,
        thresholdCells(p.thresholds),
        percentText(p.unfinished),
      ]),
    },
  };
}

function planSections(plan: CapacityPlan): CapacitySection[] {
  const paths = plan.dimensions.map((d) => d.path);
  const gridPoints = plan.dimensions.reduce((n, d) => n * d.values.length, 1);
  const headline =
    plan.recommended === null
      ? plan.status === "none"
        ? "no point in the ranges meets every threshold (exit 99)"
        : "undecided: the corner of the ranges could not be decided within the seed cap (exit 4)"
      : `recommended: ${setText(plan.recommended)} (cost ${plan.cost})${plan.status === "undecided" ? ", but some cheaper points stayed undecided at the seed cap (exit 4)" : ""}`;
  const sections: CapacitySection[] = [
    {
      title: "Recommendation",
      lines: [
        headline,
        ...(plan.binding === null ? [] : [`binding threshold: ${marginText(plan.binding)}`]),
      ],
      table:
        plan.verdicts.length === 0
          ? undefined
          : {
              header: ["threshold", "expression", "value [95% interval]", "verdict"],
              rows: verdictRows(plan.verdicts),
            },
    },
    {
      title: "Search space",
      lines: [],
      table: {
        header: ["path", "values", "cost weight", "model bound", "floor"],
        rows: plan.dimensions.map((d) => [
          d.path,
          d.values.length > 6
            ? `${d.values[0]}..${d.values[d.values.length - 1]} (${d.values.length})`
            : d.values.join(", "),
          String(d.weight),
          d.modelBound === null ? "-" : String(d.modelBound),
          d.floor === null ? "-" : String(d.floor),
        ]),
      },
      notes: [
        "model bound: the fewest at which the offered work fits (utilisation below 1), from the peak rate, the call graph and the mean service times, before any run; floor: the lowest value that passes with every other path at its highest.",
      ],
    },
  ];
  if (plan.cheaperNeighbours.length > 0)
    sections.push({
      title: "Why nothing cheaper works",
      lines: [],
      table: {
        header: ["lowered to", "verdict", "first breach", "value [95% interval]", "vs recommended"],
        rows: plan.cheaperNeighbours.map((n) => [
          `${n.path}=${n.set[n.path]}`,
          n.verdict,
          n.breach === null
            ? n.unfinished > 0.1
              ? `overloaded: ${percentText(n.unfinished)} unfinished`
              : "-"
            : `${n.breach.metric} ${n.breach.expression}`,
          n.breach === null ? "-" : figureText(n.breach.metric, n.breach.value, n.breach.valueCi95),
          n.breach === null
            ? "-"
            : `${n.breach.diff > 0 ? "+" : ""}${figureText(n.breach.metric, n.breach.diff, n.breach.diffCi95)}`,
        ]),
      },
      notes: [
        'Each point one step cheaper in one path, every other path at the recommendation; "vs recommended" is the paired difference over the seeds both ran (common random numbers).',
      ],
    });
  if (Object.keys(plan.utilization).length > 0)
    sections.push({
      title: "Utilisation at the recommendation",
      lines: [],
      table: {
        header: ["service", "utilisation"],
        rows: Object.entries(plan.utilization).map(([name, u]) => [
          name,
          percentCell(u.utilization, u.utilizationCi95),
        ]),
      },
    });
  if (plan.headroom !== null)
    sections.push(rateSection(plan.headroom, "Headroom at the recommendation"));
  sections.push({
    title: "Work",
    lines: [
      `${plan.runs} runs at ${plan.pointsEvaluated} of ${gridPoints} points (seeds from ${plan.firstSeed}, ${plan.seeds.first} per point, up to ${plan.seeds.max} while undecided); a grid at the same seeds: ${plan.gridSize} runs, so ${percentText(plan.runs / plan.gridSize)} of it.`,
      plan.monotonicity.holds
        ? "monotonicity (more never hurts) held on every pair of decided points."
        : `monotonicity contradicted: ${plan.monotonicity.contradictions.map((c) => `${setText(c.passes)} passes but ${setText(c.fails)} fails`).join("; ")}; the answer was walked down through its neighbours instead of inferred.`,
      ...(plan.undecided.length === 0
        ? []
        : [`undecided cheaper points: ${plan.undecided.map(setText).join("; ")}`]),
    ],
  });
  sections.push({
    title: "Every evaluated point",
    lines: [],
    table: {
      header: ["#", "step", ...paths, "cost", "seeds", "verdict", "thresholds", "unfinished"],
      rows: plan.points.map((p) => [
        String(p.order),
        p.step,
        ...paths.map((k) => String(p.set[k])),
        String(p.cost),
        String(p.seeds),
        p.verdict,
        thresholdCells(p.thresholds),
        percentText(p.unfinished),
      ]),
    },
    notes: [
      `A point passes when every threshold's 95% interval lies on the passing side, fails when one lies wholly on the failing side, and is otherwise given more seeds up to the cap (then undecided). Every point runs the same seeds. ${UNFINISHED_NOTE}`,
    ],
  });
  return sections;
}

export function capacityTitle(result: CapacityResult): string {
  return result.mode === "max-rate"
    ? `capacity ${result.scenario}: the highest rate of load ${result.load}`
    : `capacity ${result.scenario}: the cheapest ${result.dimensions.map((d) => d.path).join(" × ")}`;
}

export function capacitySections(result: CapacityResult): CapacitySection[] {
  if (result.mode === "cheapest") return planSections(result);
  const plan: MaxRatePlan = result;
  return [
    rateSection(plan, "Highest rate"),
    {
      title: "Work",
      lines: [
        `${plan.runs} runs (seeds from ${plan.firstSeed}, ${plan.seeds.first} per rate, up to ${plan.seeds.max} while undecided).`,
        ...(plan.contradictions.length === 0
          ? []
          : [
              `monotonicity contradicted: ${plan.contradictions.map((c) => `${c.passes} passes but ${c.fails} fails`).join("; ")}`,
            ]),
      ],
    },
  ];
}

export function renderCapacityText(result: CapacityResult): string {
  const out = [capacityTitle(result)];
  for (const s of capacitySections(result)) {
    out.push("", `${s.title}:`, ...s.lines);
    if (s.table !== undefined) {
      const table = new Table({ head: s.table.header, style: { head: [], border: [] } });
      for (const row of s.table.rows) table.push(row);
      out.push(table.toString());
    }
    out.push(...(s.notes ?? []));
  }
  return `${out.join("\n")}\n`;
}

export function renderCapacityMarkdown(result: CapacityResult): string {
  const out = [`# meshsim ${capacityTitle(result)}`];
  for (const s of capacitySections(result)) {
    out.push("", `## ${s.title}`, "");
    if (s.lines.length > 0) out.push(...s.lines.flatMap((l) => [l, ""]));
    if (s.table !== undefined) out.push(...markdownTable(s.table.header, s.table.rows), "");
    if (s.notes !== undefined) out.push(...s.notes.flatMap((n) => [n, ""]));
  }
  // Each part ends with a blank line; one between parts is enough.
  return `${out
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd()}\n`;
}
