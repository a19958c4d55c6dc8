// A reader that stops early (`meshsim schema | head -c 10`) closes the pipe while meshsim still
// writes: the command stops quietly, as one killed by SIGPIPE would, not with an internal error.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { bin, root } from "../helpers/cli.ts";

/** `meshsim ARGS | head -c 10` in bash with pipefail: meshsim's exit code and its stderr. */
function intoHead(args: string): { code: number | null; stderr: string } {
  const command = `"${process.execPath}" "${bin}" ${args} | head -c 10 > /dev/null`;
  const r = spawnSync("bash", ["-o", "pipefail", "-c", command], { cwd: root, encoding: "utf8" });
  return { code: r.status, stderr: r.stderr };
}

describe("meshsim writing into a pipe its reader closed", () => {
  it("stops with exit 0 and no error: the schema (180 KB, more than a pipe holds)", () => {
    const r = intoHead("schema");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });

  it("stops with exit 0 and no error: a run's --json", () => {
    const r = intoHead("run scenarios/mm1.yaml --json --no-progress");
    expect(r.stderr).not.toMatch(/EPIPE|internal error/);
    expect(r.code).toBe(0);
  });
});
