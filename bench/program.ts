/**
 * One measurement, run in its own process so peak memory is this run's alone:
 * `tsx bench/program.ts <register-root> <stack>` reads the register, runs the Pulumi program under
 * mocks until every resource is registered, and prints {ms, readMs, peakRssMiB, vms, pending} as JSON.
 */
import { readFilingFiles } from "../lib/filings/read";
import { readConfigFiles } from "../lib/config/read";
import { defineProgram } from "../stacks/program";
import { installMocks, record, resolved, settle } from "../stacks/simulate";
import { stackInput } from "../test/helpers/stack";

async function main(): Promise<void> {
  const [root, stack] = process.argv.slice(2);
  if (!root || !stack) throw new Error("usage: tsx bench/program.ts <register-root> <stack>");
  await installMocks({ keep: false, echo: false });
  const t0 = performance.now();
  const register = { filings: readFilingFiles(root), config: readConfigFiles(root), today: "2026-11-23" };
  const t1 = performance.now();
  const outputs = await defineProgram({ register, stack: stackInput(stack) });
  await Promise.all(Object.values(outputs).flatMap((o) => (o.platformId ? [resolved(o.platformId)] : [])));
  await settle();
  const ms = performance.now() - t0;
  const vms = Object.values(outputs).filter((o) => o.platformId).length;
  // ru_maxrss is in KiB on Linux.
  console.log(JSON.stringify({ ms, readMs: t1 - t0, peakRssMiB: process.resourceUsage().maxRSS / 1024, vms, pending: record.pending }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
