// `meshsim report RESULT --out DIR`: re-renders the reports of a saved run result or comparison;
// `--baseline OTHER.json` adds each headline figure's change against another run.
import type { Command } from "commander";
import type { Comparison } from "../../result/compare.ts";
import { ScenarioError } from "../../scenario/errors.ts";
import { checkOutDir, writeOut } from "../guards.ts";

export function reportCommand(program: Command): void {
  program
    .command("report")
    .description(
      "re-render the reports of a saved run result (report.html, report.md) or comparison (report.html, compare.md)",
    )
    .argument(
      "<result>",
      "result.json of meshsim run --out, or comparison.json of meshsim compare --out",
    )
    .requiredOption("--out <dir>", "write the reports into this folder")
    .option(
      "--baseline <other>",
      "another run's result.json: show each headline figure's change against it (run results only)",
    )
    .action(async (file: string, options: { out: string; baseline?: string }) => {
      await checkOutDir(options.out);
      const { readSavedOutput, readSavedResult } = await import("../../run/savedResult.ts");
      const saved = readSavedOutput(file);
      // Checked before anything is written: a baseline that is not a run result is bad input (2).
      const baseline = options.baseline === undefined ? null : readSavedResult(options.baseline);
      if (baseline !== null && saved.kind !== "run")
        throw new ScenarioError([
          {
            file,
            line: null,
            column: null,
            path: "",
            message:
              "--baseline compares one run with another: this file is a comparison, which already holds its own baseline variant",
          },
        ]);
      const files =
        saved.kind === "run"
          ? await (await import("../../run/files.ts")).reportFiles(saved.result, baseline)
          : await comparisonReportFiles(saved.comparison);
      await writeOut(options.out, files, true);
      process.stderr.write(`meshsim: wrote ${Object.keys(files).join(", ")} to ${options.out}\n`);
    });
}

/** A saved comparison's report.html and compare.md, as `meshsim compare --out` writes them. */
async function comparisonReportFiles(comparison: Comparison): Promise<Record<string, string>> {
  const [{ renderCompareHtml }, { renderCompareMarkdown }] = await Promise.all([
    import("../../report/html/compareReport.ts"),
    import("../../report/terminal/compareTable.ts"),
  ]);
  return {
    "report.html": renderCompareHtml(comparison),
    "compare.md": renderCompareMarkdown(comparison),
  };
}
