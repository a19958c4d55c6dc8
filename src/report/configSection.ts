// The config center's part of a run result as text: report.md's "Config versions" section, one
// row per version (what it set, when it was published, when it reached the first, median and last
// proxy, how many run it at the end). Nothing at all when the scenario pushed no config (or the
// result predates config pushes), so other reports read as before.
import type { RunResult } from "../run/result.ts";
import type { ConfigResult } from "../control/config/types.ts";
import { markdownTable } from "./markdownTable.ts";
import { secondsText } from "./reportTables.ts";

/** The config section, or null when the scenario had no config pushes (or the result was saved before they existed). */
export function configOf(result: RunResult): ConfigResult | null {
  return (result as Partial<RunResult>).config ?? null;
}

export function configMarkdown(result: RunResult): string[] {
  const config = configOf(result);
  if (config === null) return [];
  const cell = (text: string) => text.replace(/\|/g, "\\|");
  const when = (ms: number | null) => (ms === null ? "not reached" : secondsText(ms));
  const proxies = Object.keys(config.proxies).length;
  const rows = config.versions.map((v) => [
    String(v.version),
    v.name,
    Object.entries(v.set).map(([path, value]) => `${path}=${JSON.stringify(value)}`).join(", "),
    secondsText(v.atMs),
    `${v.delivered}/${proxies}`,
    when(v.firstMs),
    when(v.medianMs),
    when(v.lastMs),
    String(v.runningAtEnd),
  ]);
  return [
    "## Config versions",
    "",
    `Version 1 is the scenario file; each config push makes the next. Reached: proxies it was delivered to before the run ended, of ${proxies}. Times in seconds.`,
    "",
    ...markdownTable(
      ["version", "name", "set", "published s", "reached", "first s", "median s", "last s", "running at end"],
      rows.map((row) => row.map(cell)),
    ),
    "",
  ];
}
