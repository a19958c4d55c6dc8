// `meshsim sweep FILE`: the scenario at every point of a grid (--vary, --zip) on the same seeds,
// with the experiment and scale-out flags.
import type { Command } from "commander";
import type { Axis } from "../../experiment/grid.ts";
import {
  type ExperimentFlags,
  experimentFlags,
  experimentOptions,
  parseVary,
} from "../experimentFlags.ts";
import { runScaled, type ScaleOutFlags, scaleOutOptions } from "../scaleout.ts";

export function sweepCommand(program: Command): void {
  scaleOutOptions(
    experimentOptions(
      program
        .command("sweep")
        .description(
          "run the scenario at every point of a grid of values on the same seeds: each figure with its 95% interval, thresholds judged on the intervals",
        )
        .argument(
          "<file>",
          "scenario file (YAML or JSON); its sweep: section may list what to vary",
        )
        .option(
          "--vary <path=values>",
          "a path and its values: a list 2,4,8, a range 2..12 or 2..12:2, or a geometric range 100..3200*2 (repeatable: a full grid, the first varying slowest)",
          parseVary,
          [],
        )
        .option("--zip", "pair the paths' values one to one instead of crossing them"),
      "runs per point, seeds seed..seed+k-1 (default: sweep.seeds or 5)",
      "sweep.json, sweep.md, sweep.csv, report.html and runs/",
    ),
  ).action(
    async (
      file: string,
      options: ExperimentFlags & ScaleOutFlags & { vary: Axis[]; zip?: boolean },
    ) => {
      const [{ sweep }, { experimentJson }, flags, { withProgressAsync }] = await Promise.all([
        import("../../experiment/sweep.ts"),
        import("../../experiment/outputs.ts"),
        import("../experimentFlags.ts"),
        import("../progress.ts"),
      ]);
      const started = performance.now();
      const result = await withProgressAsync(
        options.progress,
        flags.experimentProgress,
        (onProgress) =>
          runScaled(
            "sweep",
            file,
            options,
            {
              ...experimentFlags(options),
              vary: options.vary.length > 0 ? options.vary : undefined,
              zip: options.zip,
              onProgress,
            },
            sweep,
          ),
      );
      if (result === null) return; // one shard's part: nothing to print
      const runs = result.points.reduce((n, p) => n + p.seeds, 0);
      process.stderr.write(
        `meshsim: ${result.points.length} points, ${runs} runs in ${((performance.now() - started) / 1000).toFixed(2)} s wall\n`,
      );
      if (options.out !== undefined)
        process.stderr.write(
          `meshsim: wrote sweep.json, sweep.md, sweep.csv, report.html and runs/ to ${options.out}\n`,
        );
      const { renderSweepTable } = await import("../../report/terminal/sweepTable.ts");
      process.stdout.write(options.json ? experimentJson(result) : renderSweepTable(result));
      process.exitCode = flags.precisionExitCode(result.points.map((p) => p.precision));
    },
  );
}
