/**
 * Two steps, each in its own process, as under Pulumi (the program and the pack run apart):
 * - `tsx bench/policy.ts record <register-root> <stack> <out.json>` runs the program under the mocks
 *   and writes what it registered, with the pack config for that stack;
 * - `tsx bench/policy.ts measure <out.json>` times the whole pack over those resources, best of five
 *   each: a fresh pack's first evaluation (register load included), the register load alone, and
 *   the policies with the register loaded (best of nine). Prints {resources, violations, freshMs, loadMs, policiesMs}.
 */
import fs from "node:fs";
import { checkStackConfig } from "../lib/stack-files/config";
import { readFilingFiles } from "../lib/filings/read";
import { readConfigFiles } from "../lib/config/read";
import { contextFor, forgetContexts } from "../policies/context";
import { runPolicies, type ResourceRecord } from "../policies/in-process";
import type { PackConfig } from "../policies/context";
import { policies } from "../policies/policies";
import { simulateProgram, simulatedZoneNetworks } from "../stacks/simulate";
import { stackInput } from "../test/helpers/stack";

const RUNS = 5;
/** The policies alone take a few hundred ms, where one collection or a busy core is a large share: more tries. */
const POLICY_RUNS = 9;
/** Started with --expose-gc: each timed run starts from a collected heap, not the previous run's garbage. */
const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});
const TODAY = "2026-11-23";

async function best(fn: () => Promise<unknown> | unknown, runs = RUNS): Promise<number> {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    collect();
    const t0 = performance.now();
    await fn();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

async function record(root: string, stack: string, out: string): Promise<void> {
  const input = stackInput(stack);
  const resources = await simulateProgram({ register: { filings: readFilingFiles(root), config: readConfigFiles(root), today: TODAY }, stack: input });
  const config: PackConfig = { root, today: TODAY, zoneNetworks: simulatedZoneNetworks(checkStackConfig(input).config!) };
  fs.writeFileSync(out, JSON.stringify({ config, resources }));
}

async function measure(file: string): Promise<void> {
  const { config, resources } = JSON.parse(fs.readFileSync(file, "utf8")) as { config: PackConfig; resources: ResourceRecord[] };
  let violations = -1;
  const evaluate = async () => {
    violations = (await runPolicies(policies, resources, config)).length;
  };
  const freshMs = await best(async () => {
    forgetContexts();
    await evaluate();
  });
  const loadMs = await best(() => {
    forgetContexts();
    contextFor(config);
  });
  const policiesMs = await best(evaluate, POLICY_RUNS);
  console.log(JSON.stringify({ resources: resources.length, violations, freshMs, loadMs, policiesMs }));
}

async function main(): Promise<void> {
  const [step, ...args] = process.argv.slice(2);
  if (step === "record" && args.length === 3) return record(args[0]!, args[1]!, args[2]!);
  if (step === "measure" && args.length === 1) return measure(args[0]!);
  throw new Error("usage: tsx bench/policy.ts record <register-root> <stack> <out.json> | measure <out.json>");
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
