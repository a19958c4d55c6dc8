// `meshsim run --out` writes report.html beside report.md, and `meshsim report result.json --out`
// re-renders both byte for byte from the saved result; anything but a run result is bad input (2).
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { meshsim, root } from "../helpers/cli.ts";

/** scenarios/checkout.yaml cut to one minute with a 15 s warm-up, so the test runs in seconds. */
function shortCheckout(dir: string): string {
  const text = readFileSync(join(root, "scenarios/checkout.yaml"), "utf8")
    .replace(/^duration: .*$/m, "duration: 1m")
    .replace(/^warmup: .*$/m, "warmup: 15s");
  const file = join(dir, "checkout-short.yaml");
  writeFileSync(file, text);
  return file;
}

describe("meshsim report", () => {
  it("re-renders the report.html and report.md that run --out wrote, byte for byte", () => {
    const dir = mkdtempSync(join(tmpdir(), "meshsim-report-"));
    const ran = meshsim("run", shortCheckout(dir), "--out", join(dir, "run"), "--no-progress");
    expect(ran.code, ran.stderr).toBe(0);
    expect(readdirSync(join(dir, "run"))).toEqual(
      expect.arrayContaining(["result.json", "report.md", "report.html"]),
    );
    const again = meshsim("report", join(dir, "run/result.json"), "--out", join(dir, "again"));
    expect(again.code, again.stderr).toBe(0);
    expect(readdirSync(join(dir, "again")).sort()).toEqual(["report.html", "report.md"]);
    for (const name of ["report.html", "report.md"]) {
      expect(readFileSync(join(dir, "again", name), "utf8"), name).toBe(
        readFileSync(join(dir, "run", name), "utf8"),
      );
    }
    expect(again.stdout).toBe("");
  });

  it("exits 2 with the reason when the file is missing", () => {
    const r = meshsim("report", "no/such/result.json", "--out", join(tmpdir(), "meshsim-never"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no\/such\/result\.json: cannot read the file/);
  });

  it("exits 2 naming what is missing when the file is JSON but not a run result", () => {
    const dir = mkdtempSync(join(tmpdir(), "meshsim-report-"));
    writeFileSync(join(dir, "other.json"), JSON.stringify({ scenario: "x", seed: 1 }));
    const r = meshsim("report", join(dir, "other.json"), "--out", join(dir, "out"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /not a meshsim run result .*missing simulatedMs, events, load, services/,
    );
    expect(readdirSync(dir)).toEqual(["other.json"]);
  });

  it("exits 2 when the file is not JSON at all (a scenario, say)", () => {
    const r = meshsim("report", "scenarios/mm1.yaml", "--out", join(tmpdir(), "meshsim-never"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/scenarios\/mm1\.yaml: not a meshsim run result: not JSON/);
  });

  it("--baseline shows each figure's change against another run, and refuses a baseline that is not a run result", () => {
    const dir = mkdtempSync(join(tmpdir(), "meshsim-report-"));
    const ran = meshsim("run", shortCheckout(dir), "--out", join(dir, "run"), "--no-progress");
    expect(ran.code, ran.stderr).toBe(0);
    const result = join(dir, "run/result.json");
    const other = JSON.parse(readFileSync(result, "utf8"));
    other.scenario = "round-robin";
    other.load.shoppers.latencyMs.p99 *= 2;
    writeFileSync(join(dir, "other.json"), JSON.stringify(other));
    const r = meshsim(
      "report",
      result,
      "--baseline",
      join(dir, "other.json"),
      "--out",
      join(dir, "vs"),
    );
    expect(r.code, r.stderr).toBe(0);
    const md = readFileSync(join(dir, "vs/report.md"), "utf8");
    expect(md).toContain("shoppers: p99 −50%");
    expect(readFileSync(join(dir, "vs/report.html"), "utf8")).toContain(
      "<h2>Against the baseline</h2>",
    );
    writeFileSync(join(dir, "bad.json"), JSON.stringify({ ...other, load: [] }));
    const bad = meshsim(
      "report",
      result,
      "--baseline",
      join(dir, "bad.json"),
      "--out",
      join(dir, "no"),
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad\.json: .*load is an array, expected an object/);
  });
});
