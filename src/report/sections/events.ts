// The scenario's events as a table, for report.md and report.html's "Faults and state changes":
// load stage changes, config pushes, rollout steps and HPA decisions in time order, the same
// instants the time charts mark as dotted rules (html/data/events.ts), each with what happened.
import type { RunResult } from "../../result/run.ts";
import { timeAxis } from "../html/data/chartRows.ts";
import { scenarioEvents } from "../html/data/events.ts";
import type { TextTable } from "./tables.ts";

/** Rows beyond this are left out (a long rollout or autoscaling run), and the text says how many. */
export const EVENT_ROWS = 50;

export interface EventTable {
  table: TextTable;
  /** How many events there were in all (the table holds the first EVENT_ROWS). */
  total: number;
}

/** The events in time order; null when the run had none. */
export function scenarioEventTable(result: RunResult): EventTable | null {
  const axis = timeAxis(result.simulatedMs);
  const events = scenarioEvents(result, axis);
  if (events.length === 0) return null;
  return {
    table: {
      columns: [
        { title: `at (${axis.unit})`, numeric: true },
        { title: "event" },
        { title: "what happened" },
      ],
      rows: events
        .slice(0, EVENT_ROWS)
        .map((e) => [String(Number(e.t.toPrecision(6))), e.kind, e.hover]),
    },
    total: events.length,
  };
}

/** The sentence above the table. */
export function scenarioEventsText(events: EventTable): string {
  const shown = events.total > EVENT_ROWS ? ` (the first ${EVENT_ROWS} of ${events.total})` : "";
  return `The scenario's events${shown}, in time order: load stage changes, config pushes, rollout steps and the autoscaler's scale decisions, as the charts over time mark them with dotted rules.`;
}
