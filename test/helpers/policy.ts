import { runPolicies, type PolicyViolation, type ResourceRecord } from "../../policies/in-process";
import type { PackConfig } from "../../policies/context";
import { policies } from "../../policies/policies";
import { checkStackConfig } from "../../lib/stack-files/config";
import type { RegisterInput } from "../../lib/validate";
import { simulateProgram, simulatedZoneNetworks, type Registered } from "../../stacks/simulate";
import { REPO, TODAY, sampleConfig, sampleFilings } from "./register";
import { stackInput, type STACKS } from "./stack";

export type Stack = (typeof STACKS)[number];

export const sampleRegister = (today = TODAY): RegisterInput => ({ filings: sampleFilings, config: sampleConfig, today });

/** What the program registers for the sample register on `stack`, under the mocks. */
export function programResources(stack: Stack, register: RegisterInput = sampleRegister()): Promise<Registered[]> {
  return simulateProgram({ register, stack: stackInput(stack) });
}

/** The pack's config for a stack as `filing policy` sets it: this repository, TODAY, the simulated network ids. */
export function packConfig(stack: Stack, extra: PackConfig = {}): PackConfig {
  const config = checkStackConfig(stackInput(stack)).config!;
  return { root: REPO, today: TODAY, zoneNetworks: simulatedZoneNetworks(config), ...extra };
}

const CJK = /[\u4e00-\u9fff]/;

/**
 * Runs the whole pack in-process. Every message must read Chinese first and English after it, on
 * its own line; a message that does not fails the test that produced it.
 */
export async function check(resources: readonly ResourceRecord[], config: PackConfig): Promise<PolicyViolation[]> {
  const violations = await runPolicies(policies, resources, config);
  for (const v of violations) {
    const [zh, en, ...rest] = v.message.split("\n");
    if (!zh || !CJK.test(zh) || !en || !/^[\x20-\x7e]/.test(en) || rest.length) {
      throw new Error(`${v.policy}: message is not "Chinese\nEnglish": ${JSON.stringify(v.message)}`);
    }
  }
  return violations;
}

/** A deep copy of `resources` with the VM resource of `filingId` changed by `change`. */
export function withVm(resources: readonly Registered[], filingId: string, change: (vm: Registered) => void): Registered[] {
  const copy = structuredClone(resources) as Registered[];
  const vm = copy.find((r) => r.name === filingId && r.custom && /VirtualMachine|VmLegacy/.test(r.type));
  if (!vm) throw new Error(`no VM for ${filingId}`);
  change(vm);
  return copy;
}

/** The violations as "<policy>" names, sorted, for comparing whole sets. */
export function policyNames(violations: readonly PolicyViolation[]): string[] {
  return [...new Set(violations.map((v) => v.policy))].sort();
}
