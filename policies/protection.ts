import type { ResourceValidationPolicy } from "@pulumi/policy";
import { protectionViolations } from "../lib/compliance/vm";
import { PACK_CONFIG_SCHEMA } from "./context";
import { report, reviewVm } from "./observe";

export const vmProtected: ResourceValidationPolicy = {
  name: "vm-protected",
  description: "VMs are protected (resource option protect, and Proxmox protection) unless their filing is decommissioned.",
  enforcementLevel: "mandatory",
  configSchema: PACK_CONFIG_SCHEMA,
  validateResource(args, reportViolation) {
    const review = reviewVm(args);
    if (!review) return;
    const server = "server" in review.lookup ? review.lookup.server : undefined;
    report(reportViolation, protectionViolations(review.vm, server, args.opts.protect, args.name));
  },
};
