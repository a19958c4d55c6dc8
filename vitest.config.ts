import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Builds dist/ when the sources are newer: the CLI and package tests run the compiled command.
    globalSetup: ["test/helpers/buildDist.ts"],
    testTimeout: 60_000,
    reporters: ["default"],
    // One worker per core. Vitest's default for `run` is cores − 1, which on the 2-core CI runs
    // the suite one file at a time: a core sits idle while a simulation file computes, and both
    // while a file waits on a child process, a browser or Redis. Forks (the default pool) keep
    // each file in a process of its own, as before.
    maxWorkers: availableParallelism(),
  },
});
