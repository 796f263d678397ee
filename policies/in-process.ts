import {
  unknownCheckingProxy,
  type EnforcementLevel,
  type Policies,
  type PolicyResource,
  type PolicyResourceOptions,
  type ResourceValidationArgs,
  type StackValidationArgs,
} from "@pulumi/policy";
import type { PackConfig } from "./context";

/**
 * Runs the pack's policies the way the engine calls them — props behind the same unknown-checking
 * proxy, per-resource then per-stack, options included — but in this process, so tests and
 * `filing policy` need no Pulumi CLI.
 */

/** A resource as a program registered it. */
export interface ResourceRecord {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  /** Parent URN; empty or undefined for none. */
  readonly parent?: string;
  readonly inputs: Record<string, unknown>;
  readonly protect: boolean;
  readonly ignoreChanges?: readonly string[];
}

export interface PolicyViolation {
  readonly policy: string;
  readonly enforcementLevel: EnforcementLevel;
  readonly message: string;
  /** The resource the violation is about, when there is one. */
  readonly urn?: string;
}

class NotApplicable extends Error {}

function notApplicable(reason?: string): never {
  throw new NotApplicable(reason);
}

function options(r: ResourceRecord): PolicyResourceOptions {
  return {
    protect: r.protect,
    ignoreChanges: [...(r.ignoreChanges ?? [])],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
    parent: r.parent || undefined,
  };
}

// The stack list and the per-resource arguments below are built field by field, not from one shared
// helper spread into both: the spread version measured about 30% slower at 4,000 VMs (bench/policy.ts).
const isType = (type: string) => (cls: any): boolean => cls?.__pulumiType === type;

/**
 * The stack as stack policies see it, parents linked. The engine rebuilds this list for each stack
 * policy; here it is built once and shared, since policies only read it, and five copies of every
 * resource were most of the runner's own garbage at thousands of VMs.
 */
function policyResources(resources: readonly ResourceRecord[]): PolicyResource[] {
  const byUrn = new Map<string, PolicyResource>();
  const list: PolicyResource[] = resources.map((r) => {
    const props = unknownCheckingProxy(r.inputs) as Record<string, any>;
    const resource: PolicyResource = {
      type: r.type,
      props,
      urn: r.urn,
      name: r.name,
      opts: options(r),
      dependencies: [],
      propertyDependencies: {},
      isType: isType(r.type),
      asType: ((cls: any) => (isType(r.type)(cls) ? props : undefined)) as PolicyResource["asType"],
    };
    byUrn.set(r.urn, resource);
    return resource;
  });
  resources.forEach((r, i) => {
    if (r.parent) list[i]!.parent = byUrn.get(r.parent);
  });
  return list;
}

export async function runPolicies(policies: Policies, resources: readonly ResourceRecord[], config: PackConfig): Promise<PolicyViolation[]> {
  const violations: PolicyViolation[] = [];
  const stackTags = new Map<string, string>();
  const getConfig = <T extends object>(): T => config as T;
  const active = policies.filter((p) => (p.enforcementLevel ?? "advisory") !== "disabled");
  const reporter = (policy: Policies[number], urn?: string) => (message: string, at?: string) => {
    violations.push({ policy: policy.name, enforcementLevel: policy.enforcementLevel ?? "advisory", message, urn: at ?? urn });
  };

  // As the engine does: one analysis per resource, every resource policy in turn, then the stack.
  for (const r of resources) {
    const props = unknownCheckingProxy(r.inputs) as Record<string, any>;
    const args: ResourceValidationArgs = {
      type: r.type,
      props,
      urn: r.urn,
      name: r.name,
      opts: options(r),
      stackTags,
      isType: isType(r.type),
      asType: ((cls: any) => (isType(r.type)(cls) ? props : undefined)) as ResourceValidationArgs["asType"],
      getConfig,
      notApplicable,
    };
    for (const policy of active) {
      if (!("validateResource" in policy) || !policy.validateResource) continue;
      const report = reporter(policy, r.urn);
      for (const validate of Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource]) {
        try {
          await validate(args, report);
        } catch (e) {
          if (!(e instanceof NotApplicable)) throw e;
        }
      }
    }
  }
  let stackResources: PolicyResource[] | undefined;
  for (const policy of active) {
    if (!("validateStack" in policy)) continue;
    stackResources ??= policyResources(resources);
    const args: StackValidationArgs = { resources: stackResources, stackTags, getConfig, notApplicable };
    try {
      await policy.validateStack(args, reporter(policy));
    } catch (e) {
      if (!(e instanceof NotApplicable)) throw e;
    }
  }
  return violations;
}
