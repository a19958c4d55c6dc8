// The files a run writes under --out: the result JSON and the human-readable reports built from it.
import { renderMarkdown } from "../report/markdown.ts";
import type { RunResult } from "./result.ts";

export function resultJson(result: RunResult): string {
  return JSON.stringify(result, null, 2) + "\n";
}

export function runFiles(result: RunResult): Record<string, string> {
  return { "result.json": resultJson(result), "report.md": renderMarkdown(result) };
}
