import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Builds dist/ when the sources are newer: the CLI and package tests run the compiled command.
    globalSetup: ["test/helpers/buildDist.ts"],
    testTimeout: 60_000,
    reporters: ["default"],
  },
});
