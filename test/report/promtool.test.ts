// The metric exports of a real run, checked by Prometheus' own tool: metrics.prom passes
// `promtool check metrics` (parse and lint) and metrics.om loads with `promtool tsdb
// create-blocks-from openmetrics`, every stored point of every series landing in the TSDB. The
// exported counters are also checked against the run's ground truth (warm-up 0, so the result's
// counts cover the same requests as the series, which count from time 0).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, test } from "vitest";
import { DEFAULT_EPOCH_MS } from "../../src/report/exports/epoch.ts";
import { renderOpenMetrics } from "../../src/report/exports/openMetrics.ts";
import { renderPrometheusText } from "../../src/report/exports/prometheusText.ts";
import { runFiles } from "../../src/run/files.ts";
import { runScenario } from "../../src/run/runScenario.ts";
import { type Override, parseScenario } from "../../src/scenario/loader.ts";
import { SMALL_METRICS } from "./fixture.ts";

const FILE = fileURLToPath(new URL("../../scenarios/checkout.yaml", import.meta.url));
const DURATION_MS = 60_000;
const set = (path: string[], value: unknown): Override => ({
  path,
  value,
  origin: "promtool test",
});

const scenario = parseScenario(readFileSync(FILE, "utf8"), FILE, [
  set(["duration"], "1m"),
  set(["warmup"], "0s"),
  set(["monitoring"], { scrapeInterval: "5s" }),
]);
const result = runScenario(scenario);
const files = await runFiles(result);

const PROMTOOL_MISSING = spawnSync("promtool", ["--version"]).status !== 0;
if (PROMTOOL_MISSING) {
  console.warn(
    "skipping the promtool checks of metrics.prom and metrics.om: promtool is not installed (Debian package `prometheus`; .ci/run installs it)",
  );
}

const workDir = mkdtempSync(join(tmpdir(), "meshsim-promtool-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function promtool(args: string[], input?: string): { status: number | null; output: string } {
  const run = spawnSync("promtool", args, { input, encoding: "utf8" });
  return { status: run.status, output: `${run.stdout ?? ""}${run.stderr ?? ""}` };
}

/** Loads an OpenMetrics text into a fresh TSDB folder and returns the folder. */
function createBlocks(name: string, text: string): string {
  const source = join(workDir, `${name}.om`);
  const db = join(workDir, `${name}-tsdb`);
  writeFileSync(source, text);
  const load = promtool(["tsdb", "create-blocks-from", "openmetrics", source, db]);
  expect(load.status, load.output).toBe(0);
  mkdirSync(join(db, "wal"), { recursive: true }); // promtool 2.42's `tsdb dump` wants one, even empty
  return db;
}

/** Samples per block from `promtool tsdb list` (the NUM SAMPLES column), summed. */
function samplesIn(db: string): number {
  const list = promtool(["tsdb", "list", db]);
  expect(list.status, list.output).toBe(0);
  const rows = list.output.trim().split("\n").slice(1);
  return rows.reduce((sum, row) => sum + Number(row.trim().split(/\s+/)[4]), 0);
}

/** The final value in metrics.prom of each sample line `name{labels}` whose labels include `match`. */
function finalValues(prom: string, name: string, match: Record<string, string> = {}): number[] {
  const wanted = Object.entries(match).map(([k, v]) => `${k}="${v}"`);
  return prom
    .split("\n")
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .filter((line) => wanted.every((pair) => line.includes(pair)))
    .map((line) => Number(line.slice(line.lastIndexOf(" ") + 1)));
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe("the metric exports of a 1-minute checkout run (warm-up 0, 5 s scrapes)", () => {
  const prom = files["metrics.prom"];
  const { metrics } = result;

  test("run --out writes metrics.prom and metrics.om beside result.json", () => {
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining(["result.json", "metrics.prom", "metrics.om"]),
    );
    expect(files["metrics.om"].endsWith("# EOF\n")).toBe(true);
    expect(metrics.timesMs).toEqual(Array.from({ length: 12 }, (_, k) => (k + 1) * 5000));
  });

  test("the load's request counter ends at the number of requests it offered", () => {
    expect(finalValues(prom, "meshsim_load_requests_total", { load: "shoppers" })).toEqual([
      result.load.shoppers.offered,
    ]);
    expect(result.load.shoppers.offered).toBeGreaterThan(5000);
  });

  test("the end-to-end histogram's _count and +Inf bucket end at the requests completed", () => {
    const { completed } = result.load.shoppers;
    expect(
      finalValues(prom, "meshsim_load_request_duration_seconds_count", { load: "shoppers" }),
    ).toEqual([completed]);
    expect(
      finalValues(prom, "meshsim_load_request_duration_seconds_bucket", {
        load: "shoppers",
        le: "+Inf",
      }),
    ).toEqual([completed]);
    expect(finalValues(prom, "meshsim_load_completed_total", { load: "shoppers" })).toEqual([
      completed,
    ]);
  });

  test("each service's request counter, summed over its instances, ends at the calls it answered", () => {
    for (const [name, service] of Object.entries(result.services)) {
      const perInstance = finalValues(prom, "meshsim_requests_total", { service: name });
      expect(perInstance, name).toHaveLength(service.instances.length);
      expect(sum(perInstance), name).toBe(service.requests);
    }
  });
});

describe.skipIf(PROMTOOL_MISSING)("promtool", () => {
  test("`promtool check metrics` accepts metrics.prom with no lint finding", () => {
    const check = promtool(["check", "metrics"], files["metrics.prom"]);
    expect(check.output).toBe("");
    expect(check.status).toBe(0);
  });

  test("`promtool check metrics` accepts the hand-built result with awkward labels and help", () => {
    const check = promtool(["check", "metrics"], renderPrometheusText(SMALL_METRICS));
    expect(check.output).toBe("");
    expect(check.status).toBe(0);
  });

  test("metrics.om loads into a TSDB with every stored point of every series", () => {
    const db = createBlocks("run", files["metrics.om"]);
    expect(samplesIn(db)).toBe(result.metrics.timesMs.length * result.metrics.series.length);
    const dump = promtool([
      "tsdb",
      "dump",
      "--match",
      '{__name__="meshsim_load_requests_total"}',
      db,
    ]);
    expect(dump.status, dump.output).toBe(0);
    const last = dump.output.trim().split("\n").at(-1)!.split(" ");
    expect(last.slice(-2)).toEqual([
      String(result.load.shoppers.offered),
      String(DEFAULT_EPOCH_MS + DURATION_MS),
    ]);
  });

  test("the hand-built result, NaN and escaped labels included, loads point for point", () => {
    const db = createBlocks("small", renderOpenMetrics(SMALL_METRICS, DEFAULT_EPOCH_MS));
    expect(samplesIn(db)).toBe(SMALL_METRICS.timesMs.length * SMALL_METRICS.series.length);
  });
});
