// The discovery part of a run result as text: report.md's "Discovery" section (per caller and
// service, how stale the callers' registry views got and how many tries went to dead or draining
// instances; the registry's events) and a line per stale edge for the terminal summary. Nothing at
// all without a registry (or for a result saved before discovery existed), so other reports read as before.
import type { RunResult } from "../run/result.ts";
import type { DiscoveryResult } from "../control/registry/controlPlane.ts";
import { markdownTable } from "./markdownTable.ts";
import { groupThousands } from "./reportTables.ts";

/** The discovery section, or null when the scenario had no registry. */
export function discoveryOf(result: RunResult): DiscoveryResult | null {
  return (result as Partial<RunResult>).discovery ?? null;
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toPrecision(3))} s`;
}

export function discoveryMarkdown(result: RunResult): string[] {
  const discovery = discoveryOf(result);
  if (discovery === null) return [];
  const rows = Object.entries(discovery.edges).map(([edge, e]) => [
    edge,
    String(e.proxies),
    `${e.staleMax} / ${Number(e.staleMean.toPrecision(3))}`,
    `${e.unknownMax} / ${Number(e.unknownMean.toPrecision(3))}`,
    seconds(e.longestStaleMs),
    groupThousands(e.sentToDead),
    groupThousands(e.sentToDraining),
  ]);
  const events = Object.entries(discovery.events).map(([state, n]) => `${state} ${n}`);
  return [
    "## Discovery",
    "",
    `Registry: ${discovery.kind}. Each proxy balances over its own lagged view. Registry events after t = 0: ${events.length === 0 ? "none" : events.join(", ")} (see the state changes).`,
    "",
    ...markdownTable(
      ["caller -> service", "proxies", "stale endpoints max / mean", "unknown live max / mean", "longest stale", "tries to dead", "tries to draining"],
      rows,
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
