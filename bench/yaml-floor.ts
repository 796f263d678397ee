/**
 * The floor under a cold `filing validate`, as a process of its own: read every filing and parse it
 * with the `yaml` package, the one parser the project keeps (issue 19), over as many worker threads as
 * `filing validate` would use, with the same heap settings, and nothing else: no strict checks, no schema, no rules, no report.
 * bench/run.ts bundles it with esbuild, as scripts/bundle.js does the command, so that both start alike.
 * Usage: node <bundle> <register-root> <jobs>
 */
import fs from "node:fs";
import path from "node:path";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import * as YAML from "yaml";
import { YOUNG_GENERATION_MB } from "../scripts/cli/validate-workers";

function parseAll(files: readonly string[]): number {
  let documents = 0;
  for (const file of files) documents += YAML.parseAllDocuments(fs.readFileSync(file, "utf8"), { version: "1.2", schema: "core" }).length;
  return documents;
}

if (isMainThread) {
  const [root, jobsArg] = process.argv.slice(2);
  if (!root || !jobsArg) throw new Error("usage: node yaml-floor.cjs <register-root> <jobs>");
  const filings = path.join(root, "filings");
  const files = fs.readdirSync(filings, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".yaml")).map((f) => path.join(filings, f));
  const jobs = Number(jobsArg);
  const counts = Array.from({ length: jobs }, (_, j) =>
    new Promise<number>((resolve, reject) => {
      const worker = new Worker(__filename, { workerData: files.filter((_, i) => i % jobs === j), resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
      worker.once("message", resolve);
      worker.once("error", reject);
    }),
  );
  void Promise.all(counts).then((n) => {
    // A parse that read nothing would make a flattering floor.
    if (n.reduce((a, b) => a + b, 0) < files.length) process.exitCode = 1;
  });
} else {
  parentPort!.postMessage(parseAll(workerData as string[]));
}
