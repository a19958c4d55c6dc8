// Import rules for src/ (docs/design.md, "Layers"): every folder imports only the rooms below it,
// and no two files or folders import each other, type-only imports included. `npm test` runs
// this with dependency-cruiser (`npm run deps`).
/** For each room, the rooms it may import besides itself. */
const MAY_IMPORT = {
  kernel: [],
  model: ["kernel"],
  result: ["kernel"],
  load: ["kernel", "model"],
  mesh: ["kernel", "model", "result"],
  faults: ["kernel", "model"],
  observe: ["kernel", "model", "result"],
  control: ["kernel", "model", "mesh", "result"],
  transactions: ["kernel", "model", "result"],
  scenario: [
    "kernel",
    "model",
    "result",
    "load",
    "mesh",
    "faults",
    "observe",
    "control",
    "transactions",
  ],
  report: ["result"],
  run: [
    "kernel",
    "model",
    "result",
    "load",
    "mesh",
    "faults",
    "observe",
    "control",
    "scenario",
    "report",
    "transactions",
  ],
  experiment: ["kernel", "result", "scenario", "run", "report"],
  testing: ["kernel", "model", "result", "scenario", "run", "experiment", "faults", "transactions"],
  cli: [
    "kernel",
    "model",
    "result",
    "load",
    "mesh",
    "faults",
    "observe",
    "control",
    "scenario",
    "report",
    "run",
    "experiment",
    "testing",
    "transactions",
  ],
};
const ROOMS = Object.keys(MAY_IMPORT);

module.exports = {
  forbidden: [
    ...ROOMS.map((room) => ({
      name: `layer-${room}`,
      comment: `src/${room}/ may import only: ${MAY_IMPORT[room].join(", ") || "nothing of ours"} (docs/design.md)`,
      severity: "error",
      from: { path: `^src/${room}/` },
      to: {
        path: "^src/",
        pathNot: [`^src/${room}/`, ...MAY_IMPORT[room].map((r) => `^src/(${r})/`)],
      },
    })),
    {
      name: "no-import-of-index",
      comment: "src/index.ts is the public surface: nothing inside src/ imports it",
      severity: "error",
      from: { path: "^src/", pathNot: "^src/index\\.ts$" },
      to: { path: "^src/index\\.ts$" },
    },
    {
      name: "no-file-cycles",
      comment:
        "no two modules import each other, directly or through others (type imports included)",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "no-unknown-room",
      comment: "every file under src/ lives in one of the rooms docs/design.md lists",
      severity: "error",
      from: { path: "^src/", pathNot: [`^src/(${ROOMS.join("|")})/`, "^src/index\\.ts$"] },
      to: {},
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    includeOnly: "^src/",
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js"] },
  },
};
