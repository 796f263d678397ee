import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { decommissionedRunningViolations, duplicateIpViolations, zoneMixViolations } from "../lib/compliance/stack";
import { exposureRecordViolations, networkViolations } from "../lib/compliance/vm";
import { PACK_CONFIG_SCHEMA } from "./context";
import { filedVmValidation, stackVmValidation } from "./observe";

export const vmNetworkAsFiled: ResourceValidationPolicy = {
  name: "vm-network-as-filed",
  description: "A VM's NICs are on its filed zone's network only (external only when filed) and its address is the filed IP.",
  enforcementLevel: "mandatory",
  configSchema: PACK_CONFIG_SCHEMA,
  validateResource: filedVmValidation(networkViolations),
};

export const vsphereExposureRecorded: ResourceValidationPolicy = {
  name: "vsphere-exposure-recorded",
  description: "A vSphere VM's annotation records exactly the ports (and, for sensitive ports, the sources) its filing opens to the Internet.",
  enforcementLevel: "mandatory",
  configSchema: PACK_CONFIG_SCHEMA,
  validateResource: filedVmValidation(exposureRecordViolations),
};

export const uniqueIps: StackValidationPolicy = {
  name: "stack-unique-ips",
  description: "No two VMs of the stack use the same IP address.",
  enforcementLevel: "mandatory",
  configSchema: PACK_CONFIG_SCHEMA,
  validateStack: stackVmValidation(duplicateIpViolations),
};

export const zoneNetworksSeparate: StackValidationPolicy = {
  name: "stack-zone-networks-separate",
  description: "No network carries both VMs filed internal and VMs filed external.",
  enforcementLevel: "mandatory",
  configSchema: PACK_CONFIG_SCHEMA,
  validateStack: stackVmValidation(zoneMixViolations),
};

export const vsphereDecommissionedOff: StackValidationPolicy = {
  name: "vsphere-decommissioned-off-or-quarantined",
  description: "A decommissioned filing's vSphere VM is off the network (quarantine port group) or powered off.",
  enforcementLevel: "mandatory",
  configSchema: PACK_CONFIG_SCHEMA,
  validateStack: stackVmValidation(decommissionedRunningViolations),
};
