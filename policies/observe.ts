import type { PolicyResource, ReportViolation, ResourceValidation, ResourceValidationArgs, StackValidation } from "@pulumi/policy";
import type { ComplianceContext } from "../lib/compliance/context";
import { readVm, VM_INPUT_KEYS, type ObservedVm } from "../lib/compliance/observed";
import type { StackViolation, StackVm } from "../lib/compliance/stack";
import { vmPlatform } from "../lib/compliance/tokens";
import { filingFor, type FilingLookup } from "../lib/compliance/vm";
import type { ServerSpec } from "../lib/plan/servers";
import { bilingual, LANGS, text, type Lang, type Message } from "../lib/messages";
import { contextFor, type PackConfig } from "./context";
import { plainProps } from "./props";

/** A VM resource as every VM policy sees it. */
export interface VmUnderReview {
  readonly vm: ObservedVm;
  readonly lookup: FilingLookup;
  readonly ctx: ComplianceContext;
}

/** The VM and its filing, or undefined when the resource is not a VM type the pack reads. */
export function reviewVm(args: ResourceValidationArgs): VmUnderReview | undefined {
  const platform = vmPlatform(args.type);
  if (!platform) return undefined;
  const ctx = contextFor(args.getConfig<PackConfig>());
  const vm = readVm(platform, plainProps(args.props, VM_INPUT_KEYS[platform]));
  return { vm, lookup: filingFor(vm, args.name, ctx), ctx };
}

/**
 * The language `filing preview` / `filing up` runs in (FILINGS_LANG, passed through the Pulumi CLI to
 * the pack); a plain `pulumi up` sets none and gets both languages, Chinese first.
 */
const LANG = LANGS.find((l) => l === process.env.FILINGS_LANG) as Lang | undefined;

export function report(reportViolation: ReportViolation, messages: readonly Message[], urn?: string): void {
  for (const m of messages) reportViolation(LANG ? text(m, LANG) : bilingual(m), urn);
}

/** The stack's VMs with their filings (undefined where a VM names none usable: vm-filing reports those). */
export function stackVms(resources: readonly PolicyResource[], ctx: ComplianceContext): StackVm[] {
  return resources.flatMap((r) => {
    const platform = vmPlatform(r.type);
    if (!platform) return [];
    const props = plainProps(r.props, VM_INPUT_KEYS[platform]);
    const vm = readVm(platform, props);
    const lookup = filingFor(vm, r.name, ctx);
    return [{ urn: r.urn, name: r.name, vm, server: "server" in lookup ? lookup.server : undefined, vmId: typeof props.vmId === "number" ? props.vmId : undefined }];
  });
}

/** A resource check of VMs that name a usable filing (vm-names-filing reports the others). */
export function filedVmValidation(check: (vm: ObservedVm, server: ServerSpec, ctx: ComplianceContext) => readonly Message[]): ResourceValidation {
  return (args, reportViolation) => {
    const review = reviewVm(args);
    if (review && "server" in review.lookup) report(reportViolation, check(review.vm, review.lookup.server, review.ctx));
  };
}

/** A stack check over the stack's VMs and their filings. */
export function stackVmValidation(check: (vms: StackVm[], ctx: ComplianceContext) => readonly StackViolation[]): StackValidation {
  return (args, reportViolation) => {
    const ctx = contextFor(args.getConfig<PackConfig>());
    for (const v of check(stackVms(args.resources, ctx), ctx)) report(reportViolation, [v.message], v.urn);
  };
}

/** `urn:pulumi:<stack>::<project>::<type>::<name>` → stack. */
export function stackOfUrn(urn: string): string | undefined {
  return /^urn:pulumi:([^:]+)::/.exec(urn)?.[1];
}

/** `urn:pulumi:<stack>::<project>::<type>::<name>` → project. */
export function projectOfUrn(urn: string): string | undefined {
  const m = /^urn:pulumi:[^:]*::([^:]+)::/.exec(urn);
  return m?.[1];
}
