// deploy/kubernetes/ cannot drift from the CLI: the Indexed Job's container arguments are run here
// once per completion index, with JOB_COMPLETION_INDEX set and $(VAR) expanded as Kubernetes does,
// the volumes mapped to folders, then the merge Job's arguments; the merged folder must hold the
// bytes of one process running the same command without --shard. No container engine runs here,
// so the Dockerfile is checked by a dry run: its build stage's commands in a scratch copy of what
// it COPYs (the repository's node_modules standing in for `npm ci`) must build the dist/ the
// quick start builds, and what its final stage keeps must run without dev dependencies.
import { spawnSync } from "node:child_process";
import {
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { mm1File, root } from "../experiment/helpers.ts";
import { tree } from "../experiment/scaleout/files.ts";

const deploy = join(root, "deploy/kubernetes");
const folder = () => mkdtempSync(join(tmpdir(), "meshsim-kubernetes-"));

interface Container {
  image: string;
  args: string[];
  volumeMounts: { name: string; mountPath: string }[];
}
interface JobManifest {
  kind: string;
  spec: {
    completionMode?: string;
    completions?: number;
    parallelism?: number;
    template: { spec: { containers: Container[]; volumes: { name: string }[] } };
  };
}

const job = (name: string) => parse(readFileSync(join(deploy, name), "utf8")) as JobManifest;

/** $(VAR) expanded from the container's environment, as the kubelet does; $$( stays literal. */
function expand(arg: string, env: Record<string, string>): string {
  return arg.replace(/(\$?)\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, escaped, name) =>
    escaped === "$" ? whole.slice(1) : (env[name] ?? whole),
  );
}

function meshsim(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [join(root, "bin/meshsim.js"), ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
}

describe("the Kubernetes Indexed Job and the merge Job", () => {
  const shards = job("shards-job.yaml");
  const merge = job("merge-job.yaml");
  const [shard] = shards.spec.template.spec.containers;
  const [merger] = merge.spec.template.spec.containers;
  const count = shards.spec.completions!;

  it("agree on the number of shards and the image", () => {
    expect(shards.spec.completionMode).toBe("Indexed");
    expect(shards.spec.parallelism).toBe(count);
    expect(shard.args).toContain(`auto/${count}`);
    expect(merger.args.filter((a) => a.startsWith("/results/shard-"))).toEqual(
      Array.from({ length: count }, (_, i) => `/results/shard-${i}`),
    );
    expect(merger.image).toBe(shard.image);
  });

  it("give, run here index by index and merged, the bytes of one process", {
    timeout: 180_000,
  }, () => {
    // The ConfigMap's scenario.yaml: a short M/M/1 whose sweep: section says what to vary.
    const scenario = folder();
    writeFileSync(
      join(scenario, "scenario.yaml"),
      `${readFileSync(mm1File(0.5, 400, 20), "utf8")}sweep:\n  vary:\n    load[0].rate: 0.3,0.5,0.7\n`,
    );
    const results = folder();
    const mounts: Record<string, string> = { "/scenario": scenario, "/results": results };
    const local = (arg: string) =>
      arg.replace(/^(\/scenario|\/results)(?=\/|$)/, (mount) => mounts[mount]);
    for (let index = 0; index < count; index++) {
      const env = { JOB_COMPLETION_INDEX: String(index) };
      const r = meshsim(
        shard.args.map((a) => local(expand(a, env))),
        env,
      );
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toContain(`shard ${index + 1}/${count} finished its part`);
    }
    const merged = meshsim(merger.args.map(local));
    expect(merged.status, merged.stderr).toBe(0);

    const single = folder();
    const withoutShard = shard.args.filter(
      (a, i) => a !== "--shard" && shard.args[i - 1] !== "--shard",
    );
    const out = withoutShard.indexOf("--out");
    withoutShard[out + 1] = single;
    const alone = meshsim(withoutShard.map(local));
    expect(alone.status, alone.stderr).toBe(0);
    const outOfMerge = merger.args[merger.args.indexOf("--out") + 1];
    expect(tree(local(outOfMerge))).toEqual(tree(single));
  });
});

/** The Dockerfile's stages: FROM's image and alias, and each instruction with its arguments. */
function dockerfile(): { image: string; alias?: string; steps: [string, string][] }[] {
  const text = readFileSync(join(deploy, "Dockerfile"), "utf8").replace(/\\\n/g, " ");
  const stages: { image: string; alias?: string; steps: [string, string][] }[] = [];
  for (const line of text.split("\n")) {
    const match = /^([A-Z]+)\s+(.*)$/.exec(line.trim());
    if (match === null) continue;
    const [, instruction, rest] = match;
    if (instruction === "FROM") {
      const [image, , alias] = rest.split(/\s+/);
      stages.push({ image, alias, steps: [] });
    } else stages.at(-1)!.steps.push([instruction, rest]);
  }
  return stages;
}

function copies(steps: [string, string][]): { from?: string; sources: string[]; to: string }[] {
  return steps
    .filter(([instruction]) => instruction === "COPY")
    .map(([, rest]) => {
      const words = rest.split(/\s+/);
      const from = words[0].startsWith("--from=") ? words.shift()!.slice(7) : undefined;
      const to = words.pop()!;
      return { from, sources: words, to };
    });
}

describe("the Dockerfile, by a dry run", () => {
  const stages = dockerfile();
  const [build, runtime] = stages;

  it("builds on Node 20 slim in two stages", () => {
    expect(stages.map((s) => s.image)).toEqual(["node:20-slim", "node:20-slim"]);
    expect(build.alias).toBe("build");
  });

  it("builds, from what it copies, the dist/ the quick start builds", { timeout: 300_000 }, () => {
    const scratch = folder();
    for (const { sources, to } of copies(build.steps))
      for (const source of sources) {
        const target = to.endsWith("/") ? join(scratch, to, source) : join(scratch, to);
        cpSync(join(root, source), target, { recursive: true });
      }
    const runs = build.steps.filter(([i]) => i === "RUN").map(([, command]) => command);
    expect(runs[0]).toMatch(/^npm ci /);
    symlinkSync(join(root, "node_modules"), join(scratch, "node_modules"), "dir");
    for (const command of runs.slice(1)) {
      const r = spawnSync("sh", ["-c", command], { cwd: scratch, encoding: "utf8" });
      expect(r.status, `${command}: ${r.stdout}${r.stderr}`).toBe(0);
    }
    expect(tree(join(scratch, "dist"))).toEqual(tree(join(root, "dist")));
  });

  it("keeps the files the package ships but src/, installed without dev dependencies", () => {
    const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    const kept = copies(runtime.steps).flatMap(({ from, sources }) =>
      sources.map((s) => (from === "build" ? s.replace(/^\/app\//, "") : s)),
    );
    const shipped = (manifest.files as string[]).map((f) => f.replace(/\/$/, ""));
    expect(kept.filter((k) => !["package.json", "package-lock.json"].includes(k)).sort()).toEqual(
      shipped.filter((f) => f !== "src").sort(),
    );
    const install = runtime.steps.find(([i, rest]) => i === "RUN" && rest.startsWith("npm ci"));
    // `prepare` would build again, and tsc is a dev dependency.
    expect(install?.[1]).toMatch(/--omit=dev/);
    expect(install?.[1]).toMatch(/--ignore-scripts/);
    expect(runtime.steps).toContainEqual(["WORKDIR", "/app"]);
    expect(runtime.steps).toContainEqual(["ENTRYPOINT", '["node", "/app/bin/meshsim.js"]']);
  });

  it("leaves out no package the compiled CLI imports", () => {
    const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    const allowed = new Set([...Object.keys(manifest.dependencies), ...builtinModules]);
    const imported = new Set<string>();
    const patterns = [
      /^\s*(?:import|export)\b[^;]*?\sfrom\s*"([^"]+)"/gm,
      /^\s*import\s*"([^"]+)"/gm,
      /\bimport\(\s*"([^"]+)"\s*\)/g,
    ];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith(".js")) {
          const code = readFileSync(path, "utf8");
          for (const pattern of patterns)
            for (const [, specifier] of code.matchAll(pattern))
              if (!specifier.startsWith("."))
                imported.add(
                  specifier.replace(/^node:/, "").replace(/^(@[^/]+\/[^/]+|[^@/][^/]*).*/, "$1"),
                );
        }
      }
    };
    walk(join(root, "dist"));
    expect(imported.size).toBeGreaterThan(5);
    expect([...imported].filter((name) => !allowed.has(name))).toEqual([]);
  });

  it("sends the build only what it copies", () => {
    const ignore = readFileSync(join(deploy, "Dockerfile.dockerignore"), "utf8");
    const allowed = ignore
      .split("\n")
      .filter((l) => l.startsWith("!"))
      .map((l) => l.slice(1).replace(/\/$/, ""));
    const sources = stages.flatMap((s) =>
      copies(s.steps)
        .filter((c) => c.from === undefined)
        .flatMap((c) => c.sources),
    );
    expect(new Set(sources)).toEqual(new Set(allowed));
  });
});
