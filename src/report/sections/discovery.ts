// The discovery part of a run result as text: per caller and service, how stale the callers'
// registry views got and how many tries went to dead or draining instances, with the registry's
// events, laid out as report.md's "Discovery" section and by report.html under its staleness chart;
// and a line per stale edge for the terminal summary. Nothing at all without a registry (or for a
// result saved before discovery existed), so other reports read as before.

import type { DiscoveryResult } from "../../result/discovery.ts";
import type { RunResult } from "../../result/run.ts";
import { markdownTable } from "../markdown/table.ts";
import { type Column, groupThousands, type TextTable } from "./tables.ts";

/** The discovery section, or null when the scenario had no registry. */
export function discoveryOf(result: RunResult): DiscoveryResult | null {
  return (result as Partial<RunResult>).discovery ?? null;
}

const num = (title: string): Column => ({ title, numeric: true });
const text = (title: string): Column => ({ title });

function seconds(ms: number): string {
  return `${Number((ms / 1000).toPrecision(3))} s`;
}

/** The sentence over the table: the registry, and how many times its entries changed state. */
export function discoveryText(discovery: DiscoveryResult): string {
  const events = Object.entries(discovery.events).map(([state, n]) => `${state} ${n}`);
  return `Registry: ${discovery.kind}. Each proxy balances over its own lagged view. Registry events after t = 0: ${events.length === 0 ? "none" : events.join(", ")} (see the state changes).`;
}

/** One row per caller -> service edge: how wrong its proxies' views got and the tries that went astray. */
export function discoveryEdgeTable(discovery: DiscoveryResult): TextTable {
  return {
    columns: [
      text("caller -> service"),
      num("proxies"),
      num("stale endpoints max / mean"),
      num("unknown live max / mean"),
      num("longest stale"),
      num("tries to dead"),
      num("tries to draining"),
    ],
    rows: Object.entries(discovery.edges).map(([edge, e]) => [
      edge,
      String(e.proxies),
      `${e.staleMax} / ${Number(e.staleMean.toPrecision(3))}`,
      `${e.unknownMax} / ${Number(e.unknownMean.toPrecision(3))}`,
      seconds(e.longestStaleMs),
      groupThousands(e.sentToDead),
      groupThousands(e.sentToDraining),
    ]),
  };
}

export function discoveryMarkdown(result: RunResult): string[] {
  const discovery = discoveryOf(result);
  if (discovery === null) return [];
  const cell = (s: string) => s.replace(/\|/g, "\\|");
  const t = discoveryEdgeTable(discovery);
  return [
    "## Discovery",
    "",
    discoveryText(discovery),
    "",
    ...markdownTable(
      t.columns.map((c) => c.title),
      t.rows.map((row) => row.map(cell)),
    ),
    "",
  ];
}

/** One line per edge whose views kept a dead or unready instance, for the terminal summary. */
export function discoveryLines(result: RunResult): string[] {
  const discovery = discoveryOf(result);
  if (discovery === null) return [];
  return Object.entries(discovery.edges)
    .filter(([, e]) => e.longestStaleMs > 0)
    .map(
      ([edge, e]) =>
        `discovery (${discovery.kind}) ${edge}: a dead or unready instance stayed in a view for up to ${seconds(e.longestStaleMs)}; ` +
        `${groupThousands(e.sentToDead)} tries went to dead instances, ${groupThousands(e.sentToDraining)} to draining ones`,
    );
}
