import type { ResourceValidationPolicy } from "@pulumi/policy";
import { periodViolations } from "../lib/compliance/vm";
import { PACK_CONFIG_SCHEMA } from "./context";
import { filedVmValidation } from "./observe";

/** Advisory on purpose: within the grace period the VM may still run, the department is told to renew. */
export const periodInGrace: ResourceValidationPolicy = {
  name: "vm-period-in-grace",
  description: "Warns when a VM's filing has ended but is still within the grace period.",
  enforcementLevel: "advisory",
  configSchema: PACK_CONFIG_SCHEMA,
  validateResource: filedVmValidation((vm, server, ctx) => periodViolations(vm, server, ctx).inGrace),
};

/**
 * Proxmox: `started` is an input, so each VM is judged as it is registered. vSphere's provider cannot
 * power a VM off; there an expired VM is taken off the network instead, which vm-network-as-filed
 * checks (the quarantine port group), so one expired filing never blocks the other departments.
 */
export const periodExpired: ResourceValidationPolicy = {
  name: "vm-period-expired",
  description: "A VM whose filing ended beyond the grace period is powered off.",
  enforcementLevel: "mandatory",
  configSchema: PACK_CONFIG_SCHEMA,
  validateResource: filedVmValidation((vm, server, ctx) => (vm.platform === "vsphere" ? [] : periodViolations(vm, server, ctx).expired)),
};
