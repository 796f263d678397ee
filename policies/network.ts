import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { duplicateIpViolations, zoneMixViolations } from "../lib/compliance/stack";
import { networkViolations } from "../lib/compliance/vm";
import { contextFor, PACK_CONFIG_SCHEMA, type PackConfig } from "./context";
import { report, reviewVm, stackVms } from "./observe";

export const vmNetworkAsFiled: ResourceValidationPolicy = {
  name: "vm-network-as-filed",
  description: "A VM's NICs are on its filed zone's network only (external only when filed) and its address is the filed IP.",
  enforcementLevel: "mandatory",
  configSchema: PACK_CONFIG_SCHEMA,
  validateResource(args, reportViolation) {
    const review = reviewVm(args);
    if (review && "server" in review.lookup) report(reportViolation, networkViolations(review.vm, review.lookup.server, review.ctx));
  },
};

export const uniqueIps: StackValidationPolicy = {
  name: "stack-unique-ips",
  description: "No two VMs of the stack use the same IP address.",
  enforcementLevel: "mandatory",
  configSchema: PACK_CONFIG_SCHEMA,
  validateStack(args, reportViolation) {
    const vms = stackVms(args.resources, contextFor(args.getConfig<PackConfig>()));
    for (const v of duplicateIpViolations(vms)) report(reportViolation, [v.message], v.urn);
  },
};

export const zoneNetworksSeparate: StackValidationPolicy = {
  name: "stack-zone-networks-separate",
  description: "No network carries both VMs filed internal and VMs filed external.",
  enforcementLevel: "mandatory",
  configSchema: PACK_CONFIG_SCHEMA,
  validateStack(args, reportViolation) {
    const vms = stackVms(args.resources, contextFor(args.getConfig<PackConfig>()));
    for (const v of zoneMixViolations(vms)) report(reportViolation, [v.message], v.urn);
  },
};
