// The real `meshsim` command (bin/meshsim.js, the compiled dist/ that the global setup keeps
// current) run in a child process from the repository's root, for the tests of the CLI.
import { type SpawnSyncReturns, spawn, spawnSync } from "node:child_process";
import { join, resolve } from "node:path";

export const root = resolve(import.meta.dirname, "../..");
export const bin = join(root, "bin/meshsim.js");

export interface CliResult {
  /** The exit code (null when a signal or the timeout ended it). */
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Kill it after this long (a hang fails the test instead of stalling the suite). */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

/** `meshsim ARGS...` to the end, as spawnSync reports it. */
export function spawnMeshsim(args: string[], options: CliOptions = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    timeout: options.timeoutMs,
    env: options.env,
  });
}

/** `meshsim ARGS...` to the end: its exit code and what it printed. */
export function meshsim(...args: string[]): CliResult {
  const r = spawnMeshsim(args);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts `meshsim ARGS...` without waiting, for tests that interrupt it. */
export function startMeshsim(...args: string[]) {
  return spawn(process.execPath, [bin, ...args], {
    cwd: root,
    stdio: ["ignore", "ignore", "ignore"],
  });
}
