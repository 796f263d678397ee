import type { ResourceValidationPolicy } from "@pulumi/policy";
import { resourceViolations } from "../lib/compliance/vm";
import { PACK_CONFIG_SCHEMA } from "./context";
import { filedVmValidation } from "./observe";

export const vmWithinFiling: ResourceValidationPolicy = {
  name: "vm-within-filing",
  description: "CPU, memory, each disk, the number of disks and the total disk of a VM are not above its filing.",
  enforcementLevel: "mandatory",
  configSchema: PACK_CONFIG_SCHEMA,
  validateResource: filedVmValidation(resourceViolations),
};
