// `meshsim` processes that run beside a test, for the work-queue tests (test/experiment/scaleout/,
// test/testing/swarmQueue.test.ts): workers started in the background with their output kept and
// killed after each test, a coordinator run to its end, and a poll until a condition holds.
import { type ChildProcess, spawn } from "node:child_process";
import { bin, root } from "./cli.ts";

export interface Running {
  child: ChildProcess;
  /** stdout and stderr so far, interleaved as they came. */
  log: () => string;
  exited: Promise<number | null>;
}

export interface Finished {
  status: number | null;
  stdout: string;
  stderr: string;
}

function spawnBin(args: string[]) {
  return spawn(process.execPath, [bin, ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
}

/** The processes a test file starts in the background; `stopAll` (for afterEach) kills them. */
export class Background {
  private readonly started: Running[] = [];

  /** Starts `meshsim ARGS...` without waiting. */
  start(args: string[]): Running {
    const child = spawnBin(args);
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    const running = { child, log: () => output, exited };
    this.started.push(running);
    return running;
  }

  /** `meshsim worker URL` taking one job at a time, with BullMQ's lock of `lockMs`. */
  worker(url: string, lockMs: string): Running {
    return this.start(["worker", url, "--concurrency", "1", "--lock-duration", lockMs]);
  }

  /** Kills (SIGKILL) every process still running and waits for them to exit. */
  async stopAll(): Promise<void> {
    const running = this.started.splice(0);
    for (const { child } of running) if (child.exitCode === null) child.kill("SIGKILL");
    await Promise.all(running.map((r) => r.exited));
  }
}

/** The coordinator `meshsim ARGS...` to its end: exit code, stdout and stderr apart. */
export function coordinate(args: string[]): Promise<Finished> {
  return new Promise((resolve) => {
    const child = spawnBin(args);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once("exit", (status) => resolve({ status, stdout, stderr }));
  });
}

/** Polls every 50 ms until `condition` holds; throws, naming `what`, after `timeoutMs`. */
export async function until(
  what: string,
  condition: () => boolean,
  timeoutMs = 60_000,
): Promise<void> {
  for (let waited = 0; !condition(); waited += 50) {
    if (waited > timeoutMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
