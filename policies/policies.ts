import type { Policies } from "@pulumi/policy";
import { firewallAsFiled, firewallForbiddenPorts } from "./firewall";
import { serverTypeSupported, vmNamesFiling } from "./identity";
import { uniqueIps, vmNetworkAsFiled, vsphereDecommissionedOff, vsphereExposureRecorded, zoneNetworksSeparate } from "./network";
import { periodExpired, periodInGrace } from "./period";
import { vmProtected } from "./protection";
import { departmentQuota, everyFilingProvisioned } from "./register";
import { vmWithinFiling } from "./resources";

/** Every policy of the pack. index.ts hands them to PolicyPack; tests and `filing policy` run them in-process. */
export const policies: Policies = [
  vmNamesFiling,
  serverTypeSupported,
  vmWithinFiling,
  vmNetworkAsFiled,
  vsphereExposureRecorded,
  periodInGrace,
  periodExpired,
  vmProtected,
  firewallForbiddenPorts,
  firewallAsFiled,
  uniqueIps,
  zoneNetworksSeparate,
  vsphereDecommissionedOff,
  departmentQuota,
  everyFilingProvisioned,
];
