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

/** What the engine tells a resource policy and a stack policy alike about one resource. */
function describe(r: ResourceRecord) {
  const props = unknownCheckingProxy(r.inputs) as Record<string, any>;
  const isType = (cls: any): boolean => cls?.__pulumiType === r.type;
  return { type: r.type, props, urn: r.urn, name: r.name, opts: options(r), isType, asType: (cls: any) => (isType(cls) ? props : undefined) };
}

/** Runs one validation; a policy that declares itself not applicable reports nothing. */
async function unlessNotApplicable(validation: () => Promise<void> | void): Promise<void> {
  try {
    await validation();
  } catch (e) {
    if (!(e instanceof NotApplicable)) throw e;
  }
}

export async function runPolicies(policies: Policies, resources: readonly ResourceRecord[], config: PackConfig): Promise<PolicyViolation[]> {
  const violations: PolicyViolation[] = [];
  const stackTags = new Map<string, string>();
  const getConfig = <T extends object>(): T => config as T;

  for (const policy of policies) {
    const enforcementLevel = policy.enforcementLevel ?? "advisory";
    if (enforcementLevel === "disabled") continue;
    const reporter = (urn?: string) => (message: string, at?: string) => {
      violations.push({ policy: policy.name, enforcementLevel, message, urn: at ?? urn });
    };
    if ("validateResource" in policy && policy.validateResource) {
      const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
      for (const r of resources) {
        const args = { ...describe(r), stackTags, getConfig, notApplicable } as ResourceValidationArgs;
        for (const validate of validations) await unlessNotApplicable(() => validate(args, reporter(r.urn)));
      }
    }
    if ("validateStack" in policy) {
      const byUrn = new Map<string, PolicyResource>();
      const list: PolicyResource[] = resources.map((r) => {
        const resource = { ...describe(r), dependencies: [], propertyDependencies: {} } as PolicyResource;
        byUrn.set(r.urn, resource);
        return resource;
      });
      resources.forEach((r, i) => {
        if (r.parent) list[i]!.parent = byUrn.get(r.parent);
      });
      const args: StackValidationArgs = { resources: list, stackTags, getConfig, notApplicable };
      await unlessNotApplicable(() => policy.validateStack(args, reporter()));
    }
  }
  return violations;
}
