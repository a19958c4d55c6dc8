// The scenario's events (data/events.ts) marked on a time chart: a thin dotted rule at each, in a
// colour per kind, whose hover title says what happened, laid over every panel of the chart whose
// x axis is simulated time; and the sentence the chart's paragraph gains to explain them.
import type { TimeAxis } from "../data/chartRows.ts";
import type { EventKind, EventMark } from "../data/events.ts";
import type { Chart, Layer } from "./common.ts";
import { timeX } from "./common.ts";

export const EVENT_COLOURS: Record<EventKind, string> = {
  "load stage": "#17becf",
  "config push": "#7b4173",
  "rollout step": "#2ca02c",
  "HPA decision": "#8c564b",
};

const COLOUR_NAMES: Record<EventKind, string> = {
  "load stage": "teal",
  "config push": "purple",
  "rollout step": "green",
  "HPA decision": "brown",
};

/**
 * `x`: the panel's own time encoding (its axis drawn or not), on the events' field. One layer per
 * kind, its colour on the mark: a colour encoding would join the panel's shared colour scale and
 * take its legend away.
 */
function eventLayers(events: readonly EventMark[], x: object): Layer[] {
  const kinds = [...new Set(events.map((e) => e.kind))];
  return kinds.map((kind) => ({
    data: { values: events.filter((e) => e.kind === kind) },
    mark: {
      type: "rule",
      strokeDash: [2, 2],
      strokeWidth: 1.5,
      opacity: 0.8,
      color: EVENT_COLOURS[kind],
    },
    encoding: {
      x: { ...x, field: "t" } as never,
      description: { field: "hover" },
    },
  }));
}

type SpecNode = {
  layer?: unknown[];
  vconcat?: SpecNode[];
  hconcat?: SpecNode[];
  encoding?: { x?: { title?: unknown } };
};

/** The x encoding of a layered panel that plots against simulated time, or undefined. */
function timeEncoding(node: SpecNode, title: string): object | undefined {
  return (node.layer ?? []).map((l) => (l as SpecNode).encoding?.x).find((x) => x?.title === title);
}

/**
 * The chart with the events (but those of `skip`, which it draws itself, and those at time 0) over each time panel, and
 * a sentence naming them; the chart itself when no event is left or it has no time panel.
 */
export function withEvents(
  chart: Chart | null,
  events: readonly EventMark[],
  axis: TimeAxis,
  skip: readonly EventKind[] = [],
): Chart | null {
  // An event at time 0 (a load's first stage as the run starts) would lie on the y axis, seen by
  // no one: the events table lists it, the chart leaves it out.
  const shown = events.filter((e) => !skip.includes(e.kind) && e.t > 0);
  if (chart === null || shown.length === 0) return chart;
  const title = timeX(axis).title;
  let marked = 0;
  const mark = (node: SpecNode): SpecNode => {
    if (node.vconcat !== undefined) return { ...node, vconcat: node.vconcat.map(mark) };
    if (node.hconcat !== undefined) return { ...node, hconcat: node.hconcat.map(mark) };
    const x = timeEncoding(node, title);
    if (node.layer === undefined || x === undefined) return node;
    marked++;
    return { ...node, layer: [...node.layer, ...eventLayers(shown, x)] };
  };
  const spec = mark(chart.spec as SpecNode) as Chart["spec"];
  if (marked === 0) return chart;
  return { ...chart, spec, explanation: `${chart.explanation} ${eventsSentence(shown)}` };
}

/** `Dotted rules mark the scenario's events: 2 config pushes (purple), 4 HPA decisions (brown); hover over one for what happened.` */
export function eventsSentence(events: readonly EventMark[]): string {
  const counts = new Map<EventKind, number>();
  for (const e of events) counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
  const parts = [...counts].map(
    ([kind, n]) => `${n} ${kind}${n === 1 ? "" : "s"} (${COLOUR_NAMES[kind]})`,
  );
  return `Dotted rules mark the scenario's events: ${parts.join(", ")}; hover over one for what happened.`;
}
