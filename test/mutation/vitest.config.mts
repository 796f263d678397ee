import { defineConfig } from "vitest/config";

/**
 * The tests mutation testing runs (npm run mutation): the in-process tests of the gate's core, no
 * child process, no engine. Stryker instruments lib/ and runs, per mutant, only the tests that cover it.
 */
export default defineConfig({
  test: {
    include: ["test/approvals/**/*.test.ts", "test/rules/**/*.test.ts", "test/github/answers.test.ts"],
    testTimeout: 30_000,
  },
});
