// Running an experiment beyond this process: `--shard I/N` (this process runs one part into
// --out; `meshsim merge` joins the parts), `--queue redis://...` (this process enqueues the runs
// and collects them; `meshsim worker` processes run them), and the merge and worker commands.
// The experiment modules load only when one of these is asked for.
import { type Command, InvalidArgumentError } from "commander";
import type { Execution } from "../experiment/plan.ts";
import type { ExperimentCommand } from "../experiment/scaleout/definition.ts";
import { parseShard } from "../experiment/scaleout/shard.ts";
import { ScenarioError } from "../scenario/errors.ts";

/** merge: the experiment wants another wave of the shards (sysexits' EX_TEMPFAIL: retry). */
export const EXIT_NEXT_WAVE = 75;
/** merge of a swarm's parts: an invariant broke (main.ts's EXIT_INVARIANT, meshsim/testing's). */
const EXIT_INVARIANT = 3;

export interface ScaleOutFlags {
  shard?: string;
  queue?: string;
  out?: string;
}

/** Adds --shard and --queue to an experiment command. */
export function scaleOutOptions(command: Command): Command {
  return command
    .option(
      "--shard <I/N>",
      "run only part I of N (1-based; auto/N takes I from JOB_COMPLETION_INDEX + 1 or MESHSIM_SHARD) into --out; join the parts with meshsim merge",
      (text: string) => {
        const shard = parseShard(text, process.env);
        if (typeof shard === "string") throw new InvalidArgumentError(shard);
        return text;
      },
    )
    .option(
      "--queue <url>",
      "enqueue the runs on Redis (redis://HOST:PORT[/DB]) for meshsim worker processes, and collect them",
    );
}

function bad(file: string, message: string): ScenarioError {
  return new ScenarioError([{ file, line: null, column: null, path: "", message }]);
}

/**
 * Runs the experiment here (`local`), as one shard, or through the queue. Null when this process
 * ran one shard's part of it (already reported on stderr): there is no result to print.
 */
export async function runScaled<O extends Execution & { text?: string }, R>(
  command: ExperimentCommand,
  file: string,
  flags: ScaleOutFlags,
  options: O,
  local: (file: string, options: O) => Promise<R>,
): Promise<R | null> {
  if (flags.shard === undefined && flags.queue === undefined) return local(file, options);
  if (flags.shard !== undefined && flags.queue !== undefined)
    throw bad(file, "--shard and --queue do not go together: shard the work, or queue it");
  const [{ definition, experimentHash, meshsimVersion }, { readSource }] = await Promise.all([
    import("../experiment/scaleout/definition.ts"),
    import("../experiment/source.ts"),
  ]);
  const text = readSource(file).text;
  const def = definition(command, file, text, options);
  if (flags.shard !== undefined) return shardPart(def, flags.shard, flags.out, options);
  const url = flags.queue!;
  const queue = await import("../experiment/scaleout/queue/coordinator.ts");
  await reachable(url);
  const hash = experimentHash(def);
  let executor: ReturnType<typeof queue.queueExecutor> | null = null;
  process.stderr.write(`meshsim: experiment ${hash}: runs go to the queue at ${url}\n`);
  const onProgress = options.onProgress;
  try {
    return await local(file, {
      ...options,
      text,
      // The progress line names the workers and their runs (experimentFlags.ts).
      onProgress:
        onProgress &&
        ((progress) =>
          onProgress({
            ...progress,
            perWorker: (executor as ReturnType<typeof queue.queueExecutor> | null)?.perWorker(),
          } as typeof progress)),
      workers: (source) => {
        executor = queue.queueExecutor(url, source, hash, meshsimVersion());
        return executor;
      },
    });
  } catch (error) {
    const lost = (executor as ReturnType<typeof queue.queueExecutor> | null)?.lost();
    throw lost ?? error;
  } finally {
    const tally = (executor as ReturnType<typeof queue.queueExecutor> | null)?.perWorker();
    if (tally !== undefined && tally.size > 0)
      process.stderr.write(
        `meshsim: runs per worker: ${[...tally].map(([w, n]) => `${w} ${n}`).join(", ")}\n`,
      );
  }
}

/** Bad URL: exit 2; unreachable: QueueUnavailable (exit 1), before anything is written. */
async function reachable(url: string): Promise<void> {
  const { checkQueueUrl } = await import("../experiment/scaleout/queue/connection.ts");
  await checkQueueUrl(url);
}

async function shardPart<R>(
  def: Parameters<typeof import("../experiment/scaleout/shardRun.ts").runShard>[0],
  text: string,
  out: string | undefined,
  options: Execution,
): Promise<R | null> {
  const shard = parseShard(text, process.env);
  if (typeof shard === "string") throw bad(def.file, `--shard: ${shard}`);
  if (out === undefined)
    throw bad(
      def.file,
      `--shard ${text} needs --out DIR: each shard writes its runs there for meshsim merge`,
    );
  const { runShard } = await import("../experiment/scaleout/shardRun.ts");
  const outcome = await runShard(def, shard, {
    out,
    workers: typeof options.workers === "function" ? undefined : options.workers,
    onProgress: options.onProgress,
  });
  const done = `${outcome.ran} run(s) run here, ${outcome.reused} read from ${out}/runs/`;
  if (outcome.finished) {
    process.stderr.write(
      `meshsim: shard ${shard.index}/${shard.count}: ${done}; the experiment is complete in ${out}\n`,
    );
    return outcome.outcome.result as R;
  }
  process.stderr.write(
    `meshsim: shard ${shard.index}/${shard.count} finished its part of wave ${outcome.wave} in ${out}: ${done}, ${outcome.leftToOthers} left to the other shards; join the parts with meshsim merge DIR... --out DIR\n`,
  );
  return null;
}

function whole(min: number): (text: string) => number {
  return (text) => {
    if (!/^\d+$/.test(text) || Number(text) < min || !Number.isSafeInteger(Number(text)))
      throw new InvalidArgumentError(`expected a whole number >= ${min}, got "${text}"`);
    return Number(text);
  };
}

/** Prints a merged experiment as its own command prints it; returns that command's exit code. */
async function printOutcome(
  outcome: import("../experiment/scaleout/commands.ts").ExperimentOutcome,
  json: boolean,
): Promise<number> {
  const [{ experimentJson }, flags] = await Promise.all([
    import("../experiment/outputs.ts"),
    import("./experimentFlags.ts"),
  ]);
  if (outcome.command === "sweep") {
    const { renderSweepTable } = await import("../report/terminal/sweepTable.ts");
    process.stdout.write(json ? experimentJson(outcome.result) : renderSweepTable(outcome.result));
    return flags.precisionExitCode(outcome.result.points.map((p) => p.precision));
  }
  if (outcome.command === "compare") {
    const { renderCompareTable } = await import("../report/terminal/compareTable.ts");
    process.stdout.write(
      json ? experimentJson(outcome.result) : renderCompareTable(outcome.result),
    );
    return flags.precisionExitCode(outcome.result.variants.map((v) => v.precision));
  }
  const { renderCapacityText } = await import("../report/terminal/capacityTable.ts");
  process.stdout.write(json ? experimentJson(outcome.result) : renderCapacityText(outcome.result));
  return flags.capacityExitCode(outcome.result);
}

/** A swarm's parts: its report and minimal cases (into --out) as one process gives them; exit 3 when something broke. */
async function mergeSwarmParts(dirs: string[], out: string, json: boolean): Promise<number> {
  const [{ mergeSwarm }, { swarmJson, swarmText, writeCases }] = await Promise.all([
    import("../testing/swarmShard.ts"),
    import("./swarm.ts"),
  ]);
  const report = mergeSwarm(dirs, out);
  const files = writeCases(report, out);
  process.stderr.write(
    `meshsim: merged ${dirs.length} part(s) of a swarm of ${report.seeds} seeds\n`,
  );
  process.stdout.write(json ? swarmJson(report, files) : swarmText(report, files));
  const broke = report.violations.length > 0 || report.determinism.mismatches.length > 0;
  return broke ? EXIT_INVARIANT : 0;
}

/** `meshsim merge` and `meshsim worker`. */
export function addScaleOutCommands(program: Command): void {
  program
    .command("merge")
    .description(
      "join the --out folders of a sweep's, compare's, capacity search's or swarm's shards (--shard I/N) into the files one process writes",
    )
    .argument("<dirs...>", "the shards' --out folders")
    .requiredOption("--out <dir>", "write the experiment's files and runs/ into this folder")
    .option("--json", "print the result as JSON on stdout and nothing else")
    .option("--no-progress", "no progress bar on stderr")
    .addHelpText(
      "after",
      `\nExit codes: 0 merged; 3 swarm: some seed broke an invariant; 4 some point did not reach --precision (capacity: the search could not decide); 99 capacity: nothing meets the thresholds; ${EXIT_NEXT_WAVE} the experiment wants another wave, as --precision or a capacity search's next step does (out/runs/ holds every run so far: give them to the shards and run them again); 2 bad input (a shard missing, parts of another experiment, a run with different bytes in two parts, a folder that is no part); 1 internal error.`,
    )
    .action(async (dirs: string[], options: { out: string; json?: boolean; progress: boolean }) => {
      const { readShardRecord } = await import("../experiment/scaleout/shardRecord.ts");
      if (readShardRecord(dirs[0]).definition.command === "swarm") {
        process.exitCode = await mergeSwarmParts(dirs, options.out, options.json === true);
        return;
      }
      const [{ merge }, flags, { withProgressAsync }] = await Promise.all([
        import("../experiment/scaleout/merge.ts"),
        import("./experimentFlags.ts"),
        import("./progress.ts"),
      ]);
      const merged = await withProgressAsync(
        options.progress,
        flags.experimentProgress,
        (onProgress) => merge(dirs, options.out, { onProgress }),
      );
      if (!merged.finished) {
        process.stderr.write(
          `meshsim: merged every run so far into ${options.out}/runs/ (${merged.runs} runs); the experiment wants wave ${merged.wave} (the next of a --precision rule or of a capacity search): put these runs into each shard's --out DIR/runs/ (or use a copy of ${options.out} as its --out), run the ${merged.shards} shards again, then merge again\n`,
        );
        process.exitCode = EXIT_NEXT_WAVE;
        return;
      }
      process.stderr.write(`meshsim: merged ${merged.parts} part(s) into ${options.out}\n`);
      process.exitCode = await printOutcome(merged.outcome, options.json === true);
    });

  program
    .command("worker")
    .description(
      "take runs from the queue at a Redis URL (sweep/compare/capacity/swarm --queue) and run them, until stopped (SIGINT/SIGTERM)",
    )
    .argument("<url>", "redis://HOST:PORT[/DB]")
    .option(
      "--concurrency <n>",
      "runs at a time, each on a worker thread (default: cores)",
      whole(1),
    )
    .option(
      "--lock-duration <ms>",
      "BullMQ's job lock: renewed every half of it; a dead worker's job is run again after about twice it (default 30000)",
      whole(1000),
    )
    .action(async (url: string, options: { concurrency?: number; lockDuration?: number }) => {
      await reachable(url);
      const [{ startWorker }, { availableParallelism }] = await Promise.all([
        import("../experiment/scaleout/queue/worker.ts"),
        import("node:os"),
      ]);
      const concurrency = options.concurrency ?? availableParallelism();
      const worker = startWorker(url, {
        concurrency,
        // meshsim/testing's processor: experiment runs, and swarm seeds (swarm --queue) too.
        processor: new URL(
          import.meta.url.endsWith(".ts")
            ? "../testing/queueProcessor.ts"
            : "../testing/queueProcessor.js",
          import.meta.url,
        ),
        lockDurationMs: options.lockDuration,
        log: (line) => process.stderr.write(`meshsim worker: ${line}\n`),
      });
      process.stderr.write(
        `meshsim worker: ${worker.opts.name} takes runs from ${url} (${concurrency} at a time)\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          process.stderr.write(`meshsim worker: ${signal}: finishing the runs under way\n`);
          worker.close().then(resolve, resolve);
        };
        process.once("SIGINT", () => stop("SIGINT"));
        process.once("SIGTERM", () => stop("SIGTERM"));
      });
    });
}
