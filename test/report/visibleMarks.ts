// Which marks of a chart must be drawn: every vega-lite mark whose data has rows after its
// transforms, by the name vega gives it (the SVG's `role-mark` group carries it as a class). A
// headless vega View computes the data, as the report's renderer does. Used by the browser test
// to assert that no chart with data is drawn empty (unfilled bars, an unknown colour).
import * as vega from "vega";
import type { TopLevelSpec } from "vega-lite";
import * as vegaLite from "vega-lite";

interface VegaMark {
  type: string;
  name?: string;
  from?: { data?: string; facet?: { name: string; data: string; groupby?: string | string[] } };
  encode?: { update?: Record<string, unknown> };
  marks?: VegaMark[];
}

/** The data fields a mark's channels read (`{ field: "value" }`, or `{ field: { datum: "value" } }` nested one level). */
function fieldsOf(mark: VegaMark): string[] {
  const fields: string[] = [];
  for (const channel of Object.values(mark.encode?.update ?? {})) {
    const entries = Array.isArray(channel) ? channel : [channel];
    for (const entry of entries) {
      const field = (entry as { field?: unknown } | null)?.field;
      if (typeof field === "string") fields.push(field);
    }
  }
  return fields;
}

/** A row every channel of the mark can place: none of its fields null, undefined or NaN. */
function placeable(row: Record<string, unknown>, fields: readonly string[]): boolean {
  return fields.every((f) => {
    const v = row[f.replace(/\\\./g, ".")];
    return v !== null && v !== undefined && !(typeof v === "number" && Number.isNaN(v));
  });
}

/**
 * The names of the marks with data a reader should see: at least one row every channel can place
 * (a line needs two in one series: a lone point draws no segment; the line's points mark shows it).
 */
export function marksWithRows(spec: TopLevelSpec): string[] {
  const compiled = vegaLite.compile(spec).spec as unknown as { marks?: VegaMark[] };
  const view = new vega.View(vega.parse(compiled as vega.Spec), { renderer: "none" });
  view.run();
  const names: string[] = [];
  /** A facet's name to its source data set and the fields it splits by (a line's series). */
  const walk = (
    marks: readonly VegaMark[],
    facets: Record<string, { data: string; groupby: string[] }>,
  ) => {
    for (const mark of marks) {
      if (mark.type === "group") {
        const inner = { ...facets };
        const facet = mark.from?.facet;
        if (facet !== undefined) {
          const outer = facets[facet.data];
          const groupby = facet.groupby === undefined ? [] : [facet.groupby].flat();
          inner[facet.name] = {
            data: outer?.data ?? facet.data,
            groupby: [...(outer?.groupby ?? []), ...groupby],
          };
        }
        walk(mark.marks ?? [], inner);
        continue;
      }
      const source = mark.from?.data;
      if (mark.name === undefined || source === undefined) continue;
      const facet = facets[source] ?? { data: source, groupby: [] };
      const fields = fieldsOf(mark);
      const placed = (view.data(facet.data) as Record<string, unknown>[]).filter((row) =>
        placeable(row, fields),
      );
      // A line is drawn per series (the facet's groupby): one needs two points to draw a segment.
      const perSeries = new Map<string, number>();
      for (const row of placed) {
        const key = JSON.stringify(facet.groupby.map((f) => row[f]));
        perSeries.set(key, (perSeries.get(key) ?? 0) + 1);
      }
      const most = Math.max(0, ...perSeries.values());
      if (most >= (mark.type === "line" ? 2 : 1)) names.push(mark.name);
    }
  };
  walk(compiled.marks ?? [], {});
  view.finalize();
  return names;
}
