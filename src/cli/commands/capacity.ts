// `meshsim capacity FILE`: the cheapest passing values of the --vary paths, or the highest rate
// a load takes (--max-rate), with the scale-out flags.
import type { Command } from "commander";
import { type CapacityFlags, fraction, parseCost, parseVary, whole } from "../experimentFlags.ts";
import { DEFAULT_MAX_EVENTS, DEFAULT_MAX_MEMORY_MB, parseCount } from "../guards.ts";
import { runScaled, type ScaleOutFlags, scaleOutOptions } from "../scaleout.ts";

export function capacityCommand(program: Command): void {
  scaleOutOptions(program.command("capacity"))
    .description(
      "the cheapest values of the --vary paths at which every threshold passes on its 95% interval, or with --max-rate the highest rate a load takes: a search on common random numbers, not a grid",
    )
    .argument("<file>", "scenario file (YAML or JSON) with thresholds")
    .option(
      "--vary <path=LO..HI>",
      "a numeric path and its values, e.g. services.payment.instances=2..12 (a list 2,4,8 or a range 2..12:2 works too; repeatable)",
      parseVary,
      [],
    )
    .option(
      "--cost <path=weight>",
      "the cost of one unit of a varied path (default 1 each: the fewest in total; repeatable)",
      parseCost,
      [],
    )
    .option(
      "--max-rate <load>",
      "the highest arrival rate of this load at which every threshold passes",
    )
    .option(
      "--headroom [load]",
      "with --vary: also the highest rate at the recommendation (of the load named, or the only one with a rate)",
    )
    .option("--precision <r>", "relative width of the max-rate bracket (default 0.02)", fraction)
    .option("--seeds <k>", "seeds of each point's first wave (default 5)", whole(2))
    .option("--max-seeds <n>", "the most seeds a point gets while undecided (default 20)", whole(2))
    .option("--seed <n>", "the first seed (default: the file's)", whole(0))
    .option("--workers <n>", "worker threads (default: the machine's cores)", whole(1))
    .option("--grid", "evaluate every point of the grid instead of searching (to check the search)")
    .option(
      "--out <dir>",
      "write capacity.json, capacity.md, report.html and runs/ into this folder (a re-run skips the runs there)",
    )
    .option("--json", "print the result as JSON on stdout and nothing else")
    .option("--no-progress", "no progress bar (or progress lines) on stderr")
    .option(
      "--max-events <n>",
      "stop with exit 2 before a point whose one run is estimated above this many events (after its maxEvents cap); the corners of --vary and the --max-rate start are checked before any run",
      parseCount,
      DEFAULT_MAX_EVENTS,
    )
    .option(
      "--max-memory <MiB>",
      "the same for a point whose one run is estimated to need more memory than this",
      parseCount,
      DEFAULT_MAX_MEMORY_MB,
    )
    .option("--force", "run every point the search visits, whatever its estimate")
    .addHelpText(
      "after",
      "\nExit codes: 0 a recommendation (or max rate) was found; 99 no point (or rate) meets the thresholds; 4 the search could not decide within --max-seeds; with --shard, 0 and nothing printed when the shard's part of a wave is done (meshsim merge joins them and exits 75 while the search wants another wave); 2 bad input (scenario, --vary, --cost or flags); 1 internal error.",
    )
    .action(async (file: string, options: CapacityFlags & ScaleOutFlags) => {
      const [{ capacity }, { experimentJson }, flags, { withProgressAsync }, table] =
        await Promise.all([
          import("../../experiment/capacity/capacity.ts"),
          import("../../experiment/outputs.ts"),
          import("../experimentFlags.ts"),
          import("../progress.ts"),
          import("../../report/terminal/capacityTable.ts"),
        ]);
      const started = performance.now();
      const result = await withProgressAsync(
        options.progress,
        flags.experimentProgress,
        (onProgress) =>
          runScaled(
            "capacity",
            file,
            options,
            {
              vary: options.vary.length > 0 ? options.vary : undefined,
              cost: options.cost,
              maxRate: options.maxRate,
              headroom: options.headroom,
              precision: options.precision,
              seeds: options.seeds,
              maxSeeds: options.maxSeeds,
              seed: options.seed,
              workers: options.workers,
              grid: options.grid,
              budget:
                options.force === true
                  ? undefined
                  : { events: options.maxEvents, memoryMB: options.maxMemory },
              out: options.out,
              onProgress,
            },
            capacity,
          ),
      );
      if (result === null) return; // one shard's part of a wave: nothing to print
      process.stderr.write(
        `meshsim: ${result.runs} runs in ${((performance.now() - started) / 1000).toFixed(2)} s wall\n`,
      );
      if (options.out !== undefined)
        process.stderr.write(
          `meshsim: wrote capacity.json, capacity.md, report.html and runs/ to ${options.out}\n`,
        );
      process.stdout.write(
        options.json ? experimentJson(result) : table.renderCapacityText(result),
      );
      process.exitCode = flags.capacityExitCode(result);
    });
}
