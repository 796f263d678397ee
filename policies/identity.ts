import type { ResourceValidationPolicy } from "@pulumi/policy";
import { UNSUPPORTED_SERVER_TYPES } from "../lib/compliance/tokens";
import { msg } from "../lib/messages";
import { PACK_CONFIG_SCHEMA } from "./context";
import { report, reviewVm } from "./observe";

/** Every VM names exactly one filing of the register that is virtual and active or being decommissioned. */
export const vmNamesFiling: ResourceValidationPolicy = {
  name: "vm-names-filing",
  description: "A VM names exactly one filing of the approved register (Proxmox tag filing.<id>, vSphere annotation), and that filing is virtual.",
  enforcementLevel: "mandatory",
  configSchema: PACK_CONFIG_SCHEMA,
  validateResource(args, reportViolation) {
    const review = reviewVm(args);
    if (!review) return;
    if ("violation" in review.lookup) report(reportViolation, [review.lookup.violation]);
  },
};

/** Server resources the pack cannot read are refused, so that no VM escapes the other policies. */
export const serverTypeSupported: ResourceValidationPolicy = {
  name: "server-type-supported",
  description: "Servers are created only with resource types the pack can check (proxmoxve VmLegacy, vsphere VirtualMachine).",
  enforcementLevel: "mandatory",
  validateResource(args, reportViolation) {
    if (!UNSUPPORTED_SERVER_TYPES.includes(args.type)) return;
    report(reportViolation, [
      msg(
        `${args.name}：资源类型 ${args.type} 无法由备案策略核对：备案 proxmoxve:index/vmLegacy:VmLegacy 或 vsphere:index/virtualMachine:VirtualMachine，实际 ${args.type}。`,
        `${args.name}: resource type ${args.type} cannot be checked against filings: filed proxmoxve:index/vmLegacy:VmLegacy or vsphere:index/virtualMachine:VirtualMachine, found ${args.type}.`,
      ),
    ]);
  },
};
