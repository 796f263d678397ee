/**
 * The pack against what the program registers: the sample register passes on both platforms, and
 * each one-field change of a registered resource is blocked by the policy that owns that field,
 * with a message naming the filing, the property, the filed value and the value found.
 */
import { describe, expect, it } from "vitest";
import type { PolicyViolation } from "../../policies/in-process";
import type { Registered } from "../../stacks/simulate";
import { check, packConfig, policyNames, programResources, sampleRegister, withVm, type Stack } from "../helpers/policy";

const INTERNAL = "jwc-exam-scheduling"; // 4 vCPU, 8 GiB, one 100 GiB disk, internal 10.20.1.10
const EXTERNAL = "jwc-course-selection"; // external 203.0.113.10, 443/tcp

const cache = new Map<Stack, Registered[]>();
async function resources(stack: Stack): Promise<Registered[]> {
  if (!cache.has(stack)) cache.set(stack, structuredClone(await programResources(stack)));
  return cache.get(stack)!;
}

describe.each(["campus-vsphere", "campus-proxmox"] as const)("pack on the program's %s resources", (stack) => {
  it("passes the sample register with no violation at all, advisory included", async () => {
    const violations = await check(await resources(stack), packConfig(stack));
    expect(violations).toEqual([]);
  });

  it("sees every VM: removing one filing's VM is reported as a dropped filing", async () => {
    const all = await resources(stack);
    const vmUrn = all.find((r) => r.name === INTERNAL && r.custom)!.urn;
    const without = all.filter((r) => r.urn !== vmUrn && r.parent !== vmUrn);
    const violations = await check(without, packConfig(stack));
    expect(policyNames(violations)).toEqual(["stack-every-filing-provisioned"]);
    expect(violations[0]!.message).toContain(`${INTERNAL}：已批准的虚拟服务器备案在本栈中没有对应的虚拟机：备案 1 台，实际 0 台`);
  });

  it("blocks a VM that is not protected", async () => {
    const violations = await check(withVm(await resources(stack), INTERNAL, (vm) => (vm.protect = false)), packConfig(stack));
    expect(policyNames(violations)).toEqual(["vm-protected"]);
    expect(violations[0]!.message).toContain(`${INTERNAL}：资源选项 protect：备案 开启，实际 关闭`);
    expect(violations[0]!.enforcementLevel).toBe("mandatory");
  });

  it("blocks two VMs on one address", async () => {
    const violations = await check(
      withVm(await resources(stack), INTERNAL, (vm) => setIp(stack, vm, "10.20.1.11")),
      packConfig(stack),
    );
    expect(policyNames(violations)).toEqual(["stack-unique-ips", "vm-network-as-filed"]);
    const dup = violations.filter((v) => v.policy === "stack-unique-ips").map((v) => v.message);
    expect(dup.some((m) => m.includes(`${INTERNAL}：IP 地址 10.20.1.11 同时被 jwc-grade-archive 使用`))).toBe(true);
  });

  it("blocks copies of a VM beyond the department's quota", async () => {
    const all = await resources(stack);
    const original = all.find((r) => r.name === "rsc-personnel-records" && r.custom)!;
    const copies = [1, 2, 3].map((i) => ({ ...structuredClone(original), name: `copy-${i}`, urn: `${original.urn}-copy-${i}` }));
    const violations = await check([...all, ...copies], packConfig(stack));
    expect(policyNames(violations)).toEqual(["stack-department-quota", "stack-unique-ips"]);
    expect(violations.find((v) => v.policy === "stack-department-quota")!.message).toContain("部门 rsc 的虚拟机");
    expect(violations.find((v) => v.policy === "stack-department-quota")!.message).toContain("配额 16 vCPU，实际 20 vCPU");
  });
});

function setIp(stack: Stack, vm: Registered, ip: string): void {
  if (stack === "campus-proxmox") vm.inputs.initialization.ipConfigs[0].ipv4.address = `${ip}/16`;
  else vm.inputs.clone.customize.networkInterfaces[0].ipv4Address = ip;
}

interface Mutation {
  readonly what: string;
  readonly filing: string;
  readonly change: (vm: Registered) => void;
  readonly policies: string[];
  /** Fragments the message of the first listed policy contains: the filing, the property, filed and found. */
  readonly says: string[];
}

const PROXMOX: Mutation[] = [
  { what: "one more core", filing: INTERNAL, change: (vm) => (vm.inputs.cpu.cores = 5), policies: ["vm-within-filing"], says: [`${INTERNAL}：vCPU 超出备案：备案 4 vCPU，实际 5 vCPU`, "vCPU above the filing: filed 4 vCPU, found 5 vCPU"] },
  { what: "a second socket", filing: INTERNAL, change: (vm) => (vm.inputs.cpu.sockets = 2), policies: ["vm-within-filing"], says: ["vCPU 超出备案：备案 4 vCPU，实际 8 vCPU"] },
  { what: "double memory", filing: INTERNAL, change: (vm) => (vm.inputs.memory.dedicated = 16384), policies: ["vm-within-filing"], says: [`${INTERNAL}：内存超出备案：备案 8 GiB，实际 16 GiB`] },
  { what: "a bigger disk", filing: INTERNAL, change: (vm) => (vm.inputs.disks[0].size = 101), policies: ["vm-within-filing"], says: ["第 1 块硬盘超出备案：备案 100 GiB，实际 101 GiB"] },
  { what: "a second disk", filing: INTERNAL, change: (vm) => vm.inputs.disks.push({ interface: "scsi1", datastoreId: "local-lvm", size: 50 }), policies: ["vm-within-filing"], says: ["硬盘数量超出备案：备案 1，实际 2"] },
  { what: "the external network", filing: INTERNAL, change: (vm) => Object.assign(vm.inputs.networkDevices[0], { bridge: "vmbr1", vlanId: 300 }), policies: ["stack-zone-networks-separate", "vm-network-as-filed"], says: ["网络 vmbr1.300 上同时接入了校内网备案"] },
  { what: "another address", filing: INTERNAL, change: (vm) => (vm.inputs.initialization.ipConfigs[0].ipv4.address = "10.20.1.99/16"), policies: ["vm-network-as-filed"], says: [`${INTERNAL}：IP 地址与备案不符：备案 10.20.1.10，实际 10.20.1.99`] },
  { what: "DHCP", filing: INTERNAL, change: (vm) => (vm.inputs.initialization.ipConfigs[0].ipv4 = { address: "dhcp" }), policies: ["vm-network-as-filed"], says: ["备案 10.20.1.10，实际 dhcp"] },
  { what: "no filing label", filing: INTERNAL, change: (vm) => ((vm.inputs.tags = ["dept.jwc"]), (vm.inputs.description = "")), policies: ["stack-every-filing-provisioned", "vm-names-filing"], says: [`${INTERNAL}：已批准的虚拟服务器备案在本栈中没有对应的虚拟机`] },
  { what: "an unknown filing id", filing: INTERNAL, change: (vm) => ((vm.inputs.tags = ["filing.jwc-ghost"]), (vm.inputs.description = "")), policies: ["stack-every-filing-provisioned", "vm-names-filing"], says: [`${INTERNAL}：已批准的虚拟服务器备案在本栈中没有对应的虚拟机`] },
  { what: "two filing ids", filing: INTERNAL, change: (vm) => vm.inputs.tags.push("filing.jwc-grade-archive"), policies: ["stack-every-filing-provisioned", "vm-names-filing"], says: [] },
  { what: "another department's tag", filing: INTERNAL, change: (vm) => vm.inputs.tags.push("dept.cwc"), policies: ["stack-every-filing-provisioned", "vm-names-filing"], says: [] },
  { what: "Proxmox protection off", filing: INTERNAL, change: (vm) => (vm.inputs.protection = false), policies: ["vm-protected"], says: [`${INTERNAL}：Proxmox 属性 protection：备案 true，实际 false`] },
  { what: "the NIC firewall off on an external VM", filing: EXTERNAL, change: (vm) => (vm.inputs.networkDevices[0].firewall = false), policies: ["firewall-as-filed"], says: [`${EXTERNAL}：外网虚拟机第 1 块网卡的防火墙：备案 开启，实际 关闭`] },
];

const VSPHERE: Mutation[] = [
  { what: "one more CPU", filing: INTERNAL, change: (vm) => (vm.inputs.numCpus = 5), policies: ["vm-within-filing"], says: [`${INTERNAL}：vCPU 超出备案：备案 4 vCPU，实际 5 vCPU`] },
  { what: "double memory", filing: INTERNAL, change: (vm) => (vm.inputs.memory = 16384), policies: ["vm-within-filing"], says: ["内存超出备案：备案 8 GiB，实际 16 GiB"] },
  { what: "a second disk", filing: INTERNAL, change: (vm) => vm.inputs.disks.push({ label: "disk1", size: 50, unitNumber: 1 }), policies: ["vm-within-filing"], says: ["硬盘数量超出备案：备案 1，实际 2", "硬盘总容量超出备案：备案 100 GiB，实际 150 GiB"] },
  { what: "a bigger disk", filing: INTERNAL, change: (vm) => (vm.inputs.disks[0].size = 200), policies: ["vm-within-filing"], says: ["第 1 块硬盘超出备案：备案 100 GiB，实际 200 GiB"] },
  { what: "the external port group", filing: INTERNAL, change: (vm) => (vm.inputs.networkInterfaces[0].networkId = "network-campus-dmz"), policies: ["stack-zone-networks-separate", "vm-network-as-filed"], says: ["网络 network-campus-dmz 上同时接入了校内网备案"] },
  { what: "another address", filing: INTERNAL, change: (vm) => (vm.inputs.clone.customize.networkInterfaces[0].ipv4Address = "10.20.1.99"), policies: ["vm-network-as-filed"], says: ["IP 地址与备案不符：备案 10.20.1.10，实际 10.20.1.99"] },
  {
    what: "a custom attribute naming another filing",
    filing: INTERNAL,
    change: (vm) => {
      const attrs = vm.inputs.customAttributes;
      for (const k of Object.keys(attrs)) if (attrs[k] === INTERNAL) attrs[k] = "jwc-grade-archive";
    },
    policies: ["stack-every-filing-provisioned", "vm-names-filing"],
    says: ["虚拟机 jwc-exam-scheduling 标明了多个备案编号：jwc-exam-scheduling, jwc-grade-archive"],
  },
  { what: "neither annotation nor custom attributes", filing: INTERNAL, change: (vm) => (delete vm.inputs.annotation, delete vm.inputs.customAttributes), policies: ["stack-every-filing-provisioned", "vm-names-filing"], says: ["虚拟机 jwc-exam-scheduling 没有标明备案编号"] },
  { what: "a second NIC", filing: EXTERNAL, change: (vm) => vm.inputs.networkInterfaces.push({ networkId: "network-campus-internal" }), policies: ["stack-zone-networks-separate", "vm-network-as-filed"], says: [] },
];

describe.each([
  ["campus-proxmox", PROXMOX],
  ["campus-vsphere", VSPHERE],
] as const)("one-field changes on %s", (stack, table) => {
  it.each(table.map((m) => [m.what, m] as const))("%s is blocked", async (_what, m) => {
    const violations = await check(withVm(await resources(stack), m.filing, m.change), packConfig(stack));
    expect(policyNames(violations)).toEqual([...m.policies].sort());
    expect(violations.every((v) => v.enforcementLevel === "mandatory")).toBe(true);
    const text = violations.map((v) => v.message).join("\n");
    for (const fragment of m.says) expect(text).toContain(fragment);
  });
});

describe("vSphere filing labels", () => {
  it("finds the filing by its custom attribute when the annotation was edited away", async () => {
    const changed = withVm(await resources("campus-vsphere"), INTERNAL, (vm) => (vm.inputs.annotation = "edited by hand"));
    expect(await check(changed, packConfig("campus-vsphere"))).toEqual([]);
  });
});

describe("the zone check on vSphere without configured network ids", () => {
  it("still catches an internal VM on the external port group, by the zone mix", async () => {
    const changed = withVm(await resources("campus-vsphere"), INTERNAL, (vm) => (vm.inputs.networkInterfaces[0].networkId = "network-campus-dmz"));
    const violations = await check(changed, packConfig("campus-vsphere", { zoneNetworks: undefined }));
    expect(policyNames(violations)).toEqual(["stack-zone-networks-separate"]);
    expect(violations[0]!.message).toContain(INTERNAL);
  });
});

describe("Proxmox firewall of an external VM", () => {
  const rulesOf = (all: Registered[]) => all.find((r) => r.name === `${EXTERNAL}-ports`)!;
  const optionsOf = (all: Registered[]) => all.find((r) => r.name === `${EXTERNAL}-firewall`)!;

  const cases: { what: string; change: (all: Registered[]) => Registered[]; policies: string[]; says: string }[] = [
    {
      what: "a forbidden proxy port",
      change: (all) => (rulesOf(all).inputs.rules.push({ type: "in", action: "ACCEPT", proto: "tcp", dport: "3128", enabled: true }), all),
      policies: ["firewall-as-filed", "firewall-forbidden-ports"],
      says: "开放了禁止的端口 3128/tcp",
    },
    {
      what: "an unfiled port",
      change: (all) => (rulesOf(all).inputs.rules.push({ type: "in", action: "ACCEPT", proto: "tcp", dport: "8080" }), all),
      policies: ["firewall-as-filed"],
      says: `${EXTERNAL}：防火墙第 2 条规则开放了未备案的端口：备案 443/tcp，实际 8080/tcp`,
    },
    {
      what: "a rule for every port",
      change: (all) => (rulesOf(all).inputs.rules.push({ type: "in", action: "ACCEPT" }), all),
      policies: ["firewall-as-filed", "firewall-forbidden-ports"],
      says: "实际 */tcp+udp",
    },
    {
      what: "a macro",
      change: (all) => (rulesOf(all).inputs.rules.push({ type: "in", action: "ACCEPT", macro: "Squid" }), all),
      policies: ["firewall-as-filed", "firewall-forbidden-ports"],
      says: "使用了宏 Squid",
    },
    {
      what: "the firewall options switched off",
      change: (all) => ((optionsOf(all).inputs.enabled = false), all),
      policies: ["firewall-as-filed"],
      says: "防火墙选项：备案 enabled=true, inputPolicy=DROP，实际 enabled=false, inputPolicy=DROP",
    },
    {
      what: "inbound ACCEPT as the policy",
      change: (all) => ((optionsOf(all).inputs.inputPolicy = "ACCEPT"), all),
      policies: ["firewall-as-filed"],
      says: "实际 enabled=true, inputPolicy=ACCEPT",
    },
    {
      what: "no firewall options at all",
      change: (all) => all.filter((r) => r.name !== `${EXTERNAL}-firewall`),
      policies: ["firewall-as-filed"],
      says: "实际 未设置",
    },
  ];

  it.each(cases.map((c) => [c.what, c] as const))("blocks %s", async (_what, c) => {
    const violations = await check(c.change(structuredClone(await resources("campus-proxmox"))), packConfig("campus-proxmox"));
    expect(policyNames(violations)).toEqual([...c.policies].sort());
    expect(violations.map((v) => v.message).join("\n")).toContain(c.says);
  });

  it("allows a disabled rule and an ICMP rule", async () => {
    const all = structuredClone(await resources("campus-proxmox"));
    rulesOf(all).inputs.rules.push({ type: "in", action: "ACCEPT", proto: "tcp", dport: "3128", enabled: false }, { type: "in", action: "ACCEPT", proto: "icmp" });
    expect(await check(all, packConfig("campus-proxmox"))).toEqual([]);
  });
});

describe("period", () => {
  // xgb-counseling ends 2026-12-19; the grace period is 30 days.
  it("warns (advisory only) within the grace period", async () => {
    const stack = "campus-proxmox";
    const today = "2027-01-05";
    const violations = await check(await programResources(stack, sampleRegister(today)), packConfig(stack, { today }));
    expect(violations.length).toBeGreaterThan(0);
    expect(violations.every((v) => v.policy === "vm-period-in-grace" && v.enforcementLevel === "advisory")).toBe(true);
    expect(violations.map((v) => v.message).join("\n")).toContain("xgb-counseling：使用期限已于 2026-12-19 到期（已过 17 天），宽限期 30 天内仍可运行");
  });

  it("passes an expired filing whose VM the program powered off, and blocks it when switched back on", async () => {
    const stack = "campus-proxmox";
    const today = "2027-01-25";
    const all = await programResources(stack, sampleRegister(today));
    const mandatory = (vs: PolicyViolation[]) => vs.filter((v) => v.enforcementLevel === "mandatory");
    expect(mandatory(await check(all, packConfig(stack, { today })))).toEqual([]);
    const on = withVm(all, "xgb-counseling", (vm) => (vm.inputs.started = true));
    const violations = mandatory(await check(on, packConfig(stack, { today })));
    expect(violations.map((v) => v.policy)).toEqual(["vm-period-expired"]);
    expect(violations[0]!.message).toContain("xgb-counseling：使用期限已于 2026-12-19 到期，宽限期 30 天也已过，虚拟机应关机：备案 关机，实际 开机");
  });

  it("takes an expired filing's vSphere VM off the network instead of blocking the stack, and blocks a VM left on its zone", async () => {
    const stack = "campus-vsphere";
    const today = "2027-01-25";
    const config = packConfig(stack, { today });
    const mandatory = (vs: PolicyViolation[]) => vs.filter((v) => v.enforcementLevel === "mandatory");
    // The program moves xgb-counseling's NIC to its zone's quarantine port group: nothing blocks the stack.
    const all = await programResources(stack, sampleRegister(today));
    const vm = all.find((r) => r.name === "xgb-counseling" && r.custom)!;
    expect(vm.inputs.networkInterfaces[0].networkId).toBe("network-filings-quarantine-internal");
    expect(mandatory(await check(all, config))).toEqual([]);
    // A program that leaves it on the campus network is blocked, for that VM, with what to do.
    const left = withVm(all, "xgb-counseling", (v) => (v.inputs.networkInterfaces[0].networkId = "network-campus-internal"));
    const blocked = mandatory(await check(left, config));
    expect(blocked.map((v) => [v.policy, v.message.split("：")[0]])).toEqual([["vm-network-as-filed", "xgb-counseling"]]);
    expect(blocked[0]!.message).toContain("备案已过期且超过宽限期，第 1 块网卡应移入隔离端口组（暂停网络服务）：备案 network-filings-quarantine-internal / network-filings-quarantine-external，实际 network-campus-internal");
    // A renewal brings it back: the same VM on its zone network passes once the period is current.
    const renewed = await programResources(stack, sampleRegister());
    expect(renewed.find((r) => r.name === "xgb-counseling" && r.custom)!.inputs.networkInterfaces[0].networkId).toBe("network-campus-internal");
  });

  it("takes a decommissioned filing's vSphere VM off the network too; left on its zone it passes only while the stack's state has it powered off", async () => {
    const stack = "campus-vsphere";
    const config = packConfig(stack);
    const mandatory = (vs: PolicyViolation[]) => vs.filter((v) => v.enforcementLevel === "mandatory");
    const all = await programResources(stack, sampleRegister());
    expect(all.find((r) => r.name === "tsg-seat-booking" && r.custom)!.inputs.networkInterfaces[0].networkId).toBe("network-filings-quarantine-internal");
    expect(mandatory(await check(all, config))).toEqual([]);
    // Left on its zone's network (as a deploy leaves a VM already powered off by hand): refused while its power is not known to be off…
    const left = withVm(all, "tsg-seat-booking", (v) => (v.inputs.networkInterfaces[0].networkId = "network-campus-internal"));
    const blocked = mandatory(await check(left, config));
    expect(blocked.map((v) => v.policy)).toEqual(["vsphere-decommissioned-off-or-quarantined"]);
    expect(blocked[0]!.message).toContain("tsg-seat-booking：备案已下线，虚拟机仍在服务网络上，电源：无法确认已关机。应移入隔离端口组（部署即可），或在 vCenter 中关机。");
    const running = withVm(left, "tsg-seat-booking", (v) => (v.inputs.powerState = "on"));
    expect(mandatory(await check(running, config))[0]!.message).toContain("电源：开机。");
    // …and passes once the stack's state (where the provider reports power) has it off.
    expect(mandatory(await check(withVm(left, "tsg-seat-booking", (v) => (v.inputs.powerState = "off")), config))).toEqual([]);
    // On the other zone's network it is refused whatever its power.
    const other = withVm(all, "tsg-seat-booking", (v) => Object.assign(v.inputs, { powerState: "off", networkInterfaces: [{ networkId: "network-campus-dmz" }] }));
    expect(mandatory(await check(other, config)).map((v) => v.policy)).toContain("vm-network-as-filed");
  });

  it("quarantines internal and external VMs on separate port groups, so expiry in both zones blocks no deploy", async () => {
    // 2027-02-04: xgb-counseling (internal) and tsg-opac (external) are both past their grace periods.
    const stack = "campus-vsphere";
    const today = "2027-02-04";
    const all = await programResources(stack, sampleRegister(today));
    const nic = (name: string) => all.find((r) => r.name === name && r.custom)!.inputs.networkInterfaces[0].networkId;
    expect([nic("xgb-counseling"), nic("tsg-opac")]).toEqual(["network-filings-quarantine-internal", "network-filings-quarantine-external"]);
    expect((await check(all, packConfig(stack, { today }))).filter((v) => v.enforcementLevel === "mandatory")).toEqual([]);
  });
});

describe("sensitive ports facing the Internet (jsj-online-judge opens 22/tcp to 10.8.0.0/16 only)", () => {
  const JUDGE = "jsj-online-judge";

  it("Proxmox: the program admits the filed sources only, and a rule that lets anyone reach SSH is blocked", async () => {
    const all = structuredClone(await resources("campus-proxmox"));
    const rules = all.find((r) => r.name === `${JUDGE}-ports`)!;
    const ssh = rules.inputs.rules.filter((r: any) => r.dport === "22");
    expect(ssh.map((r: any) => r.source)).toEqual(["10.8.0.0/16"]);
    expect(await check(all, packConfig("campus-proxmox"))).toEqual([]);
    delete ssh[0].source;
    const violations = await check(all, packConfig("campus-proxmox"));
    expect(policyNames(violations)).toEqual(["firewall-as-filed"]);
    expect(violations[0]!.message).toContain(`${JUDGE}：防火墙第 3 条规则让 任意地址 any 访问 22/tcp，备案只允许 10.8.0.0/16。`);
  });

  it("Proxmox: a wider range than filed is blocked too", async () => {
    const all = structuredClone(await resources("campus-proxmox"));
    const rule = all.find((r) => r.name === `${JUDGE}-ports`)!.inputs.rules.find((r: any) => r.dport === "22");
    rule.source = "10.0.0.0/8";
    const violations = await check(all, packConfig("campus-proxmox"));
    expect(violations.map((v) => v.message).join("\n")).toContain("让 10.0.0.0/8 访问 22/tcp，备案只允许 10.8.0.0/16");
  });

  it("vSphere: the annotation records the filed exposure, and an edited record is blocked", async () => {
    const all = await resources("campus-vsphere");
    const vm = all.find((r) => r.name === JUDGE && r.custom)!;
    expect(vm.inputs.annotation).toContain("对外开放 Exposure: 443/tcp, 80/tcp, 22/tcp<-10.8.0.0/16");
    const changed = withVm(all, JUDGE, (v) => (v.inputs.annotation = v.inputs.annotation.replace("22/tcp<-10.8.0.0/16", "22/tcp")));
    const violations = await check(changed, packConfig("campus-vsphere"));
    expect(policyNames(violations)).toEqual(["vsphere-exposure-recorded"]);
    expect(violations[0]!.message).toContain(`${JUDGE}：记录的对外开放端口与备案不符：备案 443/tcp, 80/tcp, 22/tcp<-10.8.0.0/16，实际 443/tcp, 80/tcp, 22/tcp。`);
  });

  it("vSphere: without the annotation line, the custom attribute filing-exposure holds the record; without either, blocked", async () => {
    const all = await resources("campus-vsphere");
    const noLine = (v: Registered) => (v.inputs.annotation = v.inputs.annotation.split("\n").filter((l: string) => !l.startsWith("对外开放")).join("\n"));
    expect(await check(withVm(all, JUDGE, noLine), packConfig("campus-vsphere"))).toEqual([]);
    const neither = withVm(all, JUDGE, (v) => {
      noLine(v);
      for (const k of Object.keys(v.inputs.customAttributes)) if (String(v.inputs.customAttributes[k]).includes("443/tcp")) v.inputs.customAttributes[k] = "443/tcp";
    });
    const violations = await check(neither, packConfig("campus-vsphere"));
    expect(policyNames(violations)).toEqual(["vsphere-exposure-recorded"]);
    expect(violations[0]!.message).toContain(`${JUDGE}：外网虚拟机没有记录对外开放的端口`);
  });
});
