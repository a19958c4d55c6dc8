// The `meshsim` command: argument parsing and printing only. Exit codes (shared/SCENARIO.md):
// 0 ok, 2 bad input (scenario or flags), 99 thresholds failed (`capacity`: nothing meets them), 3
// an invariant broke (`swarm`, or `run` on a file whose `invariants:` list one that broke), 4 an
// experiment's point did not reach the precision asked for (`sweep`, `compare`; `capacity`: the
// search could not decide), 1 internal error. With --json, stdout carries the
// result and nothing else; everything else goes to stderr.
// Each command imports what it needs when it runs (dynamic import), so `--help` loads commander
// alone, `validate` the loader, and `run` the renderers only after the simulation: the HTML
// reports' vega and vega-lite cost about 0.25 s of CPU to load, the scenario schema about 0.1 s.
import { readFileSync } from "node:fs";
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { parse as parseYaml } from "yaml";
import type { Axis } from "../experiment/grid.ts";
import type { Comparison } from "../result/compare.ts";
import { ScenarioError } from "../scenario/errors.ts";
import { parseOverridePath } from "../scenario/path.ts";
import type { Scenario, VariantSpec } from "../scenario/types.ts";
import type { Override } from "../scenario/yaml.ts";
import {
  type CapacityFlags,
  type ExperimentFlags,
  experimentFlags,
  experimentOptions,
  fraction,
  parseCost,
  parseVary,
  whole,
} from "./experimentFlags.ts";
import {
  type BudgetOptions,
  checkBudget,
  checkOutDir,
  DEFAULT_MAX_EVENTS,
  DEFAULT_MAX_MEMORY_MB,
  internalErrorMessage,
  parseCount,
  prepareOutDir,
  writeOut,
} from "./guards.ts";
import { addScaleOutCommands, runScaled, type ScaleOutFlags, scaleOutOptions } from "./scaleout.ts";
import type { SwarmFlags } from "./swarm.ts";

const EXIT_OK = 0;
const EXIT_INTERNAL = 1;
const EXIT_BAD_INPUT = 2;
const EXIT_THRESHOLDS = 99;
/** meshsim/testing's INVARIANT_EXIT_CODE (test/cli/swarm.test.ts holds the two together). */
const EXIT_INVARIANT = 3;

function parsePositive(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
    throw new InvalidArgumentError(`expected a whole number >= 1, got "${text}"`);
  }
  return Number(text);
}

function parseSeed(text: string): number {
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new InvalidArgumentError(`expected a whole number >= 0, got "${text}"`);
  }
  return Number(text);
}

/** `NAME=path.to.key=value`, the value read as YAML (so `3`, `round-robin` and `{ policy: random }` work). */
function collectVariant(text: string, previous: VariantSpec[]): VariantSpec[] {
  const first = text.indexOf("=");
  const second = first < 0 ? -1 : text.indexOf("=", first + 1);
  const name = text.slice(0, first);
  const path = second < 0 ? null : parseOverridePath(text.slice(first + 1, second));
  if (first <= 0 || second < 0 || path === null || !/^[A-Za-z0-9_.-]+$/.test(name)) {
    throw new InvalidArgumentError(
      `expected NAME=path.to.key=value, e.g. rr=mesh.defaults.loadBalancer.policy=round-robin, got "${text}"`,
    );
  }
  let value: unknown;
  try {
    value = parseYaml(text.slice(second + 1));
  } catch (error) {
    throw new InvalidArgumentError(
      `the value of variant ${name} is not valid YAML: ${(error as Error).message}`,
    );
  }
  const existing = previous.find((v) => v.name === name);
  if (existing !== undefined) {
    existing.set.push({ path, value });
    return previous;
  }
  return [...previous, { name, set: [{ path, value }] }];
}

/** `PATH=VALUE` of `run --set`, the value read as YAML, with --variant's path syntax. */
function collectSet(text: string, previous: Override[]): Override[] {
  const equals = text.indexOf("=");
  const path = equals <= 0 ? null : parseOverridePath(text.slice(0, equals));
  if (path === null)
    throw new InvalidArgumentError(
      `expected PATH=VALUE, e.g. services.payment.instances=4 or mesh.defaults.loadBalancer.policy=round-robin, got "${text}"`,
    );
  let value: unknown;
  try {
    value = parseYaml(text.slice(equals + 1));
  } catch (error) {
    throw new InvalidArgumentError(
      `the value of --set ${text.slice(0, equals)} is not valid YAML: ${(error as Error).message}`,
    );
  }
  return [...previous, { path, value, origin: `--set ${text.slice(0, equals)}` }];
}

/** A comma-separated list of names, e.g. `--only rr,p2c`. */
function parseNames(text: string): string[] {
  const names = text.split(",").map((n) => n.trim());
  if (names.some((n) => n === ""))
    throw new InvalidArgumentError(`expected NAME,NAME,..., got "${text}"`);
  return names;
}

/** The package's version, from the package.json two folders up (src/cli/ and dist/cli/ alike). */
function packageVersion(): string {
  const text = readFileSync(new URL("../../package.json", import.meta.url), "utf8");
  return (JSON.parse(text) as { version: string }).version;
}

/** `1 load`, `2 loads`. */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** --max-events, --max-memory and --force, on `run` and `validate`. */
function withBudget(command: Command): Command {
  return command
    .option(
      "--max-events <n>",
      "refuse a scenario estimated above this many events (after its maxEvents cap)",
      parseCount,
      DEFAULT_MAX_EVENTS,
    )
    .option(
      "--max-memory <MiB>",
      "refuse a scenario estimated to need more memory than this",
      parseCount,
      DEFAULT_MAX_MEMORY_MB,
    )
    .option("--force", "run even when the estimate is above --max-events or --max-memory");
}

export function buildProgram(): Command {
  const program = new Command("meshsim")
    .description("Deterministic discrete-event simulator of microservice governance")
    .version(packageVersion(), "-V, --version", "print meshsim's version")
    .addHelpText(
      "after",
      "\nExit codes: 0 ok; 1 internal error (also Redis unreachable or lost, with --queue and worker); 2 bad input (scenario or flags); 3 swarm or run: an invariant broke; 4 sweep/compare/merge: some point did not reach --precision within --max-seeds, capacity: the search could not decide; 75 merge: the precision rule wants another wave of the shards; 99 run: a threshold failed, capacity: nothing meets the thresholds.",
    )
    .exitOverride()
    .configureOutput({
      writeErr: (s) => process.stderr.write(s),
      writeOut: (s) => process.stdout.write(s),
    })
    // Every command's --out: checked before any work, and its writes guarded (guards.ts).
    .hook("preAction", async (_program, command) => {
      const out: unknown = command.opts().out;
      await prepareOutDir(typeof out === "string" ? out : undefined);
    });

  withBudget(program.command("run"))
    .description("run a scenario and print its summary (or its result JSON with --json)")
    .argument("<file>", "scenario file (YAML or JSON)")
    .option("--seed <n>", "override the scenario's seed", parseSeed)
    .option(
      "--set <path=value>",
      "put a value at a path of the scenario before running it, e.g. services.payment.instances=4 (repeatable; the value is YAML, the path as in --variant)",
      collectSet,
      [],
    )
    .option("--duration <d>", "override the scenario's duration, e.g. 2m (as --set duration=2m)")
    .option(
      "--out <dir>",
      "write result.json and report.md (and traces.otlp.json with tracing on) into this folder",
    )
    .option("--json", "print the run result as JSON on stdout and nothing else")
    .option("--no-progress", "no progress bar (or progress lines) on stderr")
    .action(
      async (
        file: string,
        options: BudgetOptions & {
          seed?: number;
          set: Override[];
          duration?: string;
          out?: string;
          json?: boolean;
          progress: boolean;
        },
      ) => {
        await checkOutDir(options.out);
        const [loader, { readInputFile }, { runScenarioWithArtefacts }, progress] =
          await Promise.all([
            import("../scenario/loader.ts"),
            import("../scenario/inputFile.ts"),
            import("../run/runScenario.ts"),
            import("./progress.ts"),
          ]);
        const { runSnapshot, withProgress } = progress;
        const overrides = [
          ...(options.duration === undefined
            ? []
            : [{ path: ["duration"], value: options.duration, origin: "--duration" }]),
          ...options.set,
        ];
        const scenario =
          overrides.length === 0
            ? loader.loadScenarioFile(file)
            : loader.parseScenario(readInputFile(file), file, overrides);
        // A file that names invariants (a swarm's minimal case) runs with those checkers watching.
        const check = scenario.invariants.length === 0 ? null : await invariantCheck(scenario);
        await checkBudget(file, scenario, options);
        const started = performance.now();
        const { result, traces } = withProgress(options.progress, runSnapshot, (onProgress) =>
          runScenarioWithArtefacts(scenario, {
            seed: options.seed,
            onProgress,
            watcher: check?.watcher,
          }),
        );
        const wallS = (performance.now() - started) / 1000;
        process.stderr.write(
          `meshsim: ${result.events} events in ${wallS.toFixed(2)} s wall (${Math.round(result.events / Math.max(wallS, 1e-9))} events/s)\n`,
        );
        const { resultJson, runFiles } = await import("../run/files.ts");
        if (options.out !== undefined) {
          const files = await runFiles(result, traces);
          await writeOut(options.out, files);
          process.stderr.write(
            `meshsim: wrote ${Object.keys(files).join(", ")} to ${options.out}\n`,
          );
        }
        if (options.json) process.stdout.write(resultJson(result));
        else {
          const { renderTerminalSummary } = await import("../report/terminal/runSummary.ts");
          process.stdout.write(renderTerminalSummary(result));
        }
        if (result.thresholds.some((t) => !t.ok)) process.exitCode = EXIT_THRESHOLDS;
        const violation = check?.end(result).violation ?? null;
        if (violation !== null) {
          const { formatViolation } = await import("../testing/format.ts");
          process.stderr.write(`meshsim: ${formatViolation(violation)}\n`);
          process.exitCode = EXIT_INVARIANT;
        }
      },
    );

  program
    .command("swarm")
    .description(
      "swarm-test a scenario: per seed, a random subset of fault kinds and a random timeline of them, every invariant checker on; shrink and write what breaks",
    )
    .argument("<file>", "scenario file (YAML or JSON)")
    .requiredOption("--seeds <n>", "seeds to try (each replays on its own)", parsePositive)
    .option("--seed <n>", "the first seed (default 0)", parseSeed)
    .option(
      "--faults <kinds>",
      "fault kinds a seed may switch on, comma-separated (default: every kind the scenario can take)",
    )
    .option("--max-faults <n>", "faults per timeline, at most (default 3)", parsePositive)
    .option(
      "--max-instances <n>",
      "a fault hits at most this many instances of a service",
      parsePositive,
    )
    .option(
      "--max-duration <d>",
      "a fault lasts at most this long, e.g. 2m (default: half the run)",
    )
    .option(
      "--time-budget <d>",
      "stop starting new seeds after this much wall-clock time, e.g. 10m",
    )
    .option(
      "--determinism-every <n>",
      "every n-th seed also runs twice, compared byte for byte (default 50)",
      parsePositive,
    )
    .option(
      "--max-violations <n>",
      "stop once this many seeds broke an invariant (default: try every seed)",
      parsePositive,
    )
    .option(
      "--workers <k>",
      "run seeds on this many worker threads (default 1; the output is the same)",
      parsePositive,
    )
    .option("--out <dir>", "write each minimal failing case there as a scenario file")
    .option(
      "--shard <I/N>",
      "run only seed s with (s − first) mod N = I − 1 (1-based; auto/N as for sweep) into --out, for meshsim merge",
    )
    .option(
      "--json",
      "print { seeds, violations, coverage, ... } as JSON on stdout and nothing else",
    )
    .action(async (file: string, options: SwarmFlags) => {
      const { runSwarmCommand } = await import("./swarm.ts");
      const broke = await runSwarmCommand(file, options);
      if (broke) process.exitCode = EXIT_INVARIANT;
    });

  scaleOutOptions(
    experimentOptions(
      program
        .command("compare")
        .description(
          "run the scenario once per variant on the same seeds: each figure with its 95% interval, and paired differences against the baseline",
        )
        .argument("<file>", "scenario file (YAML or JSON); its compare: section lists variants")
        .option(
          "--variant <name=path=value>",
          "a variant: a value put at a path, e.g. rr=mesh.defaults.loadBalancer.policy=round-robin (repeatable)",
          collectVariant,
          [],
        )
        .option(
          "--baseline <name>",
          "the variant the others are compared with (default: the first)",
        )
        .option(
          "--only <names>",
          "run only these variants, comma-separated (of the file's and --variant's)",
          parseNames,
        )
        .option(
          "--no-file-variants",
          "leave out the file's own compare: variants (run --variant alone)",
        ),
      "runs per variant, seeds seed..seed+k-1 (default: compare.seeds or 1)",
      "comparison.json, compare.md, compare.csv, report.html and runs/",
    ),
  ).action(
    async (
      file: string,
      options: ExperimentFlags &
        ScaleOutFlags & {
          variant: VariantSpec[];
          baseline?: string;
          only?: string[];
          fileVariants: boolean;
        },
    ) => {
      const [{ compare }, { experimentJson }, flags, { withProgressAsync }] = await Promise.all([
        import("../experiment/compare.ts"),
        import("../experiment/outputs.ts"),
        import("./experimentFlags.ts"),
        import("./progress.ts"),
      ]);
      const started = performance.now();
      const comparison = await withProgressAsync(
        options.progress,
        flags.experimentProgress,
        (onProgress) =>
          runScaled(
            "compare",
            file,
            options,
            {
              ...experimentFlags(options),
              variants: options.variant,
              baseline: options.baseline,
              only: options.only,
              fileVariants: options.fileVariants,
              onProgress,
            },
            compare,
          ),
      );
      if (comparison === null) return; // one shard's part: nothing to print
      const runs = comparison.variants.length * comparison.seeds.length;
      process.stderr.write(
        `meshsim: ${runs} runs in ${((performance.now() - started) / 1000).toFixed(2)} s wall\n`,
      );
      if (options.out !== undefined)
        process.stderr.write(
          `meshsim: wrote comparison.json, compare.md, compare.csv, report.html and runs/ to ${options.out}\n`,
        );
      const { renderCompareTable } = await import("../report/terminal/compareTable.ts");
      process.stdout.write(
        options.json ? experimentJson(comparison) : renderCompareTable(comparison),
      );
      process.exitCode = flags.precisionExitCode(comparison.variants.map((v) => v.precision));
    },
  );

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
        import("../experiment/sweep.ts"),
        import("../experiment/outputs.ts"),
        import("./experimentFlags.ts"),
        import("./progress.ts"),
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
      const { renderSweepTable } = await import("../report/terminal/sweepTable.ts");
      process.stdout.write(options.json ? experimentJson(result) : renderSweepTable(result));
      process.exitCode = flags.precisionExitCode(result.points.map((p) => p.precision));
    },
  );

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
    .addHelpText(
      "after",
      "\nExit codes: 0 a recommendation (or max rate) was found; 99 no point (or rate) meets the thresholds; 4 the search could not decide within --max-seeds; with --shard, 0 and nothing printed when the shard's part of a wave is done (meshsim merge joins them and exits 75 while the search wants another wave); 2 bad input (scenario, --vary, --cost or flags); 1 internal error.",
    )
    .action(async (file: string, options: CapacityFlags & ScaleOutFlags) => {
      const [{ capacity }, { experimentJson }, flags, { withProgressAsync }, table] =
        await Promise.all([
          import("../experiment/capacity/capacity.ts"),
          import("../experiment/outputs.ts"),
          import("./experimentFlags.ts"),
          import("./progress.ts"),
          import("../report/terminal/capacityTable.ts"),
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
      const { readSavedOutput } = await import("../run/savedResult.ts");
      const saved = readSavedOutput(file);
      const files =
        saved.kind === "run"
          ? await (await import("../run/files.ts")).reportFiles(saved.result)
          : await comparisonReportFiles(saved.comparison);
      await writeOut(options.out, files, true);
      process.stderr.write(`meshsim: wrote ${Object.keys(files).join(", ")} to ${options.out}\n`);
    });

  withBudget(program.command("validate"))
    .description("check a scenario file and report every problem, without running it")
    .argument("<file>", "scenario file (YAML or JSON)")
    .action(async (file: string, options: BudgetOptions) => {
      const { loadScenarioFile } = await import("../scenario/loader.ts");
      const scenario = loadScenarioFile(file);
      process.stderr.write(`meshsim: ${await checkBudget(file, scenario, options)}\n`);
      process.stdout.write(
        `${file}: ok (scenario ${scenario.name}, ${plural(scenario.services.length, "service")}, ${plural(scenario.load.length, "load")})\n`,
      );
    });

  program
    .command("schema")
    .description("print the JSON Schema of scenario files (for editor autocompletion)")
    .action(async () => {
      const { scenarioJsonSchema } = await import("../scenario/schema/jsonSchema.ts");
      process.stdout.write(JSON.stringify(scenarioJsonSchema(), null, 2) + "\n");
    });

  addScaleOutCommands(program);
  return program;
}

/** A saved comparison's report.html and compare.md, as `meshsim compare --out` writes them. */
async function comparisonReportFiles(comparison: Comparison): Promise<Record<string, string>> {
  const [{ renderCompareHtml }, { renderCompareMarkdown }] = await Promise.all([
    import("../report/html/compareReport.ts"),
    import("../report/terminal/compareTable.ts"),
  ]);
  return {
    "report.html": renderCompareHtml(comparison),
    "compare.md": renderCompareMarkdown(comparison),
  };
}

/** The checkers a file's `invariants:` names, watching one run (loaded only when a file names some). */
async function invariantCheck(scenario: Scenario) {
  const [{ createCheck }, { BUILT_IN_INVARIANTS }] = await Promise.all([
    import("../testing/checkedRun.ts"),
    import("../testing/checkers/index.ts"),
  ]);
  const invariants = scenario.invariants.map((name) => BUILT_IN_INVARIANTS[name]);
  return createCheck(scenario, { invariants, probes: [], stopAtFirst: false });
}

/** experiment/engine.ts's ExperimentRunError, recognised by name so --help need not load the engine. */
function isExperimentRunError(
  error: unknown,
): error is Error & { failures: { label: string; seed: number; message: string }[] } {
  return error instanceof Error && error.name === "ExperimentRunError" && "failures" in error;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : EXIT_OK;
  } catch (error) {
    if (error instanceof ScenarioError) {
      process.stderr.write(`${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    if (isExperimentRunError(error)) {
      for (const f of error.failures)
        process.stderr.write(
          `meshsim: internal error in ${f.label} seed ${f.seed}: ${f.message}\n`,
        );
      process.stderr.write(
        `meshsim: ${error.failures.length} run(s) failed; the others finished (and with --out are kept in runs/)\n`,
      );
      return EXIT_INTERNAL;
    }
    if (error instanceof Error && error.name === "QueueUnavailable") {
      process.stderr.write(`meshsim: ${error.message}\n`);
      return EXIT_INTERNAL;
    }
    if (error instanceof CommanderError) {
      // Help and version are not errors; every other commander complaint is bad flags.
      return error.exitCode === 0 ? EXIT_OK : EXIT_BAD_INPUT;
    }
    process.stderr.write(internalErrorMessage(error));
    return EXIT_INTERNAL;
  }
}

// A reader that stops early (`meshsim schema | head`) closes the pipe: Node reports EPIPE on the
// next write, which would surface as an internal error. Like a command killed by SIGPIPE, stop at
// once and quietly; the output went everywhere it was wanted (files under --out are written first).
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
  process.exit(typeof process.exitCode === "number" ? process.exitCode : EXIT_OK);
});

process.exitCode = await main(process.argv.slice(2));
