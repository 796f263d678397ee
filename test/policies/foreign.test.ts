/**
 * The pack against VMs another program at the school writes by hand: a conforming VM passes, and
 * each way of stepping outside the filing is blocked with a message naming filing, property,
 * filed and found values.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { ResourceRecord } from "../../policies/in-process";
import { check, policyNames } from "../helpers/policy";
import { REPO, TODAY, tempRoot } from "../helpers/register";

// The engine's markers for values unknown at preview; internal to @pulumi/policy, so untyped.
const { unknownNumberValue, unknownStringValue } = require("@pulumi/policy/proxy") as Record<string, string>;

const urn = (type: string, name: string) => `urn:pulumi:lab::lab-cloud::${type}::${name}`;
const PVE = "proxmoxve:index/vmLegacy:VmLegacy";
const VC = "vsphere:index/virtualMachine:VirtualMachine";
const RULES = "proxmoxve:firewall/rulesLegacy:RulesLegacy";

/** jwc-exam-scheduling as the lab's own program writes it: 4 vCPU, 8 GiB, 100 GiB, internal 10.20.1.10. */
function proxmoxVm(change: (inputs: Record<string, any>) => void = () => {}, protect = true): ResourceRecord {
  const inputs: Record<string, any> = {
    nodeName: "pve-lab",
    name: "exam",
    tags: ["filing.jwc-exam-scheduling"],
    cpu: { cores: 4 },
    memory: { dedicated: 8192 },
    disks: [{ interface: "scsi0", size: 100 }],
    networkDevices: [{ bridge: "vmbr0", vlanId: 120 }],
    initialization: { ipConfigs: [{ ipv4: { address: "10.20.1.10/16", gateway: "10.20.0.1" } }] },
    protection: true,
  };
  change(inputs);
  return { type: PVE, name: "exam", urn: urn(PVE, "exam"), inputs, protect };
}

function vsphereVm(change: (inputs: Record<string, any>) => void = () => {}): ResourceRecord {
  const inputs: Record<string, any> = {
    name: "exam",
    annotation: "备案编号 Filing: jwc-exam-scheduling\nlab copy",
    numCpus: 4,
    memory: 8192,
    disks: [{ label: "disk0", size: 100 }],
    networkInterfaces: [{ networkId: "dvportgroup-20" }],
    clone: { templateUuid: "t", customize: { networkInterfaces: [{ ipv4Address: "10.20.1.10", ipv4Netmask: 16 }] } },
  };
  change(inputs);
  return { type: VC, name: "exam", urn: urn(VC, "exam"), inputs, protect: true };
}

const config = { root: REPO, today: TODAY, zoneNetworks: { vsphere: { internal: ["dvportgroup-20"], external: ["dvportgroup-30"] } } };

describe("a foreign program's VMs", () => {
  it("pass when they match their filing, and the foreign stack need not hold the whole register", async () => {
    expect(await check([proxmoxVm()], config)).toEqual([]);
    expect(await check([vsphereVm()], config)).toEqual([]);
  });

  const cases: { what: string; resources: ResourceRecord[]; today?: string; policies: string[]; says: string }[] = [
    { what: "no filing tag", resources: [proxmoxVm((i) => (i.tags = []))], policies: ["vm-names-filing"], says: "虚拟机 exam 没有标明备案编号（应在标签 filing.<编号>中写明）" },
    { what: "no annotation on vSphere", resources: [vsphereVm((i) => delete i.annotation)], policies: ["vm-names-filing"], says: "VM exam names no filing" },
    { what: "a custom attribute naming another filing", resources: [vsphereVm((i) => (i.customAttributes = { "601": "jwc-grade-archive", "602": "jwc" }))], policies: ["vm-names-filing"], says: "虚拟机 exam 标明了多个备案编号：jwc-exam-scheduling, jwc-grade-archive" },
    { what: "an unknown id", resources: [proxmoxVm((i) => (i.tags = ["filing.jwc-ghost"]))], policies: ["vm-names-filing"], says: "虚拟机 exam：备案编号 jwc-ghost 在备案登记中不存在" },
    { what: "a physical filing's id", resources: [proxmoxVm((i) => (i.tags = ["filing.kyc-hpc-login"]))], policies: ["vm-names-filing"], says: "kyc-hpc-login：备案的服务器类型为物理服务器" },
    { what: "CPU + 1", resources: [proxmoxVm((i) => (i.cpu.cores = 5))], policies: ["vm-within-filing"], says: "jwc-exam-scheduling：vCPU 超出备案：备案 4 vCPU，实际 5 vCPU" },
    { what: "CPU + 1 on vSphere", resources: [vsphereVm((i) => (i.numCpus = 5))], policies: ["vm-within-filing"], says: "jwc-exam-scheduling：vCPU 超出备案：备案 4 vCPU，实际 5 vCPU" },
    { what: "the provider's default memory above a small filing", resources: [proxmoxVm((i) => ((i.tags = ["filing.cwc-salary-query"]), (i.initialization.ipConfigs[0].ipv4.address = "10.20.1.18/16"), (i.cpu.cores = 2), (i.disks[0].size = 50), (i.memory.dedicated = 8192)))], policies: ["vm-within-filing"], says: "cwc-salary-query：内存超出备案：备案 4 GiB，实际 8 GiB" },
    { what: "a second disk", resources: [proxmoxVm((i) => i.disks.push({ interface: "scsi1", size: 10 }))], policies: ["vm-within-filing"], says: "硬盘数量超出备案：备案 1，实际 2" },
    { what: "no disks declared (the template's kept)", resources: [proxmoxVm((i) => delete i.disks)], policies: ["vm-within-filing"], says: "jwc-exam-scheduling：没有声明硬盘" },
    { what: "the external network on an internal filing", resources: [proxmoxVm((i) => (i.networkDevices = [{ bridge: "vmbr1", vlanId: 300 }]))], policies: ["vm-network-as-filed"], says: "jwc-exam-scheduling：第 1 块网卡接入了外网（网络 vmbr1.300），备案的网络区域为校内网" },
    { what: "the external port group on vSphere", resources: [vsphereVm((i) => (i.networkInterfaces[0].networkId = "dvportgroup-30"))], policies: ["vm-network-as-filed"], says: "jwc-exam-scheduling: NIC 1 is on the external network dvportgroup-30" },
    { what: "a network of no zone", resources: [proxmoxVm((i) => (i.networkDevices = [{ bridge: "vmbr9" }]))], policies: ["vm-network-as-filed"], says: "第 1 块网卡接入网络 vmbr9，不是备案区域（校内网）的网络 vmbr0.120" },
    { what: "the wrong IP", resources: [proxmoxVm((i) => (i.initialization.ipConfigs[0].ipv4.address = "10.20.1.11/16"))], policies: ["vm-network-as-filed"], says: "IP 地址与备案不符：备案 10.20.1.10，实际 10.20.1.11" },
    { what: "no address at all", resources: [proxmoxVm((i) => delete i.initialization)], policies: ["vm-network-as-filed"], says: "没有配置静态 IP 地址，备案的地址为 10.20.1.10" },
    {
      what: "an expired filing, still running",
      resources: [proxmoxVm((i) => ((i.tags = ["filing.xgb-counseling"]), (i.cpu.cores = 2), (i.memory.dedicated = 4096), (i.disks[0].size = 50), (i.initialization.ipConfigs[0].ipv4.address = "10.20.1.13/16")))],
      today: "2027-02-01",
      policies: ["vm-period-expired"],
      says: "xgb-counseling：使用期限已于 2026-12-19 到期，宽限期 30 天也已过",
    },
    {
      what: "a forbidden port",
      resources: [proxmoxVm(), { type: RULES, name: "exam-rules", urn: urn(RULES, "exam-rules"), inputs: { nodeName: "pve-lab", vmId: 4242, rules: [{ type: "in", action: "ACCEPT", proto: "tcp", dport: "9000:9100" }] }, protect: false }],
      policies: ["firewall-forbidden-ports"],
      says: "exam-rules：防火墙第 1 条规则开放了禁止的端口 9050/tcp",
    },
    { what: "an unprotected VM", resources: [proxmoxVm(() => {}, false)], policies: ["vm-protected"], says: "jwc-exam-scheduling：资源选项 protect：备案 开启，实际 关闭" },
    { what: "a Proxmox resource type the pack cannot read", resources: [{ type: "proxmoxve:index/vm:Vm", name: "sneaky", urn: urn("proxmoxve:index/vm:Vm", "sneaky"), inputs: { nodeName: "pve-lab" }, protect: true }], policies: ["server-type-supported"], says: "sneaky：资源类型 proxmoxve:index/vm:Vm 无法由备案策略核对" },
  ];

  it.each(cases.map((c) => [c.what, c] as const))("are blocked for %s", async (_what, c) => {
    const violations = await check(c.resources, { ...config, today: c.today ?? TODAY });
    expect(policyNames(violations)).toEqual(c.policies);
    expect(violations.every((v) => v.enforcementLevel === "mandatory")).toBe(true);
    expect(violations.map((v) => v.message).join("\n")).toContain(c.says);
  });

  it("cannot hide a size behind a value unknown at preview", async () => {
    const violations = await check([proxmoxVm((i) => (i.cpu.cores = unknownNumberValue))], config);
    expect(policyNames(violations)).toEqual(["vm-within-filing"]);
    expect(violations[0]!.message).toContain("jwc-exam-scheduling：vCPU 在创建前无法确定");
  });

  it("cannot hide the filing id behind a value unknown at preview", async () => {
    const violations = await check([proxmoxVm((i) => (i.tags = [unknownStringValue]))], config);
    expect(policyNames(violations)).toEqual(["vm-names-filing"]);
    expect(violations[0]!.message).toContain("备案编号标签在创建前无法确定");
  });

  it("reads the annotation while custom attributes are still unknown (first preview)", async () => {
    expect(await check([vsphereVm((i) => (i.customAttributes = unknownStringValue))], config)).toEqual([]);
  });

  it("still judges every known property when an unchecked one is unknown", async () => {
    const violations = await check([proxmoxVm((i) => ((i.vmId = unknownNumberValue), (i.cpu.cores = 6)))], config);
    expect(policyNames(violations)).toEqual(["vm-within-filing"]);
    expect(violations[0]!.message).toContain("备案 4 vCPU，实际 6 vCPU");
  });
});

describe("a register with errors", () => {
  it("refuses every VM, quoting the first error", async () => {
    const root = tempRoot();
    try {
      fs.writeFileSync(path.join(root, "filings/jwc/broken.yaml"), "id: jwc-broken\n");
      const violations = await check([proxmoxVm()], { ...config, root });
      expect(policyNames(violations)).toEqual(["vm-names-filing"]);
      expect(violations[0]!.message).toMatch(/虚拟机 exam：备案登记有 \d+ 个错误，无法核对任何虚拟机。首个：filings\/jwc\/broken\.yaml/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
