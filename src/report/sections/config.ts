// The config center's part of a run result as text: one row per version (what it set, when it was
// published, when it reached the first, median and last proxy, how many run it at the end), laid
// out as report.md's "Config versions" section and by report.html under its config chart. Nothing
// at all when the scenario pushed no config (or the result predates config pushes), so other
// reports read as before.

import type { ConfigResult } from "../../result/config.ts";
import type { RunResult } from "../../result/run.ts";
import { markdownTable } from "../markdown/table.ts";
import { type Column, secondsText, type TextTable } from "./tables.ts";

/** The config section, or null when the scenario had no config pushes (or the result was saved before they existed). */
export function configOf(result: RunResult): ConfigResult | null {
  return (result as Partial<RunResult>).config ?? null;
}

const num = (title: string): Column => ({ title, numeric: true });
const text = (title: string): Column => ({ title });

/** The sentence over the table: where versions come from and what "reached" counts. */
export function configText(config: ConfigResult): string {
  const proxies = Object.keys(config.proxies).length;
  return `Version 1 is the scenario file; each config push makes the next. Reached: proxies it was delivered to before the run ended, of ${proxies}. Times in seconds.`;
}

/** One row per version, in version order. */
export function configVersionTable(config: ConfigResult): TextTable {
  const when = (ms: number | null) => (ms === null ? "not reached" : secondsText(ms));
  const proxies = Object.keys(config.proxies).length;
  return {
    columns: [
      num("version"),
      text("name"),
      text("set"),
      num("published s"),
      num("reached"),
      num("first s"),
      num("median s"),
      num("last s"),
      num("running at end"),
    ],
    rows: config.versions.map((v) => [
      String(v.version),
      v.name,
      Object.entries(v.set)
        .map(([path, value]) => `${path}=${JSON.stringify(value)}`)
        .join(", "),
      secondsText(v.atMs),
      `${v.delivered}/${proxies}`,
      when(v.firstMs),
      when(v.medianMs),
      when(v.lastMs),
      String(v.runningAtEnd),
    ]),
  };
}

export function configMarkdown(result: RunResult): string[] {
  const config = configOf(result);
  if (config === null) return [];
  const cell = (s: string) => s.replace(/\|/g, "\\|");
  const t = configVersionTable(config);
  return [
    "## Config versions",
    "",
    configText(config),
    "",
    ...markdownTable(
      t.columns.map((c) => c.title),
      t.rows.map((row) => row.map(cell)),
    ),
    "",
  ];
}
