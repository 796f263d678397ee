/**
 * Policy evaluation benchmark (issue 4): for 2,000 and 4,000 generated filings and both example
 * stacks, one process runs the program under the mocks and saves its resources, and a fresh process
 * times the whole pack over them (bench/policy.ts), as Pulumi runs program and pack apart. Reported: the policies' own time (register
 * loaded), the register load a fresh pack process adds once (the same read + validate + plan as
 * `filing validate`, whose speed bench/run.ts tracks), and both together.
 * Targets on the policies' time: 2,000 filings in ≤ 1 s, 4,000 in ≤ 2.2× that (linear).
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { printTable, REPO, SIZES, STACKS, verdict, withGeneratedRegisters } from "./support";

interface Measure {
  resources: number;
  violations: number;
  freshMs: number;
  loadMs: number;
  policiesMs: number;
}

function step(args: string[]): string {
  const r = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", path.join(REPO, "bench/policy.ts"), ...args], { cwd: REPO, encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`bench/policy.ts ${args[0]} failed: ${r.stderr}`);
  return r.stdout;
}

function measure(root: string, stack: string): Measure {
  const file = path.join(root, `resources-${stack}.json`);
  step(["record", root, stack, file]);
  const m = JSON.parse(step(["measure", file]).trim().split("\n").pop()!) as Measure;
  if (m.violations !== 0) throw new Error(`the pack found ${m.violations} violations in the generated register on ${stack}`);
  return m;
}

export function printPolicyBench(): void {
  const rows: string[][] = [];
  withGeneratedRegisters(SIZES, "bench-policy", (dirs) => {
    for (const stack of STACKS) {
      const [small, large] = SIZES.map((n) => measure(dirs.get(n)!, stack)) as [Measure, Measure];
      const ratio = large.policiesMs / small.policiesMs;
      [small, large].forEach((m, i) => {
        rows.push([
          stack,
          String(SIZES[i]),
          String(m.resources),
          m.policiesMs.toFixed(0),
          i === 1 ? ratio.toFixed(2) : "",
          i === 1 ? verdict(small.policiesMs <= 1000 && ratio <= 2.2) : "",
          m.loadMs.toFixed(0),
          m.freshMs.toFixed(0),
        ]);
      });
    }
  });
  const header = ["stack", "filings", "resources", "policies ms", "4k/2k", "target (2k ≤ 1 s, ≤ 2.2×)", "register load ms", "fresh pack ms"];
  console.log("\npolicy pack over the program's resources, in-process, best of 5 from a collected heap (policies alone: best of 9), one process per row");
  console.log("policies: every policy, register loaded; register load: read + validate + plan, once per pack process; fresh pack: both");
  printTable(header, rows);
}
