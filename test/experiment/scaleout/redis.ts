// A real redis-server (Debian's package) for the queue tests, on a free loopback port with its
// own folder, appendonly with fsync on every write so a restart keeps every job; stopped by the
// test. `redisMissing` says why the queue tests skip when it cannot be had.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const redisMissing: string | null =
  spawnSync("redis-server", ["--version"]).status === 0
    ? null
    : "redis-server is not installed (Debian package `redis-server`; .ci/run installs it)";

/** A loopback port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export interface RedisServer {
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function redisServer(): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "meshsim-redis-"));
  let child: ChildProcess | null = null;
  const args = [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--dir",
    dir,
    "--save",
    "",
    "--appendonly",
    "yes",
    "--appendfsync",
    "always",
    "--protected-mode",
    "yes",
  ];
  return {
    url: `redis://127.0.0.1:${port}`,
    start: () =>
      new Promise((resolve, reject) => {
        const started = spawn("redis-server", args, { stdio: ["ignore", "pipe", "pipe"] });
        child = started;
        let output = "";
        started.stdout!.on("data", (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes("Ready to accept connections")) resolve();
        });
        started.once("exit", (code) => reject(new Error(`redis-server exited ${code}: ${output}`)));
      }),
    stop: () =>
      new Promise((resolve) => {
        const running = child;
        child = null;
        if (running === null || running.exitCode !== null) return resolve();
        running.once("exit", () => resolve());
        running.kill("SIGTERM");
      }),
  };
}
