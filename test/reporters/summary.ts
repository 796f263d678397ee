import type { Reporter, RunnerTask, RunnerTestFile } from "vitest";

/** Ends the run with the plain "N passed, N failed, N skipped" line that CI tooling reads. */
export default class SummaryReporter implements Reporter {
  onFinished(files: RunnerTestFile[] = []): void {
    const count = { passed: 0, failed: 0, skipped: 0 };
    const visit = (task: RunnerTask): void => {
      if (task.type === "test") {
        const state = task.result?.state;
        if (state === "pass") count.passed++;
        else if (state === "fail") count.failed++;
        else count.skipped++;
      } else if ("tasks" in task) {
        task.tasks.forEach(visit);
      }
    };
    files.forEach(visit);
    // A file that failed to load has no tests but must still count as a failure.
    count.failed += files.filter((f) => f.result?.state === "fail" && f.tasks.length === 0).length;
    process.stdout.write(`\n${count.passed} passed, ${count.failed} failed, ${count.skipped} skipped\n`);
  }
}
