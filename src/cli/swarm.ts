// `meshsim swarm FILE`: flags → meshsim/testing's swarm → a summary on stdout (or its JSON) and
// each minimal failing case written as a scenario file. Wall-clock budget and progress live here,
// the simulation never sees them. Returns whether some seed broke an invariant (exit 3).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CommanderError } from "commander";
import { FAULT_KINDS } from "../faults/verbs/index.ts";
import { parseDuration } from "../kernel/duration.ts";
import { fromFile, type ScenarioSource } from "../testing/source.ts";
import { type SwarmOptions, type SwarmReport, swarm } from "../testing/swarm.ts";

export interface SwarmFlags {
  seeds: number;
  seed?: number;
  faults?: string;
  maxFaults?: number;
  maxInstances?: number;
  maxDuration?: string;
  timeBudget?: string;
  determinismEvery?: number;
  maxViolations?: number;
  workers?: number;
  out?: string;
  json?: boolean;
  shard?: string;
  queue?: string;
}

/** Bad flags are bad input (exit 2), said the way commander says it. */
function badFlag(flag: string, value: string, why: string): never {
  const message = `error: option '${flag}' argument '${value}' is invalid. ${why}`;
  process.stderr.write(`${message}\n`);
  throw new CommanderError(2, "meshsim.invalidArgument", message);
}

function durationFlag(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  try {
    const ms = parseDuration(text);
    if (ms > 0) return ms;
  } catch {
    // reported below
  }
  return badFlag(flag, text, "expected a positive duration such as 90s, 2m or 1m30s");
}

function kindsFlag(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const kinds = text.split(",").map((k) => k.trim());
  for (const kind of kinds) {
    if (!(FAULT_KINDS as readonly string[]).includes(kind))
      badFlag(
        "--faults <kinds>",
        text,
        `unknown fault kind "${kind}"; expected a comma-separated list of ${FAULT_KINDS.join(", ")}`,
      );
  }
  return kinds;
}

export async function runSwarmCommand(file: string, flags: SwarmFlags): Promise<boolean> {
  const kinds = kindsFlag(flags.faults);
  const maxDuration = durationFlag("--max-duration <d>", flags.maxDuration);
  const budgetMs = durationFlag("--time-budget <d>", flags.timeBudget);
  const source = fromFile(file);
  const scenario = source.scenario(); // a bad file is a ScenarioError: exit 2 with file:line:column
  const { usableKinds } = await import("../testing/arbitraries/faultTimeline.ts");
  if (kinds !== undefined && usableKinds(scenario, kinds).length === 0)
    badFlag(
      "--faults <kinds>",
      flags.faults ?? "",
      `none of these kinds applies to ${file} (registry-outage needs a registry: section)`,
    );
  const started = performance.now();
  const options: SwarmOptions = {
    seeds: flags.seeds,
    firstSeed: flags.seed,
    kinds,
    maxFaults: flags.maxFaults,
    maxInstances: flags.maxInstances,
    maxDuration,
    determinismEvery: flags.determinismEvery,
    maxViolations: flags.maxViolations,
    shouldStop: budgetMs === undefined ? undefined : () => performance.now() - started > budgetMs,
    onSeed: (s) => {
      if (s.violation !== null)
        process.stderr.write(
          `meshsim: seed ${s.seed} broke ${s.violation.invariant} (${s.faults} fault(s) of ${s.kinds.join(", ")}); shrunk\n`,
        );
    },
  };
  const workers = flags.workers ?? 1;
  const runSwarm = (o: SwarmOptions) =>
    workers === 1
      ? Promise.resolve(swarm(source, o))
      : import("../testing/swarmPool.ts").then((pool) => pool.swarmInWorkers(source, o, workers));
  if (flags.shard !== undefined && flags.queue !== undefined)
    badFlag(
      "--queue <url>",
      flags.queue,
      "--shard and --queue do not go together: shard the seeds, or queue them",
    );
  if (flags.shard !== undefined) {
    await swarmShard(file, source.baseText, flags, options, runSwarm);
    return false;
  }
  const report =
    flags.queue === undefined
      ? await runSwarm(options)
      : await swarmQueued(file, source, flags, options);
  const files = writeCases(report, flags.out);
  process.stderr.write(
    `meshsim: ${report.seeds} seeds in ${((performance.now() - started) / 1000).toFixed(2)} s wall\n`,
  );
  process.stdout.write(flags.json ? swarmJson(report, files) : swarmText(report, files));
  return report.violations.length > 0 || report.determinism.mismatches.length > 0;
}

/** One shard's seeds into --out for meshsim merge: nothing on stdout, exit 0 (merge gives the verdict). */
async function swarmShard(
  file: string,
  text: string,
  flags: SwarmFlags,
  options: SwarmOptions,
  runSwarm: (options: SwarmOptions) => Promise<SwarmReport>,
): Promise<void> {
  const [{ parseShard, formatShard }, { runSwarmShard, swarmDefinition }] = await Promise.all([
    import("../experiment/scaleout/shard.ts"),
    import("../testing/swarmShard.ts"),
  ]);
  const shard = parseShard(flags.shard!, process.env);
  if (typeof shard === "string") return badFlag("--shard <I/N>", flags.shard!, shard);
  if (flags.out === undefined)
    return badFlag(
      "--shard <I/N>",
      flags.shard!,
      "each shard writes its seeds into --out DIR for meshsim merge",
    );
  if (flags.timeBudget !== undefined)
    return badFlag(
      "--time-budget <d>",
      flags.timeBudget,
      "a wall-clock budget decides which seeds run, so shards of it could not be merged into one swarm's report; shard the seeds instead",
    );
  const def = swarmDefinition(file, text, definitionOf(options));
  const { ran, reused } = await runSwarmShard(def, shard, flags.out, (only, onResult) =>
    runSwarm({ ...options, only, onResult }),
  );
  process.stderr.write(
    `meshsim: shard ${formatShard(shard)}: ${ran} seed(s) run here, ${reused} read from ${flags.out}/seeds/; join the parts with meshsim merge DIR... --out DIR\n`,
  );
}

/** The seeds as jobs on the queue at --queue for `meshsim worker` processes: the local report. */
async function swarmQueued(
  file: string,
  source: ScenarioSource,
  flags: SwarmFlags,
  options: SwarmOptions,
): Promise<SwarmReport> {
  const url = flags.queue!;
  if (flags.timeBudget !== undefined)
    return badFlag(
      "--time-budget <d>",
      flags.timeBudget,
      "a wall-clock budget decides which seeds run, so a queued swarm's report would depend on the workers' speed; give --seeds instead",
    );
  const [{ checkQueueUrl }, { experimentHash, meshsimVersion }, { queueExecutor }, queued, shards] =
    await Promise.all([
      import("../experiment/scaleout/queue/connection.ts"),
      import("../experiment/scaleout/definition.ts"),
      import("../experiment/scaleout/queue/coordinator.ts"),
      import("../testing/swarmQueue.ts"),
      import("../testing/swarmShard.ts"),
    ]);
  await checkQueueUrl(url);
  const hash = experimentHash(shards.swarmDefinition(file, source.baseText, definitionOf(options)));
  process.stderr.write(`meshsim: swarm ${hash}: seeds go to the queue at ${url}\n`);
  const executor = queueExecutor(url, { file, text: source.baseText }, hash, meshsimVersion(), {
    swarm: { overrides: [...source.overrides], options: queued.swarmJobOptions(options) },
  });
  try {
    return await queued.swarmThroughQueue(source, options, executor);
  } catch (error) {
    throw executor.lost() ?? error;
  } finally {
    await executor.close();
    const tally = executor.perWorker();
    if (tally.size > 0)
      process.stderr.write(
        `meshsim: seeds per worker: ${[...tally].map(([w, n]) => `${w} ${n}`).join(", ")}\n`,
      );
  }
}

/** What decides the swarm's seeds and report (hashed: the queue's job ids, a shard's record). */
function definitionOf(options: SwarmOptions) {
  return {
    seeds: options.seeds,
    firstSeed: options.firstSeed,
    kinds: options.kinds,
    maxFaults: options.maxFaults,
    maxInstances: options.maxInstances,
    maxDuration: options.maxDuration,
    determinismEvery: options.determinismEvery,
    maxViolations: options.maxViolations,
  };
}

/** Writes each minimal case into `out` as a scenario file; the paths, null without `out`. */
export function writeCases(report: SwarmReport, out: string | undefined): (string | null)[] {
  return report.violations.map((v) => {
    if (out === undefined) return null;
    mkdirSync(out, { recursive: true });
    const path = join(out, `${report.scenario}-seed${v.seed}-${v.invariant}.yaml`);
    writeFileSync(path, v.text);
    return path;
  });
}

/** The `--json` object (shared/SCENARIO.md: seeds, violations [{ invariant, file }], coverage). */
export function swarmJson(report: SwarmReport, files: (string | null)[]): string {
  const violations = [
    ...report.violations.map((v, i) => ({
      invariant: v.invariant,
      file: files[i],
      seed: v.seed,
      atMs: v.atMs,
      message: v.message,
      faults: v.faults.length,
      loadScale: v.loadScale,
    })),
    ...report.determinism.mismatches.map((seed) => ({
      invariant: "determinism",
      file: null,
      seed,
      atMs: null,
      message: `seed ${seed} gave different results when run twice`,
      faults: null,
      loadScale: 1,
    })),
  ];
  const object = {
    scenario: report.scenario,
    seeds: report.seeds,
    violations,
    coverage: report.coverage,
    kinds: report.kinds,
    determinism: { checked: report.determinism.checked, mismatches: report.determinism.mismatches },
  };
  return `${JSON.stringify(object, null, 2)}\n`;
}

export function swarmText(report: SwarmReport, files: (string | null)[]): string {
  const lines = [`swarm ${report.scenario}: ${report.seeds} seeds`];
  const kinds = Object.entries(report.kinds).map(([k, n]) => `${k} ${n}`);
  lines.push(`fault kinds (seeds that switched each on): ${kinds.join(", ")}`);
  lines.push(`violations: ${report.violations.length}`);
  report.violations.forEach((v, i) => {
    const where = files[i] === null ? "" : ` -> ${files[i]}`;
    const scale = v.loadScale === 1 ? "" : `, load x${v.loadScale}`;
    lines.push(
      `  seed ${v.seed}: ${v.invariant}: ${v.message} (${v.faults.length} fault(s)${scale})${where}`,
    );
  });
  lines.push("coverage (seeds whose run reached each state):");
  for (const [name, n] of Object.entries(report.coverage)) lines.push(`  ${name.padEnd(28)} ${n}`);
  const d = report.determinism;
  lines.push(
    d.mismatches.length === 0
      ? `determinism: ${d.checked} seed(s) run twice, identical`
      : `determinism: seeds ${d.mismatches.join(", ")} gave different results when run twice`,
  );
  return `${lines.join("\n")}\n`;
}
