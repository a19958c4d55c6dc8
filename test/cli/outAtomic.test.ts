// `--out DIR` is all or nothing: the run is killed (SIGTERM, SIGINT) at each stage of writing,
// paused there by the CLI's test hook, and DIR then holds either the previous outputs intact or
// the complete new set, never a mix, with no staging folder left beside it. An --out that cannot
// be written is refused (exit 2) before the run, by sweep, compare and capacity too.
import { spawn, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { WRITE_STAGES } from "../../src/run/outputDir.ts";
import { bin, root } from "../helpers/cli.ts";

const OLD = { "result.json": "old", "report.html": "old", "metrics.prom": "old" };

/** Runs mm1 with --out `dir`, pauses at `stage`, sends `signal` there; resolves with the exit code. */
function killedAt(dir: string, stage: string, signal: NodeJS.Signals): Promise<number | null> {
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      [bin, "run", "scenarios/mm1.yaml", "--out", dir, "--no-progress"],
      {
        cwd: root,
        env: { ...process.env, MESHSIM_TEST_PAUSE_AT: stage },
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    let stderr = "";
    let sent = false;
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
      if (!sent && stderr.includes(`paused at ${stage}`)) sent = child.kill(signal);
    });
    child.on("error", fail);
    child.on("exit", (code) =>
      stderr.includes("paused at") ? done(code) : fail(new Error(stderr)),
    );
  });
}

function contents(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [f, readFileSync(join(dir, f), "utf8")]),
  );
}

function expectPreviousOrComplete(
  dir: string,
  previous: Record<string, string> | null,
): "previous" | "new" {
  const leftovers = readdirSync(resolve(dir, "..")).filter((f) => f.startsWith("."));
  expect(leftovers).toEqual([]);
  if (!existsSync(dir)) {
    expect(previous).toBeNull();
    return "previous";
  }
  const files = contents(dir);
  const sorted = (o: Record<string, string>) => JSON.stringify(Object.entries(o).sort());
  if (previous !== null && sorted(files) === sorted(previous)) return "previous";
  expect(Object.keys(files)).toEqual(
    expect.arrayContaining(["result.json", "report.md", "report.html"]),
  );
  expect(Object.values(files)).not.toContain("old");
  expect(JSON.parse(files["result.json"]).scenario).toBe("mm1");
  return "new";
}

describe("--out is all or nothing", () => {
  test.each(
    WRITE_STAGES.flatMap((stage) => [[stage, "SIGTERM"] as const, [stage, "SIGINT"] as const]),
  )(
    "killed at %s by %s, a folder holding an earlier run keeps it or gets the whole new set",
    async (stage, signal) => {
      const parent = mkdtempSync(join(tmpdir(), "meshsim-out-"));
      const dir = join(parent, "out");
      mkdirSync(dir);
      for (const [name, text] of Object.entries(OLD)) writeFileSync(join(dir, name), text);
      const code = await killedAt(dir, stage, signal);
      expect(code).toBe(signal === "SIGINT" ? 130 : 143);
      expect(expectPreviousOrComplete(dir, OLD)).toBe(stage === "renamed" ? "new" : "previous");
    },
  );

  // With no previous folder nothing is moved aside: that stage never comes.
  const newFolderStages = WRITE_STAGES.filter((stage) => stage !== "moved-aside");
  test.each(newFolderStages)("killed at %s, a new folder is absent or complete", async (stage) => {
    const parent = mkdtempSync(join(tmpdir(), "meshsim-out-"));
    const dir = join(parent, "out");
    await killedAt(dir, stage, "SIGTERM");
    expect(expectPreviousOrComplete(dir, null)).toBe(stage === "renamed" ? "new" : "previous");
  });

  test("an --out that is an existing file is refused before the run", () => {
    const parent = mkdtempSync(join(tmpdir(), "meshsim-out-"));
    writeFileSync(join(parent, "file"), "x");
    const r = spawnSync(
      process.execPath,
      [bin, "run", "scenarios/mm1.yaml", "--out", join(parent, "file")],
      {
        cwd: root,
        encoding: "utf8",
      },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `--out: cannot write the outputs: ${join(parent, "file")} exists and is not a folder\n`,
    );
    expect(r.stdout).toBe("");
  });

  test.each([
    ["sweep", "--vary", "load[0].rate=0.3,0.5"],
    ["compare", "--variant", "slow=load[0].rate=0.5"],
    ["capacity", "--vary", "services.server.instances=1..2"],
  ])("%s refuses an --out that is an existing file before any run", (command, ...flags) => {
    const parent = mkdtempSync(join(tmpdir(), "meshsim-out-"));
    writeFileSync(join(parent, "file"), "x");
    const r = spawnSync(
      process.execPath,
      [bin, command, "scenarios/mm1.yaml", ...flags, "--out", join(parent, "file")],
      { cwd: root, encoding: "utf8" },
    );
    expect(r.stderr).toBe(
      `--out: cannot write the outputs: ${join(parent, "file")} exists and is not a folder\n`,
    );
    expect(r.status).toBe(2);
  });
});
