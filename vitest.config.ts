import { defineConfig } from "vitest/config";

/**
 * Four projects, so that each test file loads only what it needs and the slow ones run side by side:
 * - core: pure functions and in-process commands (no Pulumi runtime);
 * - pulumi: the program under pulumi.runtime.setMocks, set up before any import (DESIGN §11);
 * - cli: the command as the workflows run it, against a fake GitHub, git and child processes;
 * - e2e: the real Pulumi CLI, the simulated vCenter and PostgreSQL.
 * Loading Pulumi's SDK and mocks into every file took 65 s of a 12-minute run.
 */
const PULUMI = ["test/stacks/**/*.test.ts"];
const CLI = ["test/cli/**/*.test.ts", "test/github/**/*.test.ts", "test/install/**/*.test.ts", "test/web/**/*.test.ts"];
const E2E = ["test/e2e/**/*.test.ts"];

export default defineConfig({
  test: {
    reporters: ["default", "./test/reporters/summary.ts"],
    // CLI tests spawn child processes; give them room on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Vitest's default on 2 cores is one worker, and most of the slow files wait on child processes
    // (Pulumi, the simulator, git): four files at a time keep both cores busy.
    maxWorkers: 4,
    minWorkers: 1,
    projects: [
      { extends: true, test: { name: "core", include: ["test/**/*.test.ts"], exclude: [...PULUMI, ...CLI, ...E2E] } },
      { extends: true, test: { name: "pulumi", include: PULUMI, setupFiles: ["test/setup/pulumi-mocks.ts"] } },
      { extends: true, test: { name: "cli", include: CLI } },
      { extends: true, test: { name: "e2e", include: E2E } },
    ],
  },
});
