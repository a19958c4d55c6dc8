// Scale-out from the command line: --shard and merge, and the bad input they refuse with exit 2
// naming what is wrong; an unreachable --queue is an environment failure (exit 1) reported at
// once, before anything is written.
import { cpSync, existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { file as capacityFile, station } from "../capacity/scenarios.ts";
import { meshsim, mm1File } from "../helpers.ts";
import { tree } from "./files.ts";
import { freePort } from "./redis.ts";

const file = mm1File(0.5, 300, 20);
const sweep = ["sweep", file, "--vary", "load[0].rate=0.3,0.5", "--seeds", "2", "--workers", "1"];
const folder = () => mkdtempSync(join(tmpdir(), "meshsim-scaleout-cli-"));

describe("--shard and merge on the command line", () => {
  it("shards print nothing on stdout, their merge prints what the single process prints, and a merge without one exits 2", () => {
    const single = folder();
    const alone = meshsim(...sweep, "--out", single, "--json", "--no-progress");
    expect(alone.status, alone.stderr).toBe(0);
    const parts = [folder(), folder()];
    parts.forEach((out, i) => {
      const part = meshsim(...sweep, "--shard", `${i + 1}/2`, "--out", out, "--json");
      expect(part.status, part.stderr).toBe(0);
      expect(part.stdout).toBe("");
      expect(part.stderr).toContain(`shard ${i + 1}/2 finished its part of wave 1`);
    });
    const merged = folder();
    const joined = meshsim("merge", ...parts, "--out", merged, "--json", "--no-progress");
    expect(joined.status, joined.stderr).toBe(0);
    expect(joined.stdout).toBe(alone.stdout);
    expect(tree(merged)).toEqual(tree(single));

    const half = meshsim("merge", parts[0], "--out", folder(), "--no-progress");
    expect(half.status, half.stderr).toBe(2);
    expect(half.stderr).toMatch(/^merge: shard 2\/2 is missing: no part given is that shard/);
    expect(half.stdout).toBe("");
  });
});

describe("capacity --shard and merge on the command line", () => {
  it("a shard prints nothing, merge exits 75 while the search wants another wave, and the last merge prints what one process prints", () => {
    // One point on 2 seeds, then a third seed alone (test/experiment/scaleout/capacity.test.ts).
    const edge = capacityFile(
      "edge",
      station({ rate: 450, duration: "10s", threshold: "avg<10.9ms" }),
    );
    const args = ["capacity", edge, "--vary", "services.server.concurrency=7", "--seeds", "2"];
    const search = [...args, "--max-seeds", "3", "--workers", "1", "--json", "--no-progress"];
    const single = folder();
    const alone = meshsim(...search, "--out", single);
    const parts = [folder(), folder()];
    const merged = folder();
    const codes: (number | null)[] = [];
    for (let round = 1; round <= 5 && codes.at(-1) !== alone.status; round++) {
      for (const [i, out] of parts.entries()) {
        if (round > 1) cpSync(join(merged, "runs"), join(out, "runs"), { recursive: true });
        const part = meshsim(...search, "--shard", `${i + 1}/2`, "--out", out);
        if (/finished its part/.test(part.stderr)) {
          expect(part.status, part.stderr).toBe(0);
          expect(part.stdout).toBe("");
        } else expect(part.stdout).toBe(alone.stdout); // this shard ran the search's last wave
      }
      const joined = meshsim("merge", ...parts, "--out", merged, "--json", "--no-progress");
      codes.push(joined.status);
      if (joined.status !== 75) expect(joined.stdout).toBe(alone.stdout);
      else expect(joined.stderr).toMatch(/wants wave 2/);
    }
    expect(codes).toEqual([75, alone.status]);
    expect(tree(merged)).toEqual(tree(single));
  });
});

describe("scale-out bad input exits 2, naming it", () => {
  it.each([
    [
      "--shard 0/3",
      ["--shard", "0/3", "--out", "x"],
      /option '--shard <I\/N>' argument '0\/3' is invalid\. the shard must be 1\.\.3 \(1-based\), got 0/,
    ],
    [
      "--shard 4/3",
      ["--shard", "4/3", "--out", "x"],
      /argument '4\/3' is invalid\. the shard must be 1\.\.3 \(1-based\), got 4/,
    ],
    [
      "--shard without --out",
      ["--shard", "1/3"],
      /--shard 1\/3 needs --out DIR: each shard writes its runs there for meshsim merge/,
    ],
    [
      "--shard with --queue",
      ["--shard", "1/3", "--out", "x", "--queue", "redis://127.0.0.1:1"],
      /--shard and --queue do not go together/,
    ],
    [
      "a --queue that is no Redis URL",
      ["--queue", "http://localhost:6379"],
      /expected a redis:\/\/ or rediss:\/\/ URL, got "http:\/\/localhost:6379"/,
    ],
  ])("%s", (_, args, message) => {
    const r = meshsim(...sweep, ...args, "--no-progress");
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe("");
  });

  it.each([
    [
      "worker --concurrency 0",
      ["worker", "redis://127.0.0.1:1", "--concurrency", "0"],
      /option '--concurrency <n>' argument '0' is invalid\. expected a whole number >= 1, got "0"/,
    ],
    [
      "worker with a URL that is no Redis URL",
      ["worker", "localhost:6379"],
      /expected a redis:\/\/ or rediss:\/\/ URL, got "localhost:6379"/,
    ],
    [
      "worker with a database that is no number",
      ["worker", "redis://127.0.0.1:6379/queue"],
      /the database after the port must be a number, got "\/queue"/,
    ],
    ["merge without --out", ["merge", "a", "b"], /required option '--out <dir>' not specified/],
  ])("%s", (_, args, message) => {
    const r = meshsim(...args);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it("merge of an empty folder", () => {
    const empty = folder();
    const r = meshsim("merge", empty, "--out", join(folder(), "m"));
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain(
      `${empty}: the folder is empty: a part is the --out DIR of a --shard I/N run`,
    );
  });

  it("merge of a folder that does not exist", () => {
    const r = meshsim("merge", "no/such/folder", "--out", join(folder(), "m"));
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^no\/such\/folder: cannot read the part: ENOENT/);
  });
});

describe("an unreachable --queue", () => {
  it("is an environment failure (exit 1) saying so, with nothing written", async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const out = join(folder(), "never");
    const r = meshsim(...sweep, "--queue", url, "--out", out, "--no-progress");
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toContain(`meshsim: cannot reach Redis at ${url}: connect ECONNREFUSED`);
    expect(existsSync(out)).toBe(false);
  });

  it("stops a worker the same way", async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const r = meshsim("worker", url);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toContain(`cannot reach Redis at ${url}`);
  });
});
