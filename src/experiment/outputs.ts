// The summary files an experiment writes under --out, all at once (all or nothing): the object
// --json prints, the Markdown table, the tidy CSV, and report.html. The runs/ beside them are
// written one by one as runs finish (runStore.ts).
import { renderCompareCsv, renderSweepCsv } from "../report/exports/experimentCsv.ts";
import { renderCapacityHtml } from "../report/html/capacityReport.ts";
import { renderCompareHtml } from "../report/html/compareReport.ts";
import { renderSweepHtml } from "../report/html/sweepReport.ts";
import { renderCapacityMarkdown } from "../report/terminal/capacityTable.ts";
import { renderCompareMarkdown } from "../report/terminal/compareTable.ts";
import { renderSweepMarkdown } from "../report/terminal/sweepTable.ts";
import type { CapacityResult } from "../result/capacity.ts";
import type { Comparison } from "../result/compare.ts";
import type { Sweep } from "../result/experiment.ts";

export function experimentJson(value: Sweep | Comparison | CapacityResult): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function sweepFiles(sweep: Sweep): Record<string, string> {
  return {
    "sweep.json": experimentJson(sweep),
    "sweep.md": renderSweepMarkdown(sweep),
    "sweep.csv": renderSweepCsv(sweep),
    "report.html": renderSweepHtml(sweep),
  };
}

export function compareFiles(comparison: Comparison): Record<string, string> {
  return {
    "comparison.json": experimentJson(comparison),
    "compare.md": renderCompareMarkdown(comparison),
    "compare.csv": renderCompareCsv(comparison),
    "report.html": renderCompareHtml(comparison),
  };
}

export function capacityFiles(result: CapacityResult): Record<string, string> {
  return {
    "capacity.json": experimentJson(result),
    "capacity.md": renderCapacityMarkdown(result),
    "report.html": renderCapacityHtml(result),
  };
}
