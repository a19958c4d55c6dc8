// Issue 20's reproducers through the real `meshsim` command (the compiled dist/): each is a
// clear exit-2 refusal with the file, the field's path and the limit, never a stack trace.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { spawnMeshsim } from "../helpers/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "meshsim-bad-"));

function meshsim(...args: string[]) {
  const r = spawnMeshsim(args, { timeoutMs: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function scenarioFile(name: string, loadExtra: string, instances = "2"): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `version: 1
name: ${name}
duration: 10s
services:
  a:
    instances: ${instances}
    operations:
      w: { serviceTime: exp(5ms) }
load:
  - { name: l, executor: constant-arrival-rate, target: a.w, rate: 10${loadExtra} }
`,
  );
  return file;
}

describe("meshsim refuses what it cannot run, with exit 2 and no stack trace", () => {
  test.each([
    [
      "clients: 2^32",
      scenarioFile("clients", ", clients: 4294967296"),
      /:10:\d+: load\[0\]\.clients: must be at most 10000 /,
    ],
    [
      "instances: 1e12",
      scenarioFile("instances", "", "1e12"),
      /:6:\d+: services\.a\.instances: must be at most 10000 /,
    ],
    [
      "/dev/zero",
      "/dev/zero",
      /^\/dev\/zero: cannot read the file: it is a character device; expected a regular file\n$/,
    ],
    ["a directory", dir, /cannot read the file: it is a directory; expected a regular file\n$/],
  ])("%s", (_, file, message) => {
    for (const command of ["validate", "run"]) {
      const r = meshsim(command, file, ...(command === "run" ? ["--json", "--no-progress"] : []));
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe("");
    }
  });

  test("a FIFO with no writer is refused rather than waited on", () => {
    const fifo = join(dir, "fifo.yaml");
    execFileSync("mkfifo", [fifo]);
    const r = meshsim("run", fifo);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `${fifo}: cannot read the file: it is a FIFO (named pipe); expected a regular file\n`,
    );
  });
});
