import type { StackValidationPolicy } from "@pulumi/policy";
import { missingVmViolations, quotaViolations } from "../lib/compliance/stack";
import { PACK_CONFIG_SCHEMA, projectOf, type PackConfig } from "./context";
import { projectOfUrn, stackOfUrn, stackVmValidation } from "./observe";

export const departmentQuota: StackValidationPolicy = {
  name: "stack-department-quota",
  description: "Per department, the VMs of the stack stay within the department's quota of vCPU, memory and disk.",
  enforcementLevel: "mandatory",
  configSchema: PACK_CONFIG_SCHEMA,
  validateStack: stackVmValidation(quotaViolations),
};


/** Only this program's stacks must hold the whole register; other programs at the school hold what they hold. */
export const everyFilingProvisioned: StackValidationPolicy = {
  name: "stack-every-filing-provisioned",
  description: "A stack of the filings program has a VM for every active virtual filing it owns (server-filings:owns): none is silently dropped.",
  enforcementLevel: "mandatory",
  configSchema: PACK_CONFIG_SCHEMA,
  validateStack(args, reportViolation) {
    const config = args.getConfig<PackConfig>();
    const project = args.resources.map((r) => projectOfUrn(r.urn)).find((p) => p !== undefined);
    if (project !== projectOf(config)) args.notApplicable(`stacks of project ${projectOf(config)} only`);
    const stack = args.resources.map((r) => stackOfUrn(r.urn)).find((s) => s !== undefined);
    return stackVmValidation((vms, ctx) => missingVmViolations(vms, ctx, stack))(args, reportViolation);
  },
};
