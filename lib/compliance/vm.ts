import type { Zone } from "../filings/model";
import { msg, type Message } from "../messages";
import { amount, RESOURCE_NAMES, SERVER_TYPE_NAMES, STATUS_NAMES, ZONE_NAMES } from "../names";
import { exposureText } from "../plan/labels";
import type { ServerSpec } from "../plan/servers";
import { problemLine } from "../output/problems";
import type { ComplianceContext } from "./context";
import { isUnknown, type Known, type ObservedVm } from "./observed";
import type { Platform } from "../stack-files/config";

/**
 * Checks of one VM resource against its filing. Each returns the violations as bilingual messages
 * that name the filing, the property, the filed value and the value found; an empty list passes.
 *
 * A checked property that is unknown at preview is a violation, not a skip: otherwise a program
 * could hide a VM's size behind another resource's output and pass unchecked.
 */


/** `subject` is a filing id, or a message naming a VM that has none yet. */
function unknownValue(subject: string | Message, zh: string, en: string): Message {
  const who = typeof subject === "string" ? msg(subject, subject) : subject;
  return msg(
    `${who.zh}：${spaced(zh)}在创建前无法确定（取决于其他资源的输出），策略无法核对。请直接写明该值。`,
    `${who.en}: ${en} cannot be known before creation (it depends on another resource's output), so it cannot be checked. Write the value directly.`,
  );
}

export type FilingLookup = { readonly server: ServerSpec } | { readonly violation: Message };

/**
 * The filing a VM names, or why it names none that may have a VM. `name` is the resource's name,
 * for messages about VMs that carry no filing id at all.
 */
export function filingFor(vm: ObservedVm, name: string, ctx: ComplianceContext): FilingLookup {
  if (ctx.registerErrors.length > 0) {
    const first = ctx.registerErrors[0]!;
    return {
      violation: msg(
        `虚拟机 ${name}：备案登记有 ${ctx.registerErrors.length} 个错误，无法核对任何虚拟机。首个：${problemLine(first, "zh")}`,
        `VM ${name}: the register has ${ctx.registerErrors.length} errors, so no VM can be checked. First: ${problemLine(first, "en")}`,
      ),
    };
  }
  if (isUnknown(vm.filingIds)) return { violation: unknownValue(msg(`虚拟机 ${name}`, `VM ${name}`), "备案编号标签", "its filing-id label") };
  // Custom attributes are unknown until vCenter has them (a first preview); the annotation decides then.
  const fromAttributes = isUnknown(vm.attributeValues) ? [] : vm.attributeValues.filter((v) => ctx.servers.has(v));
  const ids = [...new Set([...vm.filingIds, ...fromAttributes])];
  const where = vm.platform === "proxmox" ? msg("标签 filing.<编号>", "a filing.<id> tag") : msg("注释首行“备案编号 Filing: <编号>”", "the annotation's first line \"备案编号 Filing: <id>\"");
  if (ids.length === 0) {
    return {
      violation: msg(
        `虚拟机 ${name} 没有标明备案编号（应在${where.zh}中写明）。学校网络上的每台虚拟机都必须有已批准的备案。`,
        `VM ${name} names no filing (expected in ${where.en}). Every VM on the school network needs an approved filing.`,
      ),
    };
  }
  if (ids.length > 1) {
    const all = ids.join(", ");
    return {
      violation: msg(`虚拟机 ${name} 标明了多个备案编号：${all}。一台虚拟机只能对应一份备案。`, `VM ${name} names several filings: ${all}. A VM belongs to exactly one filing.`),
    };
  }
  const id = ids[0]!;
  const server = ctx.servers.get(id);
  if (!server) {
    return {
      violation: msg(
        `虚拟机 ${name}：备案编号 ${id} 在备案登记中不存在（可能尚未合并或已删除）。`,
        `VM ${name}: filing ${id} is not in the register (not merged yet, or removed).`,
      ),
    };
  }
  if (server.type === "physical") {
    return {
      violation: msg(`${id}：备案的服务器类型为${SERVER_TYPE_NAMES.physical.zh}，不能对应虚拟机。`, `${id}: the filing is for a physical server; it cannot have a VM.`),
    };
  }
  if (isUnknown(vm.departments)) return { violation: unknownValue(id, "部门标签", "its department tag") };
  const wrong = vm.departments.filter((d) => d !== server.department);
  if (wrong.length > 0) {
    return {
      violation: msg(
        `${id}：部门标签为 ${wrong.join(", ")}，备案的使用部门为 ${server.department}。`,
        `${id}: department tag ${wrong.join(", ")}, but the filing's department is ${server.department}.`,
      ),
    };
  }
  return { server };
}

/** A space between a Latin label (vCPU) and the Chinese after it, as Chinese typesetting does. */
const spaced = (zh: string): string => (/[A-Za-z0-9]$/.test(zh) ? `${zh} ` : zh);

function above(id: string, zh: string, en: string, filed: string, found: string): Message {
  return msg(`${id}：${spaced(zh)}超出备案：备案 ${filed}，实际 ${found}。`, `${id}: ${en} above the filing: filed ${filed}, found ${found}.`);
}

const gib = (mib: number): string => `${Number((mib / 1024).toFixed(2))} GiB`;

/** CPU, memory, each disk, the number of disks and the total: none above the filing. */
export function resourceViolations(vm: ObservedVm, server: ServerSpec): Message[] {
  const id = server.id;
  const filed = server.resources;
  const out: Message[] = [];
  const { cpu, memoryGiB } = RESOURCE_NAMES;
  if (isUnknown(vm.cpu)) out.push(unknownValue(id, cpu.zh, `the ${cpu.en} count`));
  else if (vm.cpu > filed.cpu) out.push(above(id, cpu.zh, cpu.en, amount("cpu", filed.cpu), amount("cpu", vm.cpu)));
  if (isUnknown(vm.memoryMiB)) out.push(unknownValue(id, memoryGiB.zh, `the ${memoryGiB.en} size`));
  else if (vm.memoryMiB > filed.memoryGiB * 1024) out.push(above(id, memoryGiB.zh, memoryGiB.en, amount("memoryGiB", filed.memoryGiB), gib(vm.memoryMiB)));
  const disks = vm.disksGiB;
  if (disks === undefined) {
    out.push(msg(
      `${id}：没有声明硬盘（将沿用模板的硬盘，大小无法核对）。请按备案逐块写明硬盘大小。`,
      `${id}: no disks declared (the template's would be kept, with sizes nobody checked). Declare each filed disk and its size.`,
    ));
    return out;
  }
  if (isUnknown(disks)) {
    out.push(unknownValue(id, "硬盘列表", "the disk list"));
    return out;
  }
  if (disks.length > filed.disksGiB.length) {
    out.push(above(id, "硬盘数量", "number of disks", `${filed.disksGiB.length}`, `${disks.length}`));
  }
  let total = 0;
  let totalKnown = true;
  disks.forEach((size, i) => {
    const n = i + 1;
    if (isUnknown(size)) {
      out.push(unknownValue(id, `第 ${n} 块硬盘的大小`, `the size of disk ${n}`));
      totalKnown = false;
      return;
    }
    if (size === undefined) {
      out.push(msg(`${id}：第 ${n} 块硬盘没有写明大小，无法核对。`, `${id}: disk ${n} has no size, so it cannot be checked.`));
      totalKnown = false;
      return;
    }
    total += size;
    const allowed = filed.disksGiB[i];
    if (allowed !== undefined && size > allowed) out.push(above(id, `第 ${n} 块硬盘`, `disk ${n}`, `${allowed} GiB`, `${size} GiB`));
  });
  const filedTotal = filed.disksGiB.reduce((a, b) => a + b, 0);
  if (totalKnown && total > filedTotal) out.push(above(id, "硬盘总容量", "total disk", `${filedTotal} GiB`, `${total} GiB`));
  return out;
}

function otherZone(zone: Zone): Zone {
  return zone === "internal" ? "external" : "internal";
}

/** NICs on the filed zone's network only (never the other zone's), and the guest's address equal to the filing. */
export function networkViolations(vm: ObservedVm, server: ServerSpec, ctx: ComplianceContext): Message[] {
  const id = server.id;
  const zone = server.network.zone;
  const out: Message[] = [];
  const nets = vm.networks;
  const known = ctx.zoneNetworks[vm.platform];
  if (nets === undefined || (!isUnknown(nets) && nets.length === 0)) {
    out.push(msg(
      `${id}：没有声明网卡（将沿用模板的网卡，所接网络无法核对）。请声明一块接入${ZONE_NAMES[zone].zh}的网卡。`,
      `${id}: no NIC declared (the template's would be kept, on a network nobody checked). Declare one NIC on the ${ZONE_NAMES[zone].en} network.`,
    ));
  } else if (isUnknown(nets)) {
    out.push(unknownValue(id, "网卡列表", "the NIC list"));
  } else if (vm.platform === "vsphere" && server.state === "expired") {
    out.push(...quarantineViolations(server, nets, known));
  } else if (vm.platform === "vsphere" && server.state === "decommissioned" && known.quarantine.length > 0 && nets.every((n) => typeof n === "string" && known.quarantine.includes(n))) {
    // Off the network, as the program puts it. A decommissioned VM left on its own zone's network
    // (powered off first by hand: any reconfigure would power it on) is checked as filed below, and
    // vsphere-decommissioned-off-or-quarantined, which reads the power, requires it off.
  } else {
    nets.forEach((net: Known<string | undefined>, i) => {
      const n = i + 1;
      if (isUnknown(net)) {
        out.push(unknownValue(id, `第 ${n} 块网卡所接网络`, `the network of NIC ${n}`));
        return;
      }
      const shown = net ?? "（未写明）";
      if (net !== undefined && known[otherZone(zone)].includes(net)) {
        out.push(msg(
          `${id}：第 ${n} 块网卡接入了${ZONE_NAMES[otherZone(zone)].zh}（网络 ${shown}），备案的网络区域为${ZONE_NAMES[zone].zh}。`,
          `${id}: NIC ${n} is on the ${ZONE_NAMES[otherZone(zone)].en} network ${shown}, but the filing's zone is ${ZONE_NAMES[zone].en}.`,
        ));
      } else if (known[zone].length > 0 && (net === undefined || !known[zone].includes(net))) {
        out.push(msg(
          `${id}：第 ${n} 块网卡接入网络 ${shown}，不是备案区域（${ZONE_NAMES[zone].zh}）的网络 ${known[zone].join(" / ")}。`,
          `${id}: NIC ${n} is on network ${shown}, not on the filed ${ZONE_NAMES[zone].en} zone's network ${known[zone].join(" / ")}.`,
        ));
      }
    });
  }
  const filedIp = server.network.ip;
  if (isUnknown(vm.ips)) {
    out.push(unknownValue(id, "IP 地址", "the IP address"));
  } else if (vm.ips.length === 0) {
    out.push(msg(`${id}：没有配置静态 IP 地址，备案的地址为 ${filedIp}。`, `${id}: no static IP address configured; the filed address is ${filedIp}.`));
  } else {
    for (const ip of vm.ips) {
      if (isUnknown(ip)) out.push(unknownValue(id, "IP 地址", "the IP address"));
      else if (ip !== filedIp) out.push(msg(`${id}：IP 地址与备案不符：备案 ${filedIp}，实际 ${ip}。`, `${id}: IP address differs from the filing: filed ${filedIp}, found ${ip}.`));
    }
  }
  return out;
}

/**
 * vSphere, out of service (past the grace period, or decommissioned): every NIC on the quarantine
 * port group (the provider cannot power a VM off; closing its network service is the sanction).
 * Where the quarantine ids are not known, a NIC still on a zone's network is the violation.
 */
function quarantineViolations(server: ServerSpec, nets: readonly Known<string | undefined>[], known: ComplianceContext["zoneNetworks"][Platform]): Message[] {
  const id = server.id;
  const why = server.state === "expired"
    ? { reason: msg("备案已过期且超过宽限期", "the filing expired and its grace period is over"), fix: msg("请续期，或让程序把网卡移入隔离端口组。", "Renew, or let the program move the NIC.") }
    : { reason: msg(`备案${STATUS_NAMES.decommissioned.zh}`, `the filing is ${STATUS_NAMES.decommissioned.en}`), fix: msg("请让程序把网卡移入隔离端口组（部署即可）。", "Let the program move the NIC (a deploy does).") };
  const out: Message[] = [];
  const zones = [...known.internal, ...known.external];
  nets.forEach((net, i) => {
    const n = i + 1;
    if (isUnknown(net)) {
      out.push(unknownValue(id, `第 ${n} 块网卡所接网络`, `the network of NIC ${n}`));
      return;
    }
    const onQuarantine = net !== undefined && known.quarantine.includes(net);
    const stillServing = known.quarantine.length > 0 ? !onQuarantine : net !== undefined && zones.includes(net);
    if (stillServing) {
      const where = known.quarantine.length > 0 ? known.quarantine.join(" / ") : "隔离端口组 quarantine";
      out.push(msg(
        `${id}：${why.reason.zh}，第 ${n} 块网卡应移入隔离端口组（暂停网络服务）：备案 ${where}，实际 ${net ?? "（未写明）"}。${why.fix.zh}`,
        `${id}: ${why.reason.en}; NIC ${n} must be on the quarantine port group (network service closed): filed ${where}, found ${net ?? "(not given)"}. ${why.fix.en}`,
      ));
    }
  });
  return out;
}

export interface PeriodViolations {
  /** Ended, still within the grace period: advisory. */
  readonly inGrace: Message[];
  /** Past the grace period and the VM not powered off: mandatory. */
  readonly expired: Message[];
}

export function periodViolations(vm: ObservedVm, server: ServerSpec, ctx: ComplianceContext): PeriodViolations {
  const id = server.id;
  const { end, daysLeft } = server.period;
  if (server.status !== "active" || daysLeft >= 0) return { inGrace: [], expired: [] };
  if (server.state === "expired") {
    if (vm.power === "off") return { inGrace: [], expired: [] };
    const found = isUnknown(vm.power) ? msg("无法确认已关机", "not known to be off") : msg("开机", "on");
    // Only asked for Proxmox (policies/period.ts): on vSphere the quarantine is the check.
    const fix = msg("请续期，或关机。", "Renew the filing or power the VM off.");
    return {
      inGrace: [],
      expired: [msg(
        `${id}：使用期限已于 ${end} 到期，宽限期 ${ctx.graceDays} 天也已过，虚拟机应关机：备案 关机，实际 ${found.zh}。${fix.zh}`,
        `${id}: the period ended on ${end} and the ${ctx.graceDays}-day grace period is over, so the VM must be off: filed off, found ${found.en}. ${fix.en}`,
      )],
    };
  }
  return {
    inGrace: [msg(
      `${id}：使用期限已于 ${end} 到期（已过 ${-daysLeft} 天），宽限期 ${ctx.graceDays} 天内仍可运行。请尽快提交续期。`,
      `${id}: the period ended on ${end} (${-daysLeft} days ago); it may run during the ${ctx.graceDays}-day grace period. Renew soon.`,
    )],
    expired: [],
  };
}

/** Pulumi `protect` (and Proxmox's own protection) on, unless the filing is being decommissioned. */
export function protectionViolations(vm: ObservedVm, server: ServerSpec | undefined, protect: boolean, name: string): Message[] {
  if (server?.status === "decommissioned") return [];
  const who = server ? msg(server.id, server.id) : msg(`虚拟机 ${name}`, `VM ${name}`);
  const subject = who.zh;
  const subjectEn = who.en;
  const out: Message[] = [];
  if (!protect) {
    out.push(msg(
      `${subject}：资源选项 protect：备案 开启，实际 关闭。在用虚拟机必须受保护，防止误删数据；只有${STATUS_NAMES.decommissioned.zh}的备案可以删除。`,
      `${subjectEn}: resource option protect: filed on, found off. Active VMs must be protected against deletion; only decommissioned filings may be deleted.`,
    ));
  }
  if (vm.platformProtection !== undefined) {
    if (isUnknown(vm.platformProtection)) out.push(unknownValue(who, "protection", "protection"));
    else if (!vm.platformProtection) {
      out.push(msg(
        `${subject}：Proxmox 属性 protection：备案 true，实际 false。`,
        `${subjectEn}: Proxmox property protection: filed true, found false.`,
      ));
    }
  }
  return out;
}

/**
 * vSphere has no firewall in the provider, so what a VM may open to the Internet is recorded in its
 * annotation (`exposureText`): the record must say exactly what the filing allows, sources included.
 */
export function exposureRecordViolations(vm: ObservedVm, server: ServerSpec): Message[] {
  if (vm.platform !== "vsphere" || server.network.zone !== "external") return [];
  const id = server.id;
  const filed = exposureText(server);
  const noted = vm.recordedExposure;
  if (isUnknown(noted)) return [unknownValue(id, "注释中记录的对外开放端口", "the exposure recorded in the annotation")];
  const differs = (found: string) => msg(
    `${id}：记录的对外开放端口与备案不符：备案 ${filed}，实际 ${found}。敏感端口的来源限制必须与备案一致。`,
    `${id}: the recorded exposure differs from the filing: filed ${filed}, found ${found}. Sensitive ports' source restrictions must match the filing.`,
  );
  if (noted !== undefined) return noted === filed ? [] : [differs(noted)];
  // No line in the annotation: the custom attribute filing-exposure must hold it (not known before
  // vCenter has the attributes, so a first preview of such a VM needs the annotation line).
  if (!isUnknown(vm.attributeValues) && vm.attributeValues.includes(filed)) return [];
  return [msg(
    `${id}：${ZONE_NAMES.external.zh}虚拟机没有记录对外开放的端口（注释行“对外开放 Exposure: …”或自定义属性 filing-exposure），备案 ${filed}。vSphere 没有防火墙，这份记录就是核对依据。`,
    `${id}: the external VM records no exposure (annotation line "对外开放 Exposure: …" or custom attribute filing-exposure); filed ${filed}. vSphere has no firewall, so this record is what is checked.`,
  )];
}
