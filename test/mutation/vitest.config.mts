import { defineConfig } from "vitest/config";

/**
 * The tests mutation testing runs (npm run mutation): the in-process tests of the gate's core, no
 * engine. Stryker instruments lib/ and runs, per mutant, only the tests that cover it; a child
 * process (the bin) runs the bundle, which Stryker does not instrument, so only in-process tests count.
 */
export default defineConfig({
  test: {
    include: [
      "test/approvals/**/*.test.ts",
      "test/rules/**/*.test.ts",
      "test/messages/**/*.test.ts",
      "test/filings/**/*.test.ts",
      "test/stack-files/ownership.test.ts",
      "test/cli/preview-gate.test.ts",
      "test/preview/**/*.test.ts",
      "test/github/answers.test.ts",
      "test/github/check.test.ts",
      "test/github/settings.test.ts",
      "test/github/reverify-main.test.ts",
      "test/git/changes.test.ts",
      "test/operations/tracked-issue.test.ts",
    ],
    testTimeout: 30_000,
  },
});
