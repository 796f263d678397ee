/**
 * `npm run bench`: for N = 1,000 and 10,000 generated filings, times full validation and ajv-cli
 * validating the same files against the schema alone; then issue 19's targets, whole processes
 * taking turns: start-up on the sample against `node -e 0`, the PR mode, warm and cold full
 * validation at 10,000 against ajv-cli, and `filing policy` at 2,000 and 4,000 (CPU against
 * `filing plan`, peak RSS). Beside the validation targets it prints their floors, measured in the
 * same turns: what no version of `filing validate` can go below while it keeps its parser and
 * its start-up (bench/yaml-floor.ts). Issue 2's in-process targets are retired (issue 19).
 * Then the program registration benchmark (bench/program-run.ts) and the policy pack benchmark
 * (bench/policy-run.ts), and the engine on the simulated vCenter (bench/engine-run.ts).
 * Then the department desk (bench/desk-run.ts).
 * `npm run bench -- validate`, `-- program`, `-- policy`, `-- engine` or `-- desk` runs one of them.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { filingPaths } from "../lib/filings/read";
import { printTable, REPO, verdict, withGeneratedRegisters } from "./support";
import { printPolicyBench } from "./policy-run";
import { printProgramBench } from "./program-run";
import { printEngineBench } from "./engine-run";
import { printDeskBench } from "./desk-run";
import { defaultJobs } from "../scripts/cli/validate-workers";

const RUNS = 3;

/** Best of RUNS for each function, the functions taking turns so both see the same heap and machine state. */
function bestInTurns(fns: readonly (() => void)[], before: () => void = () => {}): number[] {
  const mins = fns.map(() => Infinity);
  for (let i = 0; i < RUNS; i++) {
    fns.forEach((fn, j) => {
      before();
      const t0 = performance.now();
      fn();
      mins[j] = Math.min(mins[j]!, performance.now() - t0);
    });
  }
  return mins;
}

interface ProcessTime {
  readonly ms: number;
  readonly status: number | null;
}

/**
 * Each command as a process, best of RUNS in turns, with the exit status of its last run.
 * `before`, untimed, runs ahead of each command's run (to put a cache back, say).
 */
function processTimes(commands: readonly string[][], before: () => void = () => {}): ProcessTime[] {
  const statuses: (number | null)[] = commands.map(() => null);
  const ms = bestInTurns(
    commands.map((args, i) => () => {
      statuses[i] = spawnSync(process.execPath, args, { cwd: REPO, encoding: "utf8", maxBuffer: 1 << 28 }).status;
    }),
    before,
  );
  return commands.map((_, i) => ({ ms: ms[i]!, status: statuses[i]! }));
}

function ajvCliArgs(filingsGlob: string): string[] {
  return [
    path.join(REPO, "node_modules/ajv-cli/dist/index.js"), "validate", "--spec=draft7", "-c", "ajv-formats",
    "-s", path.join(REPO, "filings/filing.schema.json"), "-d", filingsGlob,
  ];
}

function printValidationBench(): void {
  const rows: string[][] = [];
  for (const n of [1_000, 10_000]) {
    withGeneratedRegisters([n], "bench-register", (dirs) => {
      const dir = dirs.get(n)!;
      const [cli, ajvCli] = processTimes([
        [path.join(REPO, "scripts/filing.js"), "validate", "--root", dir, "--format", "json", "--today", "2026-11-23", "--no-cache"],
        ajvCliArgs(`${dir}/filings/*/*.yaml`),
      ]) as [ProcessTime, ProcessTime];
      if (cli.status !== 0) throw new Error(`filing validate exited ${cli.status} on the generated register`);
      if (ajvCli.status !== 0) throw new Error(`ajv-cli exited ${ajvCli.status} on the generated register`);
      rows.push([String(n), cli.ms.toFixed(0), ajvCli.ms.toFixed(0), (cli.ms / ajvCli.ms).toFixed(2)]);
    });
  }
  // Whole processes only: in one process a repeated run hits the parse memo (lib/filings/parse.ts).
  console.log(`best of ${RUNS} runs, whole processes, filing validate without its cache`);
  printTable(["filings", "filing validate ms", "ajv-cli ms", "filing/ajv-cli"], rows);
  // What a department waits for: one command on the repository's own register, start-up included.
  const [sample, sampleAjv] = processTimes([
    [path.join(REPO, "scripts/filing.js"), "validate", "--today", "2026-11-23"],
    ajvCliArgs(path.join(REPO, "filings/*/*.yaml")),
  ]) as [ProcessTime, ProcessTime];
  // The generated filings quote their dates; the sample's are plain, as departments write them.
  const ajvNote = sampleAjv.status === 0 ? "" : "; it rejects the filings whose dates are unquoted, which its js-yaml 3 reads as YAML 1.1 timestamps";
  console.log(`sample register (${filingPaths(REPO).length} filings), start-up included: filing validate ${sample.ms.toFixed(0)} ms (exit ${sample.status}), ajv-cli ${sampleAjv.ms.toFixed(0)} ms (exit ${sampleAjv.status}${ajvNote})`);
  printSpeedTargets();
}

/**
 * Issue 19's targets, whole processes taking turns in one run (ratios only: this machine is noisy).
 * `filing` runs as a user's does: from the bundle when it is fresh (npm ci builds it), else through tsx.
 */
function printSpeedTargets(): void {
  const filing = path.join(REPO, "scripts/filing.js");
  console.log(`\nIssue 19 targets (whole processes; filing from ${require("../scripts/bundle.js").fresh() ? "the bundle" : "tsx: the bundle is missing or stale, npm run build"})`);
  const [node, startUp] = processTimes([["-e", "0"], [filing, "validate", "--today", "2026-11-23"]]) as [ProcessTime, ProcessTime];
  const startRatio = startUp.ms / node.ms;
  console.log(`start-up on the sample register ≤ 3× node -e 0: ${verdict(startRatio <= 3)} (${startUp.ms.toFixed(0)} vs ${node.ms.toFixed(0)} ms, ${startRatio.toFixed(2)}×)`);
  withGeneratedRegisters([10_000], "bench-targets", (dirs) => {
    const dir = dirs.get(10_000)!;
    // A repository with the register committed and its cache written by a run on it: main's state.
    const git = (...args: string[]) => spawnSync("git", ["-c", "user.name=bench", "-c", "user.email=bench@example.edu.cn", ...args], { cwd: dir, encoding: "utf8" });
    git("init", "-q");
    git("add", "-A");
    git("commit", "-qm", "register");
    const validate = [filing, "validate", "--root", dir, "--format", "json", "--today", "2026-11-23"];
    const primed = spawnSync(process.execPath, validate, { cwd: REPO, encoding: "utf8", maxBuffer: 1 << 28 });
    if (primed.status !== 0) throw new Error(`filing validate exited ${primed.status} on the generated register`);
    const cacheFile = path.join(dir, ".cache/filing/validate.json");
    const baseCache = fs.readFileSync(cacheFile);
    const floor = yamlFloorArgs(dir);
    const sampleRun = [filing, "validate", "--today", "2026-11-23"];
    const [ajv, cold, warm, parseOnly, sample] = processTimes([ajvCliArgs(`${dir}/filings/*/*.yaml`), [...validate, "--no-cache"], validate, floor.args, sampleRun]) as [ProcessTime, ProcessTime, ProcessTime, ProcessTime, ProcessTime];
    if (parseOnly.status !== 0) throw new Error(`bench/yaml-floor.ts exited ${parseOnly.status}`);
    // Then a pull request changes one filing; each of its runs starts from the base's cache, as in CI.
    const one = path.join(dir, "filings/d0/server-1.yaml");
    fs.writeFileSync(one, fs.readFileSync(one, "utf8").replace("测试应用系统 1", "测试应用系统 1（修改）"));
    git("checkout", "-qb", "pull-request");
    git("commit", "-qam", "one changed filing");
    const [prAjv, pr] = processTimes([ajvCliArgs(`${dir}/filings/*/*.yaml`), [...validate, "--changed-since", "main"]], () => fs.writeFileSync(cacheFile, baseCache)) as [ProcessTime, ProcessTime];
    const line = (name: string, t: ProcessTime, against: ProcessTime, max: number) =>
      console.log(`${name} ≤ ${max}× ajv-cli: ${verdict(t.ms / against.ms <= max)} (${t.ms.toFixed(0)} vs ${against.ms.toFixed(0)} ms, ${(t.ms / against.ms).toFixed(2)}×)`);
    line("PR mode at 10,000 (one changed filing, --changed-since, the base's cache)", pr, prAjv, 0.25);
    line("warm full validation at 10,000 (no change)", warm, ajv, 0.3);
    // A warm or PR run at 10,000 does all a warm run on the small sample does, and reads 10,000 files' facts besides.
    floorLine(`the command's start-up (a warm filing validate on the ${filingPaths(REPO).length}-filing sample)`, sample, ajv);
    line("cold full validation at 10,000 (--no-cache)", cold, ajv, 2.0);
    floorLine(`reading and yaml-parsing the 10,000 files in ${floor.jobs} worker threads, nothing else (bench/yaml-floor.ts)`, parseOnly, ajv);
    console.log("cold full validation ≤ 1.0× conftest: skipped (conftest is not built here; it builds from the Go module proxy in about 13 minutes)");
  });
  printPolicyTargets(filing);
}

/**
 * Not a target: a part of `filing validate` that it cannot go below, against ajv-cli's run in the
 * same turns, so that a target set under it reads as such.
 */
function floorLine(name: string, t: ProcessTime, ajv: ProcessTime): void {
  console.log(`  floor, not a target: ${name}: ${t.ms.toFixed(0)} ms, ${(t.ms / ajv.ms).toFixed(2)}× ajv-cli`);
}

/**
 * bench/yaml-floor.ts bundled as the command is (scripts/bundle.js), with the worker count `filing
 * validate` picks. The bundle is written into the register's folder, which withGeneratedRegisters
 * removes; the validation runs ask git only about filings/.
 */
function yamlFloorArgs(dir: string): { args: string[]; jobs: number } {
  const out = path.join(dir, "yaml-floor.cjs");
  require("esbuild").buildSync({ entryPoints: [path.join(__dirname, "yaml-floor.ts")], bundle: true, platform: "node", format: "cjs", target: "node20", outfile: out, logLevel: "error" });
  const jobs = defaultJobs(filingPaths(dir).length);
  return { args: [out, dir, String(jobs)], jobs };
}

/** CPU seconds and peak RSS of one process, from GNU time. */
function cpuAndRss(args: string[]): { cpu: number; rssMiB: number } | undefined {
  const r = spawnSync("/usr/bin/time", ["-f", "%U %S %M", process.execPath, ...args], { cwd: REPO, encoding: "utf8", maxBuffer: 1 << 28 });
  const last = r.stderr.trim().split("\n").pop() ?? "";
  const m = /^([\d.]+) ([\d.]+) (\d+)$/.exec(last);
  return m ? { cpu: Number(m[1]) + Number(m[2]), rssMiB: Number(m[3]) / 1024 } : undefined;
}

function printPolicyTargets(filing: string): void {
  if (!fs.existsSync("/usr/bin/time")) {
    console.log("filing policy targets: skipped (GNU time, Debian's package time, measures CPU and peak RSS)");
    return;
  }
  withGeneratedRegisters([2_000, 4_000], "bench-policy-targets", (dirs) => {
    const at = (n: number) => {
      const dir = dirs.get(n)!;
      fs.cpSync(path.join(REPO, "stacks"), path.join(dir, "stacks"), { recursive: true });
      const today = ["--today", "2026-11-23"];
      return { policy: cpuAndRss([filing, "policy", "--root", dir, "--format", "json", ...today]), plan: cpuAndRss([filing, "plan", "--root", dir, "--format", "json", ...today]) };
    };
    const small = at(2_000);
    const large = at(4_000);
    if (!small.policy || !small.plan || !large.policy) {
      console.log("filing policy targets: could not read GNU time's figures");
      return;
    }
    const cpuRatio = small.policy.cpu / small.plan.cpu;
    const scale = large.policy.cpu / small.policy.cpu;
    console.log(`filing policy at 2,000 ≤ 2× filing plan --format json in CPU: ${verdict(cpuRatio <= 2)} (${small.policy.cpu.toFixed(1)} vs ${small.plan.cpu.toFixed(1)} s, ${cpuRatio.toFixed(2)}×)`);
    console.log(`filing policy at 2,000 peak RSS ≤ 350 MiB: ${verdict(small.policy.rssMiB <= 350)} (${small.policy.rssMiB.toFixed(0)} MiB)`);
    console.log(`filing policy 4,000/2,000 CPU ≤ 2.1: ${verdict(scale <= 2.1)} (${large.policy.cpu.toFixed(1)} / ${small.policy.cpu.toFixed(1)} s, ${scale.toFixed(2)})`);
  });
}

const which = process.argv[2];
const all = which === undefined;
if (all || which === "validate") printValidationBench();
if (all || which === "program") printProgramBench();
if (all || which === "policy") printPolicyBench();
// The asynchronous ones one after the other: neither is measured beside the other's load.
(async () => {
  if (all || which === "desk") await printDeskBench();
  if (all || which === "engine") await printEngineBench();
})().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
