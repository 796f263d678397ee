import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { forbiddenPortViolations, readRules } from "../lib/compliance/firewall";
import { firewallViolations, type StackFirewall } from "../lib/compliance/stack";
import { PROXMOX_FIREWALL } from "../lib/compliance/tokens";
import { contextFor, PACK_CONFIG_SCHEMA, type PackConfig } from "./context";
import { report, stackVms } from "./observe";
import { plainProps } from "./props";

/** On any Proxmox VM, in any zone, from any program: proxy and anonymiser ports stay closed. */
export const firewallForbiddenPorts: ResourceValidationPolicy = {
  name: "firewall-forbidden-ports",
  description: "No Proxmox firewall rule opens a port listed in limits.forbiddenPorts.",
  enforcementLevel: "mandatory",
  configSchema: PACK_CONFIG_SCHEMA,
  validateResource(args, reportViolation) {
    if (args.type !== PROXMOX_FIREWALL.rules) return;
    const ctx = contextFor(args.getConfig<PackConfig>());
    report(reportViolation, forbiddenPortViolations(args.name, readRules(plainProps(args.props)), ctx.config?.limits.forbiddenPorts ?? []));
  },
};

/**
 * A stack policy because the rules are separate resources: only the stack shows which VM they
 * belong to (by parent, or by VM id once known).
 */
export const firewallAsFiled: StackValidationPolicy = {
  name: "firewall-as-filed",
  description: "An external Proxmox VM has its firewall on with inbound DROP and opens only its filed ports.",
  enforcementLevel: "mandatory",
  configSchema: PACK_CONFIG_SCHEMA,
  validateStack(args, reportViolation) {
    const ctx = contextFor(args.getConfig<PackConfig>());
    const firewalls: StackFirewall[] = args.resources.flatMap((r) => {
      const kind = r.type === PROXMOX_FIREWALL.rules ? "rules" : r.type === PROXMOX_FIREWALL.options ? "options" : undefined;
      return kind ? [{ kind, urn: r.urn, parentUrn: r.parent?.urn ?? r.opts.parent, props: plainProps(r.props) }] : [];
    });
    for (const v of firewallViolations(stackVms(args.resources, ctx), firewalls)) report(reportViolation, [v.message], v.urn);
  },
};
