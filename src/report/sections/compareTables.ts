// The per-edge and per-service views of a comparison, shared by compare.md and report.html: each
// edge's imbalance per variant (the worst edge alone hides an intentional 90/10 canary's edge
// behind the one where the balancers differ), each service's utilisation per variant, and the
// bottleneck (the busiest service) of each variant. Means over the variant's seeds.
import type { Comparison } from "../../result/compare.ts";
import type { TextTable } from "./tables.ts";
import { percentText } from "./tables.ts";

/** Every balanced edge any variant's runs have, sorted (loads' edges, `load:<name>->...`, first). */
function edgesOf(comparison: Comparison): string[] {
  const edges = new Set<string>();
  for (const v of comparison.variants)
    for (const r of v.results) for (const edge of Object.keys(r.edges)) edges.add(edge);
  return [...edges].sort();
}

/** The mean over a variant's runs of an edge's imbalance, or null where no run measured the edge. */
export function edgeImbalance(
  comparison: Comparison,
): { edge: string; variant: string; imbalance: number | null }[] {
  return edgesOf(comparison).flatMap((edge) =>
    comparison.variants.map((v) => {
      const values = v.results
        .map((r) => r.edges[edge]?.imbalance)
        .filter((x): x is number => x !== undefined);
      const imbalance =
        values.length === 0 ? null : values.reduce((s, x) => s + x, 0) / values.length;
      return { edge, variant: v.name, imbalance };
    }),
  );
}

/** One row per edge, one column per variant: busiest instance's tries over the mean (1 is even). */
export function edgeImbalanceTable(comparison: Comparison): TextTable {
  const rows = edgeImbalance(comparison);
  const variants = comparison.variants.map((v) => v.name);
  return {
    columns: [{ title: "edge" }, ...variants.map((title) => ({ title, numeric: true }))],
    rows: edgesOf(comparison).map((edge) => [
      edge.replace("->", " → "),
      ...variants.map((variant) => {
        const x = rows.find((r) => r.edge === edge && r.variant === variant)!.imbalance;
        return x === null ? "—" : x.toFixed(3);
      }),
    ]),
  };
}

/** The busiest service of a variant (highest mean utilisation; ties by name), or null without services. */
export function variantBottleneck(
  services: Record<string, { utilization: number }>,
): string | null {
  let best: string | null = null;
  for (const [name, s] of Object.entries(services))
    if (best === null || s.utilization > services[best].utilization) best = name;
  return best;
}

/** One row per service, one column per variant: its utilisation; then the bottleneck row. */
export function serviceUtilisationTable(comparison: Comparison): TextTable {
  const variants = comparison.variants;
  const services = [...new Set(variants.flatMap((v) => Object.keys(v.services)))];
  return {
    columns: [{ title: "service" }, ...variants.map((v) => ({ title: v.name, numeric: true }))],
    rows: [
      ...services.map((service) => [
        service,
        ...variants.map((v) =>
          v.services[service] === undefined ? "—" : percentText(v.services[service].utilization),
        ),
      ]),
      ["bottleneck", ...variants.map((v) => variantBottleneck(v.services) ?? "—")],
    ],
  };
}

export const EDGE_IMBALANCE_TEXT =
  "How evenly each caller's proxies spread their tries over the instances of the service they call, edge by edge: the busiest instance's tries over the mean per instance (1 is even; 1.5 means one instance got 50% more than its fair share), mean over seeds. An edge with an intended uneven split (a canary's 90/10) stays uneven in every variant; the edges where the variants differ are where their balancers differ.";

export const SERVICE_UTILISATION_TEXT =
  "Each service's utilisation (busy worker time over the worker time of its serving pods), mean over seeds, per variant; the bottleneck is the busiest service, where queues grow first as load rises.";
