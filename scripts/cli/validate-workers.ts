import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { LoadedConfig } from "../../lib/config/parse";
import type { ConfigSources } from "../../lib/config/parse";
import type { FileResult } from "../../lib/validate";
import type { WorkerInput } from "./validate-worker";

/**
 * From this many files to parse, `filing validate` spreads them over worker threads. A worker
 * takes about 0.1 s to start here and a filing about 0.4 ms to parse, so below this the threads
 * cost more than they save.
 */
export const PARALLEL_FROM = 1000;

/** As many workers as cores, at most 4: parsing is CPU-bound and each worker holds its own heap. */
export function defaultJobs(files: number): number {
  return files < PARALLEL_FROM ? 1 : Math.min(4, os.availableParallelism());
}

/**
 * Parsing YAML makes many short-lived objects. With V8's default young generation a third of a
 * worker's time went to collecting them; a larger one collects far less often (measured at 10,000
 * filings: 6.1 s → 5.0 s on one thread). Each worker holds at most this much more memory.
 */
export const YOUNG_GENERATION_MB = 192;

declare const FILING_WORKER_FILE: string | undefined;

/** The worker's script: the prebuilt one beside the bundle, else the TypeScript source through tsx. */
function workerScript(): { file: string; execArgv: string[] } {
  if (typeof FILING_WORKER_FILE === "string") return { file: path.join(__dirname, FILING_WORKER_FILE), execArgv: [] };
  return { file: path.join(__dirname, "validate-worker.ts"), execArgv: ["--require", require.resolve("tsx/cjs")] };
}

/**
 * Each file's own result, computed by `jobs` worker threads, each reading and checking an equal
 * share. A worker that fails fails the whole check (never a partial answer).
 */
export async function resultsInWorkers(root: string, paths: readonly string[], config: ConfigSources, loaded: LoadedConfig, jobs: number): Promise<Map<string, FileResult>> {
  const script = workerScript();
  const shares = Array.from({ length: jobs }, (_, j) => paths.filter((_, i) => i % jobs === j));
  const answers = await Promise.all(
    shares.map(
      (share) =>
        new Promise<[string, FileResult][]>((resolve, reject) => {
          const input: WorkerInput = { root, paths: share, configFiles: [...config.files.values()], institution: loaded.config };
          const worker = new Worker(script.file, { workerData: { filingWorker: input }, execArgv: script.execArgv, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
          let answer: [string, FileResult][] | undefined;
          worker.once("message", (m: [string, FileResult][]) => (answer = m));
          worker.once("error", reject);
          worker.once("exit", (code) => (answer && code === 0 ? resolve(answer) : reject(new Error(`a validation worker exited with code ${code} before answering`))));
        }),
    ),
  );
  return new Map(answers.flat());
}
