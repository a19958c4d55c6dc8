// The CLI habits users bring from other tools: --version, one value changed with --set (or the
// duration with --duration) without editing the file, a subset of a comparison's variants, a saved
// comparison re-rendered by `meshsim report`, throughput and the bottleneck in the terminal
// summary, and "1 load", not "1 loads".
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { meshsim, mm1File, root, scenarioFile } from "../experiment/helpers.ts";

const COMPARE_TIMEOUT_MS = 120_000;
const short = mm1File(0.5, 200, 20);
/** mm1 with a compare: section of two variants. */
const withVariants = scenarioFile(
  "mm1.yaml",
  [
    [/^duration: .*$/m, "duration: 200s"],
    [/^warmup: .*$/m, "warmup: 20s"],
  ],
  "compare:\n  variants:\n    - { name: one, set: {} }\n    - { name: two, set: { services.server.concurrency: 2 } }\n",
);

describe("meshsim --version", () => {
  it("prints the package's version and exits 0", () => {
    const r = meshsim("--version");
    const version = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(version);
  });
});

describe("meshsim run --set and --duration", () => {
  it("puts a value at a path before running, as --variant does", () => {
    const r = meshsim("run", short, "--json", "--set", "services.server.instances=3");
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).services.server.instances.length).toBe(3);
  });

  it("takes several --set, the value read as YAML", () => {
    const r = meshsim(
      "run",
      short,
      "--json",
      "--set",
      "services.server.instances=2",
      "--set",
      "services.server.operations.work.serviceTime=const(100ms)",
    );
    expect(r.status).toBe(0);
    const server = JSON.parse(r.stdout).services.server;
    expect(server.instances.length).toBe(2);
    expect(server.latencyMs.max).toBeCloseTo(100, 0);
  });

  it("shortens the run with --duration", () => {
    const r = meshsim("run", short, "--json", "--duration", "50s");
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).simulatedMs).toBe(50_000);
  });

  it("rejects a --set at an unknown path with exit 2, naming the path and the file", () => {
    const r = meshsim("run", short, "--json", "--set", "services.srvr.instances=3");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("services.srvr");
    expect(r.stderr).toContain("mm1.yaml");
  });

  it("rejects a --set without a value with exit 2", () => {
    const r = meshsim("run", short, "--set", "services.server.instances");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/expected PATH=VALUE/);
  });
});

describe("meshsim run's terminal summary", () => {
  it("gives throughput per load and per service, and names the bottleneck", () => {
    const r = meshsim("run", short, "--no-progress");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("throughput req/s");
    expect(r.stdout).toMatch(/Bottleneck: server, the busiest service \(utilisation \d+\.\d%/);
  });
});

describe("meshsim compare --only and --no-file-variants", () => {
  it(
    "runs only the variants named",
    () => {
      const r = meshsim("compare", withVariants, "--only", "two", "--json", "--workers", "1");
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout).variants.map((v: { name: string }) => v.name)).toEqual(["two"]);
    },
    COMPARE_TIMEOUT_MS,
  );

  it(
    "runs the --variant alone without the file's own",
    () => {
      const r = meshsim(
        "compare",
        withVariants,
        "--no-file-variants",
        "--variant",
        "three=services.server.concurrency=3",
        "--json",
        "--workers",
        "1",
      );
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout).variants.map((v: { name: string }) => v.name)).toEqual(["three"]);
    },
    COMPARE_TIMEOUT_MS,
  );

  it("rejects an --only name that is no variant with exit 2, listing the variants", () => {
    const r = meshsim("compare", withVariants, "--only", "four", "--workers", "1");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--only four: no such variant (the variants are: one, two)");
  });
});

describe("meshsim report of a comparison", () => {
  it(
    "re-renders report.html and compare.md from comparison.json, the same bytes compare wrote",
    () => {
      const out = join(mkdtempSync(join(tmpdir(), "meshsim-habits-")), "compare");
      const ran = meshsim("compare", withVariants, "--out", out, "--workers", "1", "--no-progress");
      expect(ran.status).toBe(0);
      const again = join(mkdtempSync(join(tmpdir(), "meshsim-habits-")), "again");
      const r = meshsim("report", join(out, "comparison.json"), "--out", again);
      expect(r.status).toBe(0);
      expect(existsSync(join(again, "report.html"))).toBe(true);
      expect(readFileSync(join(again, "report.html"), "utf8")).toBe(
        readFileSync(join(out, "report.html"), "utf8"),
      );
      expect(readFileSync(join(again, "compare.md"), "utf8")).toBe(
        readFileSync(join(out, "compare.md"), "utf8"),
      );
    },
    COMPARE_TIMEOUT_MS,
  );
});

describe("meshsim validate", () => {
  it("says 1 service and 1 load, not 1 services and 1 loads", () => {
    const r = meshsim("validate", short);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("(scenario mm1, 1 service, 1 load)");
  });
});
