// An experiment on the compiled package, not a build step: copies dist/ to OUT/dist (with this
// repository's bench/, scenarios/, package.json and a link to node_modules beside it) and rewrites
// every relative named import of every module, `import { a, b as c } from "./x.js"`, into
// `import { a as a$i, b as c$i } from "./x.js"; const a = a$i, c = c$i;`. The program is the same
// (src/ has no import cycles, which dependency-cruiser checks, and no exported `let`), but V8 folds
// a module's own constant into optimised code where it loads an imported binding from its module
// cell and checks it for the hole at every read. So `node bench/loopDist.mjs` in OUT against this
// repository, alternated, measures what imported bindings cost the loop (docs/performance.md,
// 2026-12-07 session 8).
// Run: npm run build && node bench/localImports.mjs /tmp/local && (cd /tmp/local && node bench/loopDist.mjs)
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const out = process.argv[2];
if (out === undefined) {
  console.error("usage: node bench/localImports.mjs OUT_DIR");
  process.exit(2);
}
const repo = resolve(new URL("..", import.meta.url).pathname);
const target = resolve(out);
rmSync(target, { recursive: true, force: true });
for (const part of ["dist", "bench", "scenarios", "package.json"])
  cpSync(join(repo, part), join(target, part), { recursive: true });
if (existsSync(join(repo, "node_modules")))
  symlinkSync(join(repo, "node_modules"), join(target, "node_modules"));

const IMPORT = /^import \{([^}]*)\} from "(\.[^"]+)";/gm;
let rebound = 0;

/** The module's text with its relative named imports rebound to constants after the last import. */
function rewrite(text) {
  const constants = [];
  const rewritten = text.replace(IMPORT, (whole, names, from) => {
    const parts = names
      .split(",")
      .map((name) => name.trim())
      .filter((name) => name !== "" && !name.startsWith("type "));
    if (parts.length === 0) return whole;
    const renamed = parts.map((part) => {
      const [original, local = original] = part.split(/\s+as\s+/);
      constants.push(`const ${local} = ${local}$i;`);
      return `${original} as ${local}$i`;
    });
    return `import { ${renamed.join(", ")} } from "${from}";`;
  });
  if (constants.length === 0) return text;
  rebound += constants.length;
  const lines = rewritten.split("\n");
  let last = -1;
  lines.forEach((line, i) => {
    if (line.startsWith("import ")) last = i;
  });
  lines.splice(last + 1, 0, ...constants);
  return lines.join("\n");
}

function visit(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) visit(path);
    else if (entry.name.endsWith(".js")) writeFileSync(path, rewrite(readFileSync(path, "utf8")));
  }
}

visit(join(target, "dist"));
console.log(`${rebound} imported bindings rebound to module constants in ${join(target, "dist")}`);
