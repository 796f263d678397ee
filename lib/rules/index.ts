import { filingDepartment, filingId, filingLocation } from "./identity";
import { externalPorts, ipInPool, ipUnique } from "./network";
import { backupDeclared, logRetention, responsibilityLetter } from "./operations";
import { periodExpired, periodMonths } from "./period";
import { forbiddenPorts, sensitivePorts } from "./ports";
import { departmentQuota } from "./quota";
import { vmLimits } from "./resources";
import { decommissionRecord, physicalDetails } from "./required-details";
import { securityGroup } from "./security-group";
import { stackOwnership } from "./ownership";
import type { Rule } from "./types";

/** Every institution rule, in the order their problems are reported for one line. */
export const RULES: readonly Rule[] = [
  filingLocation,
  filingId,
  filingDepartment,
  periodMonths,
  periodExpired,
  vmLimits,
  departmentQuota,
  ipInPool,
  ipUnique,
  externalPorts,
  forbiddenPorts,
  sensitivePorts,
  logRetention,
  backupDeclared,
  responsibilityLetter,
  physicalDetails,
  decommissionRecord,
  securityGroup,
  stackOwnership,
];

export type { Finding, Rule, RuleContext } from "./types";
