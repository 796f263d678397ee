import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { vsphereExpiredOnViolations } from "../lib/compliance/stack";
import { periodViolations } from "../lib/compliance/vm";
import { PACK_CONFIG_SCHEMA } from "./context";
import { filedVmValidation, stackVmValidation } from "./observe";

/** Advisory on purpose: within the grace period the VM may still run, the department is told to renew. */
export const periodInGrace: ResourceValidationPolicy = {
  name: "vm-period-in-grace",
  description: "Warns when a VM's filing has ended but is still within the grace period.",
  enforcementLevel: "advisory",
  configSchema: PACK_CONFIG_SCHEMA,
  validateResource: filedVmValidation((vm, server, ctx) => periodViolations(vm, server, ctx).inGrace),
};

/** Proxmox: `started` is an input, so each VM is judged as it is registered. */
export const periodExpired: ResourceValidationPolicy = {
  name: "vm-period-expired",
  description: "A VM whose filing ended beyond the grace period is powered off.",
  enforcementLevel: "mandatory",
  configSchema: PACK_CONFIG_SCHEMA,
  validateResource: filedVmValidation((vm, server, ctx) => (vm.platform === "vsphere" ? [] : periodViolations(vm, server, ctx).expired)),
};

/**
 * vSphere: power is only in the stack's state (`powerState`), so this is a stack policy. The program
 * cannot power the VM off; once someone has in vCenter, `pulumi refresh` records it and this passes.
 */
export const vsphereExpiredOff: StackValidationPolicy = {
  name: "vsphere-expired-vm-off",
  description: "A vSphere VM whose filing ended beyond the grace period is powered off, as the stack's state records it.",
  enforcementLevel: "mandatory",
  configSchema: PACK_CONFIG_SCHEMA,
  validateStack: stackVmValidation(vsphereExpiredOnViolations),
};
