/**
 * Program registration benchmark (issue 3): for 2,000 and 4,000 generated filings and both example
 * stacks, runs bench/program.ts in a fresh process (with Pulumi.yaml's nodeargs, if any, as `pulumi up`
 * would) and reports the best of three: total time, time spent registering, and peak memory.
 * Targets: 2,000 filings in ≤ 10 s; 4,000 in ≤ 2.2× the time of 2,000.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { printTable, REPO, SIZES, STACKS, verdict, withGeneratedRegisters } from "./support";

const RUNS = 3;

interface Measure {
  ms: number;
  readMs: number;
  peakRssMiB: number;
  vms: number;
}

const nodeargs: string[] = String(YAML.parse(fs.readFileSync(path.join(REPO, "Pulumi.yaml"), "utf8")).runtime?.options?.nodeargs ?? "")
  .split(/\s+/)
  .filter(Boolean);

function measure(root: string, stack: string): Measure {
  let best: Measure | undefined;
  for (let i = 0; i < RUNS; i++) {
    const r = spawnSync(process.execPath, [...nodeargs, "--import", "tsx", path.join(REPO, "bench/program.ts"), root, stack], {
      cwd: REPO,
      encoding: "utf8",
      maxBuffer: 1 << 26,
    });
    if (r.status !== 0) throw new Error(`bench/program.ts failed on ${stack}: ${r.stderr}`);
    const m = JSON.parse(r.stdout.trim().split("\n").pop()!) as Measure;
    if (!best || m.ms < best.ms) best = m;
  }
  return best!;
}

export function runProgramBench(): string[][] {
  const rows: string[][] = [];
  withGeneratedRegisters(SIZES, "bench-program", (dirs) => {
    for (const stack of STACKS) {
      const results = SIZES.map((n) => measure(dirs.get(n)!, stack));
      const [small, large] = results as [Measure, Measure];
      const ratio = large.ms / small.ms;
      const pass = small.ms <= 10_000 && ratio <= 2.2;
      SIZES.forEach((n, i) => {
        const m = results[i]!;
        rows.push([
          stack,
          String(n),
          String(m.vms),
          (m.ms / 1000).toFixed(1),
          ((m.ms - m.readMs) / 1000).toFixed(1),
          m.peakRssMiB.toFixed(0),
          i === 1 ? ratio.toFixed(2) : "",
          i === 1 ? verdict(pass) : "",
        ]);
      });
    }
  });
  return rows;
}

export function printProgramBench(): void {
  const rows = runProgramBench();
  const header = ["stack", "filings", "VMs", "total s", "validate+register s", "peak RSS MiB", "4k/2k", "target"];
  console.log(`program registration under mocks, best of ${RUNS}; node ${nodeargs.join(" ")}`);
  printTable(header, rows);
}
