import { overQuota } from "../config/quota";
import type { Zone } from "../filings/model";
import { groupBy } from "../group";
import { ownsFiling } from "../stack-files/owns";
import { msg, type Message } from "../messages";
import { amount, RESOURCE_NAMES, SERVER_TYPE_NAMES, STATUS_NAMES, ZONE_NAMES } from "../names";
import type { ServerSpec } from "../plan/servers";
import type { ComplianceContext } from "./context";
import { externalFirewallViolations, readRules, type FirewallOptionsState } from "./firewall";
import { isUnknown, type ObservedVm, type Props } from "./observed";

/** A VM resource of the stack with the filing it resolved to (undefined when it names none usable). */
export interface StackVm {
  readonly urn: string;
  readonly name: string;
  readonly vm: ObservedVm;
  readonly server: ServerSpec | undefined;
  /** Proxmox VM id when the resource sets or already has one. */
  readonly vmId: number | undefined;
}

export interface StackViolation {
  readonly message: Message;
  /** The resource it is about; absent for findings about the stack as a whole. */
  readonly urn?: string;
}

const counts = (server: ServerSpec | undefined): server is ServerSpec => server !== undefined && server.status === "active";

/** No two VMs of the stack configure the same address. */
export function duplicateIpViolations(vms: readonly StackVm[]): StackViolation[] {
  const uses = vms.flatMap((v) =>
    isUnknown(v.vm.ips) ? [] : [...new Set(v.vm.ips)].flatMap((ip) => (isUnknown(ip) || ip === "dhcp" ? [] : [{ ip, v }])),
  );
  const out: StackViolation[] = [];
  for (const [ip, pairs] of groupBy(uses, (u) => u.ip)) {
    if (pairs.length < 2) continue;
    const list = pairs.map((u) => u.v);
    const names = list.map((v) => v.server?.id ?? v.name);
    for (const v of list) {
      const self = v.server?.id ?? v.name;
      const others = names.filter((n) => n !== self).join(", ") || self;
      out.push({
        urn: v.urn,
        message: msg(
          `${self}：IP 地址 ${ip} 同时被 ${others} 使用：每个地址只能属于一台服务器。`,
          `${self}: IP address ${ip} is also used by ${others}: an address belongs to one server only.`,
        ),
      });
    }
  }
  return out;
}

/** Per department, the VMs of active filings together stay within the department's quota. */
export function quotaViolations(vms: readonly StackVm[], ctx: ComplianceContext): StackViolation[] {
  const byDepartment = groupBy(
    vms.filter((v): v is StackVm & { server: ServerSpec } => counts(v.server)),
    (v) => v.server.department,
  );
  const out: StackViolation[] = [];
  for (const [slug, list] of byDepartment) {
    const quota = ctx.config?.departments.find((d) => d.slug === slug)?.quota;
    if (!quota) continue;
    const used = { cpu: 0, memoryGiB: 0, diskGiB: 0 };
    for (const { vm } of list) {
      // Unknown sizes are refused by the resource policy; they add nothing here.
      if (!isUnknown(vm.cpu)) used.cpu += vm.cpu;
      if (!isUnknown(vm.memoryMiB)) used.memoryGiB += vm.memoryMiB / 1024;
      if (vm.disksGiB && !isUnknown(vm.disksGiB)) for (const d of vm.disksGiB) if (typeof d === "number") used.diskGiB += d;
    }
    const ids = list.map((v) => v.server.id).join(", ");
    for (const k of overQuota(used, quota)) {
      const name = RESOURCE_NAMES[k];
      const found = amount(k, Number(used[k].toFixed(2)));
      out.push({
        message: msg(
          `部门 ${slug} 的虚拟机（${ids}）${name.zh}合计超出配额：配额 ${amount(k, quota[k])}，实际 ${found}。`,
          `Department ${slug}'s VMs (${ids}) exceed the ${name.en} quota: quota ${amount(k, quota[k])}, found ${found}.`,
        ),
      });
    }
  }
  return out;
}

/** Every active virtual filing of the register has its VM in the stack: nothing is silently dropped. */
export function missingVmViolations(vms: readonly StackVm[], ctx: ComplianceContext, stack?: string): StackViolation[] {
  const present = new Set(vms.flatMap((v) => (v.server ? [v.server.id] : [])));
  // The filings this stack owns; a stack without a stack file here is held to all of them.
  const owns = stack === undefined ? undefined : ctx.stackOwns.get(stack);
  const departments = new Map((ctx.config?.departments ?? []).map((d) => [d.slug, d]));
  const out: StackViolation[] = [];
  for (const server of ctx.servers.values()) {
    if (server.type !== "virtual" || server.status !== "active" || present.has(server.id)) continue;
    if (!ownsFiling(owns, { department: server.department, zone: server.network.zone }, departments)) continue;
    out.push({
      message: msg(
        `${server.id}：已批准的${SERVER_TYPE_NAMES.virtual.zh}备案在本栈中没有对应的虚拟机：备案 1 台，实际 0 台。`,
        `${server.id}: the approved virtual filing has no VM in this stack: filed 1, found 0.`,
      ),
    });
  }
  return out;
}

/**
 * A network carries one zone: if VMs filed internal and VMs filed external share a network, one of
 * them is on the wrong side. This holds even where the pack is not told which network is which.
 */
export function zoneMixViolations(vms: readonly StackVm[]): StackViolation[] {
  const zonesOf = new Map<string, Map<Zone, Set<string>>>();
  for (const v of vms) {
    if (!v.server || !v.vm.networks || isUnknown(v.vm.networks)) continue;
    for (const net of v.vm.networks) {
      if (typeof net !== "string") continue;
      let zones = zonesOf.get(net);
      if (!zones) zonesOf.set(net, (zones = new Map()));
      let ids = zones.get(v.server.network.zone);
      if (!ids) zones.set(v.server.network.zone, (ids = new Set()));
      ids.add(v.server.id);
    }
  }
  const out: StackViolation[] = [];
  for (const [net, zones] of zonesOf) {
    const internal = [...(zones.get("internal") ?? [])].join(", ");
    const external = [...(zones.get("external") ?? [])].join(", ");
    if (!internal || !external) continue;
    out.push({
      message: msg(
        `网络 ${net} 上同时接入了${ZONE_NAMES.internal.zh}备案（${internal}）和${ZONE_NAMES.external.zh}备案（${external}）的虚拟机：一个网络只能属于一个区域。`,
        `Network ${net} carries VMs filed ${ZONE_NAMES.internal.en} (${internal}) and ${ZONE_NAMES.external.en} (${external}): a network belongs to one zone.`,
      ),
    });
  }
  return out;
}

/** A Proxmox firewall resource of the stack: rules or VM options. */
export interface StackFirewall {
  readonly kind: "rules" | "options";
  readonly urn: string;
  readonly parentUrn: string | undefined;
  readonly props: Props;
}

/**
 * Links each firewall resource to its VM (by parent, or by VM id when both are known) and checks
 * every external Proxmox VM's firewall against its filing.
 */
export function firewallViolations(vms: readonly StackVm[], firewalls: readonly StackFirewall[]): StackViolation[] {
  const byParent = groupBy(firewalls, (f) => f.parentUrn || undefined);
  const byVmId = groupBy(firewalls, (f) => (typeof f.props.vmId === "number" ? f.props.vmId : undefined));
  const out: StackViolation[] = [];
  for (const v of vms) {
    if (v.vm.platform !== "proxmox" || !v.server || v.server.network.zone !== "external") continue;
    const mine = [...new Set([...(byParent.get(v.urn) ?? []), ...(v.vmId !== undefined ? (byVmId.get(v.vmId) ?? []) : [])])];
    const options: FirewallOptionsState[] = mine.filter((f) => f.kind === "options").map((f) => ({ enabled: f.props.enabled, inputPolicy: f.props.inputPolicy }));
    const rules = mine.filter((f) => f.kind === "rules").map((f) => readRules(f.props));
    const nics = isUnknown(v.vm.nicFirewall) ? [undefined] : v.vm.nicFirewall;
    for (const message of externalFirewallViolations(v.server, nics, options, rules)) out.push({ urn: v.urn, message });
  }
  return out;
}

/**
 * vSphere, decommissioned: the VM is off the network (all NICs on the quarantine port group) or, as
 * the platform reports it, powered off. A stack check because only the stack's state has the power
 * (the provider's read-only `powerState`); an unknown power on a service network is refused.
 */
export function decommissionedRunningViolations(vms: readonly StackVm[], ctx: ComplianceContext): StackViolation[] {
  const quarantine = ctx.zoneNetworks.vsphere.quarantine;
  // Without the quarantine's ids the pack cannot tell it from a service network (as vm-network-as-filed).
  if (quarantine.length === 0) return [];
  return vms.flatMap((v) => {
    if (v.vm.platform !== "vsphere" || v.server?.state !== "decommissioned") return [];
    const nets = v.vm.networks;
    const offNetwork = nets !== undefined && !isUnknown(nets) && nets.length > 0 && nets.every((n) => typeof n === "string" && quarantine.includes(n));
    if (offNetwork || v.vm.power === "off") return [];
    const found = isUnknown(v.vm.power) ? msg("无法确认已关机", "not known to be off") : msg("开机", "on");
    return [{
      urn: v.urn,
      message: msg(
        `${v.server.id}：备案${STATUS_NAMES.decommissioned.zh}，虚拟机仍在服务网络上，电源：${found.zh}。应移入隔离端口组（部署即可），或在 vCenter 中关机。`,
        `${v.server.id}: the filing is ${STATUS_NAMES.decommissioned.en}, and the VM is still on a service network, power: ${found.en}. It must be on the quarantine port group (a deploy moves it) or powered off in vCenter.`,
      ),
    }];
  });
}
