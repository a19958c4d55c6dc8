// `meshsim report RESULT --out DIR`: re-renders the reports of a saved run result or comparison.
import type { Command } from "commander";
import type { Comparison } from "../../result/compare.ts";
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
    .action(async (file: string, options: { out: string }) => {
      await checkOutDir(options.out);
      const { readSavedOutput } = await import("../../run/savedResult.ts");
      const saved = readSavedOutput(file);
      const files =
        saved.kind === "run"
          ? await (await import("../../run/files.ts")).reportFiles(saved.result)
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
