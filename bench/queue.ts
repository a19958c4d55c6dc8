// The work-queue benchmark: the experiment bench's 16-run sweep (bench/sweep-bench.yaml, a few
// seconds a run) run locally with --workers 1, and through the queue (a redis-server started here
// on a free loopback port) with 1 and with 2 `meshsim worker --concurrency 1` processes,
// alternating. Prints each, the medians, the speed-up of 2 queue workers over 1 (target >= 1.7x on
// a 2-core machine), the queue's overhead per job against the local run, the workers' CPU time
// (from /proc, so the estimate for an idle machine does not depend on the load), and checks that
// every way gave the same bytes. Never fails. Needs dist/ (npm run build) and redis-server.
// Run: npx tsx bench/queue.ts [rounds]
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const TARGET_SPEEDUP = 1.7;
const RUNS = 16;
const rounds = Number(process.argv[2] ?? 2);
const root = fileURLToPath(new URL("..", import.meta.url));
const bin = join(root, "bin/meshsim.js");
const sweep = [
  "sweep",
  join(root, "bench/sweep-bench.yaml"),
  "--vary",
  "services.payment.instances=4,5,6,7",
  "--seeds",
  "4",
  "--json",
  "--no-progress",
];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

function started(child: ChildProcess, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = "";
    const look = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(line)) resolve();
    };
    child.stdout?.on("data", look);
    child.stderr?.on("data", look);
    child.once("exit", (code) => reject(new Error(`exited ${code} before "${line}": ${output}`)));
  });
}

/** User + system CPU seconds of a live process and its threads (Linux /proc, 100 ticks/s). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

interface Measurement {
  wallSeconds: number;
  /** The command's CPU: the local run's, or the queue coordinator's. */
  cpuSeconds: number;
  /** The queue workers' CPU and Redis's (null for the local run). */
  workerCpuSeconds: number | null;
  redisCpuSeconds: number | null;
  json: string;
}

/**
 * The command in a child process under GNU time (its CPU seconds, threads included), this
 * process's event loop free meanwhile (it reads the workers' output).
 */
function timed(args: string[]): Promise<{ wallSeconds: number; cpuSeconds: number; json: string }> {
  const times = join(mkdtempSync(join(tmpdir(), "meshsim-bench-time-")), "cpu");
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(
      "/usr/bin/time",
      ["-o", times, "-f", "%U %S", process.execPath, bin, ...args],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const stdout: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once("exit", (code) => {
      const wallSeconds = (performance.now() - start) / 1000;
      if (code !== 0)
        return reject(new Error(`meshsim ${args.join(" ")} exited ${code}: ${stderr}`));
      const [user, system] = readFileSync(times, "utf8").trim().split(" ").map(Number);
      const json = createHash("sha256").update(Buffer.concat(stdout)).digest("hex").slice(0, 16);
      resolve({ wallSeconds, cpuSeconds: user + system, json });
    });
  });
}

async function queued(url: string, workers: number, redisPid: number): Promise<Measurement> {
  const children = Array.from({ length: workers }, () =>
    spawn(process.execPath, [bin, "worker", url, "--concurrency", "1"], {
      stdio: ["ignore", "ignore", "pipe"],
    }),
  );
  try {
    await Promise.all(children.map((c) => started(c, "takes runs from")));
    const before = children.reduce((sum, c) => sum + cpuSeconds(c.pid!), 0);
    const redisBefore = cpuSeconds(redisPid);
    const m = await timed([...sweep, "--queue", url]);
    const workerCpuSeconds = children.reduce((sum, c) => sum + cpuSeconds(c.pid!), 0) - before;
    return { ...m, workerCpuSeconds, redisCpuSeconds: cpuSeconds(redisPid) - redisBefore };
  } finally {
    await Promise.all(
      children.map(
        (c) =>
          new Promise((resolve) => {
            c.once("exit", resolve);
            c.kill("SIGTERM");
          }),
      ),
    );
  }
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const port = await freePort();
const dir = mkdtempSync(join(tmpdir(), "meshsim-bench-redis-"));
const redis = spawn(
  "redis-server",
  ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", ""],
  { stdio: ["ignore", "pipe", "ignore"] },
);
try {
  await started(redis, "Ready to accept connections");
  const ways = ["local --workers 1", "queue, 1 worker", "queue, 2 workers"] as const;
  const measured = new Map<string, Measurement[]>(ways.map((w) => [w, []]));
  const load = [loadavg()[0]];
  let database = 0;
  for (let round = 1; round <= rounds; round++) {
    for (const way of ways) {
      const m: Measurement =
        way === "local --workers 1"
          ? {
              ...(await timed([...sweep, "--workers", "1"])),
              workerCpuSeconds: null,
              redisCpuSeconds: null,
            }
          : await queued(
              `redis://127.0.0.1:${port}/${++database}`,
              way.endsWith("1 worker") ? 1 : 2,
              redis.pid!,
            );
      measured.get(way)!.push(m);
      load.push(loadavg()[0]);
      const cpu =
        m.workerCpuSeconds === null
          ? `, CPU ${m.cpuSeconds.toFixed(2)} s`
          : `, CPU: coordinator ${m.cpuSeconds.toFixed(2)} s, workers ${m.workerCpuSeconds.toFixed(2)} s, Redis ${m.redisCpuSeconds!.toFixed(2)} s`;
      console.log(
        `queue round ${round}/${rounds} ${way}: ${RUNS} runs, ${m.wallSeconds.toFixed(2)} s wall${cpu}, output ${m.json}`,
      );
    }
  }
  const wall = (way: string) => median(measured.get(way)!.map((m) => m.wallSeconds));
  const cpu = (way: string, of: (m: Measurement) => number) => median(measured.get(way)!.map(of));
  const [local, one, two] = ways.map(wall);
  const speedup = one / two;
  console.log(
    `${speedup >= TARGET_SPEEDUP ? "PASS" : "MISS"} queue speed-up of 2 workers over 1: ${one.toFixed(2)} / ${two.toFixed(2)} s = ${speedup.toFixed(2)}x ` +
      `(target >= ${TARGET_SPEEDUP}x; medians of ${rounds} alternating rounds; 1-minute load average ${load.map((l) => l.toFixed(1)).join(" → ")})`,
  );
  // The queue's cost in CPU, which the machine's load does not change: everything the queue's
  // processes used beyond the local run's CPU, per job.
  const localCpu = cpu(ways[0], (m) => m.cpuSeconds);
  const queueCpu = cpu(
    ways[1],
    (m) => m.cpuSeconds + (m.workerCpuSeconds ?? 0) + (m.redisCpuSeconds ?? 0),
  );
  console.log(
    `overhead per job: ${((1000 * (queueCpu - localCpu)) / RUNS).toFixed(0)} ms of CPU (coordinator + 1 worker + Redis ${queueCpu.toFixed(2)} s against ${localCpu.toFixed(2)} s locally), ` +
      `${((1000 * (one - local)) / RUNS).toFixed(0)} ms of wall (${one.toFixed(2)} s against ${local.toFixed(2)} s; worker start-up excluded)`,
  );
  const w1 = cpu(ways[1], (m) => m.workerCpuSeconds ?? 0);
  const w2 = cpu(ways[2], (m) => m.workerCpuSeconds ?? 0);
  console.log(
    `CPU: the workers used ${w1.toFixed(2)} s with 1 and ${w2.toFixed(2)} s with 2; ` +
      `an idle 2-core machine would give about ${((2 * w1) / w2).toFixed(2)}x`,
  );
  const same = new Set([...measured.values()].flat().map((m) => m.json)).size === 1;
  console.log(`${same ? "PASS" : "FAIL"} the same sweep JSON locally and through the queue`);
} finally {
  await new Promise((resolve) => {
    redis.once("exit", resolve);
    redis.kill("SIGTERM");
  });
  rmSync(dir, { recursive: true, force: true });
}
