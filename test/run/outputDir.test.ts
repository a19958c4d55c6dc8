// An output folder is written all or nothing (src/run/outputDir.ts): a write that fails at any
// stage leaves the previous folder intact and nothing beside it; keepOthers keeps the folder's
// other files (an experiment's runs/); and what a killed process left beside the folder is swept
// by the next write, when its owner is gone or it is older than LEFTOVER_MAX_AGE_MS.
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  LEFTOVER_MAX_AGE_MS,
  setWriteDefaults,
  sweepLeftovers,
  WRITE_STAGES,
  writeOutputDir,
} from "../../src/run/outputDir.ts";

afterEach(() => setWriteDefaults({}));

/** Every file under `dir` with its text, paths relative to it. */
function tree(dir: string, prefix = ""): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const path = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) Object.assign(files, tree(dir, path));
    else files[path] = readFileSync(join(dir, path), "utf8");
  }
  return files;
}

/** A folder `out` in a fresh parent, holding an earlier experiment's summary and runs/. */
function previousOutputs(): { parent: string; dir: string } {
  const parent = mkdtempSync(join(tmpdir(), "meshsim-outdir-"));
  const dir = join(parent, "out");
  mkdirSync(join(dir, "runs"), { recursive: true });
  writeFileSync(join(dir, "sweep.json"), "old summary");
  writeFileSync(join(dir, "report.html"), "old report");
  writeFileSync(join(dir, "runs", "abc.json"), "a stored run");
  return { parent, dir };
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "0"]);
  return child.pid ?? 0;
}

const NEW = { "sweep.json": "new summary", "report.html": "new report" };

describe("writing an output folder", () => {
  it("replaces the previous folder as a whole without keepOthers", async () => {
    const { parent, dir } = previousOutputs();
    await writeOutputDir(dir, NEW);
    expect(tree(dir)).toEqual(NEW);
    expect(readdirSync(parent)).toEqual(["out"]);
  });

  it("keeps the folder's other files and runs/ with keepOthers, replacing only the new files", async () => {
    const { parent, dir } = previousOutputs();
    await writeOutputDir(dir, NEW, { keepOthers: true });
    expect(tree(dir)).toEqual({ ...NEW, "runs/abc.json": "a stored run" });
    expect(readdirSync(parent)).toEqual(["out"]);
  });

  it.each(WRITE_STAGES)(
    "failing at %s leaves the previous folder and its runs/ intact, or the new set once renamed",
    async (stage) => {
      const { parent, dir } = previousOutputs();
      const before = tree(dir);
      const pause = async (at: string) => {
        if (at === stage) throw new Error(`disk full at ${at}`);
      };
      await expect(writeOutputDir(dir, NEW, { keepOthers: true, pause })).rejects.toThrow(
        "disk full",
      );
      expect(tree(dir)).toEqual(
        stage === "renamed" ? { ...NEW, "runs/abc.json": "a stored run" } : before,
      );
      expect(readdirSync(parent)).toEqual(["out"]);
    },
  );

  it("takes the pause hook set as a default, and a guard around the write", async () => {
    const { dir } = previousOutputs();
    const seen: string[] = [];
    setWriteDefaults({
      pause: async (stage) => {
        seen.push(stage);
      },
      guard: (target) => {
        seen.push(`guard ${target === dir}`);
        return () => seen.push("released");
      },
    });
    await writeOutputDir(dir, NEW);
    expect(seen).toEqual(["guard true", ...WRITE_STAGES, "released"]);
  });
});

describe("what a killed write left beside the folder", () => {
  it("is swept on the next write when its owner is gone", async () => {
    const { parent, dir } = previousOutputs();
    const pid = deadPid();
    mkdirSync(join(parent, `.out.staging-${pid}-AbCdEf`));
    mkdirSync(join(parent, `.out.previous-${pid}-AbCdEf`));
    writeFileSync(join(parent, `.out.previous-${pid}-AbCdEf`, "sweep.json"), "older");
    await writeOutputDir(dir, NEW);
    expect(readdirSync(parent)).toEqual(["out"]);
    expect(tree(dir)).toEqual(NEW);
  });

  it("is left alone while its owner lives and it is young, and swept once older than the limit", () => {
    const { parent, dir } = previousOutputs();
    const alive = join(parent, `.out.staging-${process.ppid}-AbCdEf`);
    const legacy = join(parent, ".out.staging-XyZ123");
    mkdirSync(alive);
    mkdirSync(legacy);
    const now = statSync(alive).mtimeMs;
    expect(sweepLeftovers(dir, now)).toEqual([]);
    expect(existsSync(alive) && existsSync(legacy)).toBe(true);
    expect(sweepLeftovers(dir, now + LEFTOVER_MAX_AGE_MS + 1000).sort()).toEqual(
      [".out.staging-XyZ123", `.out.staging-${process.ppid}-AbCdEf`].sort(),
    );
    expect(readdirSync(parent)).toEqual(["out"]);
  });

  it("puts the moved-aside previous folder back when the folder itself is missing", async () => {
    const { parent, dir } = previousOutputs();
    const pid = deadPid();
    const aside = join(parent, `.out.previous-${pid}-AbCdEf`);
    const older = join(parent, `.out.previous-${pid}-GhIjKl`);
    mkdirSync(older);
    const old = new Date(Date.now() - 60_000);
    utimesSync(older, old, old);
    renameSync(dir, aside);
    expect(existsSync(dir)).toBe(false);
    await writeOutputDir(dir, NEW, { keepOthers: true });
    expect(tree(dir)).toEqual({ ...NEW, "runs/abc.json": "a stored run" });
    expect(readdirSync(parent)).toEqual(["out"]);
  });

  it("belongs to another folder when its name says so, and is kept", async () => {
    const { parent, dir } = previousOutputs();
    const other = join(parent, `.other.staging-${deadPid()}-AbCdEf`);
    mkdirSync(other);
    await writeOutputDir(dir, NEW);
    expect(existsSync(other)).toBe(true);
  });
});
