import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup/pulumi-mocks.ts"],
    reporters: ["default", "./test/reporters/summary.ts"],
    // CLI tests spawn child processes; give them room on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
