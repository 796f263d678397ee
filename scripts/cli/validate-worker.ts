// One worker thread of a large `filing validate` (scripts/cli/validate-workers.ts): it reads and
// checks its share of the files and posts back each file's own result. Its input is data only:
// the root, the paths, the config files' bytes and the config already checked by the main thread.
import { parentPort, workerData } from "node:worker_threads";
import type { InstitutionConfig } from "../../lib/config/model";
import { knownConfig } from "../../lib/config/parse";
import { readFilingFile } from "../../lib/filings/read";
import { fileResults } from "../../lib/validate";
import type { SourceFile } from "../../lib/yaml/strict";

export interface WorkerInput {
  readonly root: string;
  readonly paths: readonly string[];
  readonly configFiles: readonly SourceFile[];
  readonly institution: InstitutionConfig;
}

export function runWorker(input: WorkerInput): void {
  const config = knownConfig(input.institution, { files: new Map(input.configFiles.map((f) => [f.path, f])) });
  const results = fileResults(input.paths.map((p) => readFilingFile(input.root, p)), config);
  parentPort!.postMessage([...results]);
}

if (parentPort && (workerData as { filingWorker?: WorkerInput } | undefined)?.filingWorker) {
  runWorker((workerData as { filingWorker: WorkerInput }).filingWorker);
}
