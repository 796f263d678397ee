import { parseConfig } from "../../lib/config/parse";
import { readFilingFile } from "../../lib/filings/read";
import type { RegisterChange } from "../../lib/git/changes";
import type { WorkTree } from "../../lib/git/status";
import { msg, text, type Lang } from "../../lib/messages";
import { sortProblems, type Problem } from "../../lib/problems";
import { readStackFiles, stackOwnersOf } from "../../lib/stack-files/read";
import { validateRegister, type KnownFile } from "../../lib/validate";
import type { CliIo } from "./io";
import type { RegisterRoot } from "./options";
import { progress } from "./progress";
import { locatorOnDemand, type ValidationCache } from "./validate-cache";
import { defaultJobs, resultsInWorkers } from "./validate-workers";

/** From this many files to parse a check takes over two seconds here, start-up included. */
const LARGE_CHECK = 1000;

export interface CheckOptions {
  /** The cache as read, or none (--no-cache). */
  readonly cache?: ValidationCache;
  readonly cacheFile?: string;
  /** --jobs; default: one worker per core from 1,000 files to parse. */
  readonly jobs?: number;
  readonly lang: Lang;
  /** Progress is shown only for text output on a terminal. */
  readonly json: boolean;
}

/**
 * The whole register's problems (the stack files' included), the edge of `filing validate`: files
 * the cache knows are not read, the others are parsed here or in worker threads, the register
 * rules run on every file's facts, and the cache is brought up to date.
 */
export async function checkRegister(io: CliIo, register: RegisterRoot, paths: readonly string[], tree: WorkTree | undefined, change: RegisterChange | undefined, options: CheckOptions): Promise<Problem[]> {
  const { cache } = options;
  const cached = cache?.split(register.root, paths, tree);
  const missing = cached ? cached.missing : paths;
  const read = (rel: string) => (cached ? cached.read(rel) : readFilingFile(register.root, rel));
  // A large check takes seconds; say so on a terminal (the check itself holds the event loop).
  const shown = missing.length >= LARGE_CHECK ? await progress(io, options.lang, { json: options.json }) : undefined;
  shown?.step(msg(`正在检查 ${missing.length} 份备案…`, `Checking ${missing.length} filings…`));
  const configResult = cache?.configResult ?? parseConfig(register.config);
  const stackFiles = readStackFiles(register.root);
  const stacks = cache ? cache.stackOwners(stackFiles) : stackOwnersOf(stackFiles);
  const jobs = Math.min(options.jobs ?? defaultJobs(missing.length), missing.length);
  let parsed: KnownFile[] = [];
  let toParse = missing;
  if (jobs > 1 && configResult.loaded) {
    // Worker threads read and check the files; the register rules run here on what they found.
    const results = await resultsInWorkers(register.root, missing, register.config, configResult.loaded, jobs);
    parsed = [...results].map(([rel, r]) => ({ path: rel, result: r, source: locatorOnDemand(register.root, rel) }));
    toParse = [];
  }
  const result = validateRegister({
    filings: toParse.map(read),
    known: [...(cached?.known ?? []), ...parsed],
    config: register.config,
    configResult,
    today: register.today,
    change,
    stacks: stacks.owners,
  });
  shown?.done();
  const results = new Map([...result.results, ...parsed.map((k) => [k.path, k.result] as const)]);
  if (cached && result.config && !cached.save(results, result.configResult)) {
    io.stderr(`${text(msg(`提示：无法写入缓存 ${options.cacheFile}，下次检查仍会逐个解析文件。`, `Note: could not write the cache ${options.cacheFile}; the next check parses every file again.`), options.lang)}\n`);
  }
  return sortProblems([...stacks.problems, ...result.problems]);
}
