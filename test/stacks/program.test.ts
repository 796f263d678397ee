import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { generateRegister } from "../../bench/generate-register";
import { readFilingFiles } from "../../lib/filings/read";
import { readConfigFiles } from "../../lib/config/read";
import { beforeEach, describe, expect, it } from "vitest";
import { tagValues, VSPHERE_ATTRIBUTES } from "../../lib/plan/labels";
import { planRegister } from "../../lib/plan/servers";
import type { RegisterInput } from "../../lib/validate";
import { defineProgram, ProgramStopped, type ServerOutput } from "../../stacks/program";
import { mockId, record, resetRecord, resolved, settle, type Registered } from "../../stacks/simulate";
import { BASE, BASE_PATH, TODAY, edit, sampleConfig, sampleFilings } from "../helpers/register";
import { stackInput } from "../helpers/stack";

const VM_TYPE = {
  "campus-vsphere": "vsphere:index/virtualMachine:VirtualMachine",
  "campus-proxmox": "proxmoxve:index/vmLegacy:VmLegacy",
} as const;
type Stack = keyof typeof VM_TYPE;

const register = (today = TODAY, extra: Record<string, string> = {}): RegisterInput => ({
  filings: [
    ...sampleFilings.filter((f) => !(f.path in extra)),
    ...Object.entries(extra).map(([p, text]) => ({ path: p, bytes: Buffer.from(text, "utf8") })),
  ],
  config: sampleConfig,
  today,
});

/** The program under the mocks: its VMs, its outputs and what it tells the engine's user (notices). */
async function run(stack: Stack, reg: RegisterInput = register()): Promise<{ vms: Registered[]; outputs: Record<string, ServerOutput>; notices: string[] }> {
  resetRecord();
  const notices: string[] = [];
  const outputs = await defineProgram({ register: reg, stack: stackInput(stack), notify: (m) => notices.push(m.zh) });
  await Promise.all(Object.values(outputs).flatMap((o) => (o.platformId ? [resolved(o.platformId)] : [])));
  await settle();
  // Outputs the platform reports (a vSphere VM's power) as the stack output holds them: plain values.
  const plain = Object.fromEntries(await Promise.all(Object.entries(outputs).map(async ([id, o]) => [id, { ...o, power: pulumi.Output.isInstance(o.power) ? await resolved(o.power as pulumi.Output<string>) : o.power }] as const)));
  return { vms: record.resources.filter((r) => r.type === VM_TYPE[stack]), outputs: plain, notices };
}

/** What the platform's VM says, in the filing's terms. */
function asFiled(stack: Stack, vm: Registered) {
  const i = vm.inputs;
  if (stack === "campus-proxmox") {
    const ip = i.initialization.ipConfigs[0].ipv4.address.split("/")[0];
    return {
      id: tagValues(i.tags, "filingId").join(","),
      cpu: i.cpu.cores,
      memoryGiB: i.memory.dedicated / 1024,
      disks: i.disks.map((d: any) => d.size),
      network: i.networkDevices.map((n: any) => n.bridge),
      ip,
      on: i.started,
    };
  }
  const filingIdAttribute = mockId("vsphere:index/customAttribute:CustomAttribute", VSPHERE_ATTRIBUTES.filingId);
  return {
    id: i.customAttributes[filingIdAttribute],
    cpu: i.numCpus,
    memoryGiB: i.memory / 1024,
    disks: i.disks.map((d: any) => d.size),
    network: i.networkInterfaces.map((n: any) => n.networkId),
    ip: i.clone.customize.networkInterfaces[0].ipv4Address,
    on: undefined,
  };
}

const NETWORK = {
  "campus-proxmox": { internal: "vmbr0", external: "vmbr1" },
  "campus-vsphere": { internal: "network-campus-internal", external: "network-campus-dmz" },
} as const;

const plan = planRegister(register()).servers!;
const active = plan.filter((s) => s.type === "virtual" && s.status === "active");

beforeEach(() => resetRecord());

describe.each(["campus-vsphere", "campus-proxmox"] as const)("program on %s", (stack) => {
  it("creates exactly one VM per filed virtual server, with the filed CPU, memory, disks, network and IP", async () => {
    const { vms } = await run(stack);
    const withVm = plan.filter((s) => s.vm);
    expect(vms.map((v) => v.name).sort()).toEqual(withVm.map((s) => s.id));
    for (const server of active) {
      const vm = vms.find((v) => v.name === server.id)!;
      expect(asFiled(stack, vm)).toMatchObject({
        id: server.id,
        cpu: server.resources.cpu,
        memoryGiB: server.resources.memoryGiB,
        disks: server.resources.disksGiB,
        network: [NETWORK[stack][server.network.zone]],
        ip: server.network.ip,
      });
    }
  });

  it("protects every active VM and never lets a template change replace one", async () => {
    const { vms } = await run(stack);
    for (const server of active) {
      const vm = vms.find((v) => v.name === server.id)!;
      expect(vm.protect, server.id).toBe(true);
      expect(vm.ignoreChanges).toContain("clone");
    }
  });

  it("keeps a decommissioned VM, unprotected and powered off; a physical server gets no VM but is in the outputs", async () => {
    const { vms, outputs, notices } = await run(stack);
    const vm = vms.find((v) => v.name === "tsg-seat-booking")!;
    expect(vm.protect).toBe(false);
    // Power as the platform reports it: Proxmox by the program's `started: false`; a vSphere VM stays on until someone powers it off in vCenter.
    expect(outputs["tsg-seat-booking"]).toMatchObject({ state: "decommissioned", power: stack === "campus-proxmox" ? "off" : "on" });
    if (stack === "campus-proxmox") expect(vm.inputs).toMatchObject({ started: false, onBoot: false, protection: false });
    // The vSphere provider cannot switch power: the engine's user is told what to do in vCenter.
    if (stack === "campus-vsphere") {
      // Off the network at once (its zone's quarantine port group), and told to be powered off in vCenter while vCenter says it runs.
      expect(asFiled(stack, vm).network).toEqual(["network-filings-quarantine-internal"]);
      expect(notices).toContain(
        "tsg-seat-booking：已下线，网卡在隔离端口组 filings-quarantine-internal（暂停网络服务，数据保留）；电源状态为 on。vSphere 提供程序不能关机：请在 vCenter 中关机。关机后即可提交删除备案文件的变更（预览会从 vCenter 读取电源状态）。",
      );
    }
    else expect(notices).toEqual([]);
    for (const id of ["kyc-hpc-login", "jsj-gpu-lab", "hxy-spectra-db"]) {
      expect(vms.find((v) => v.name === id)).toBeUndefined();
      expect(outputs[id]).toMatchObject({ state: "physical", platformId: undefined, power: "n/a" });
    }
  });

  it("takes out of service (Proxmox: off; vSphere: quarantined), but keeps and protects, a VM whose filing expired beyond the grace period", async () => {
    // xgb-counseling ends 2026-12-19; with 30 days of grace it is powered off from 2027-01-19.
    const { vms, outputs, notices } = await run(stack, register("2027-01-19"));
    const vm = vms.find((v) => v.name === "xgb-counseling")!;
    // Quarantined on vSphere means off the network, still running.
    expect(outputs["xgb-counseling"]).toMatchObject({ state: "expired", power: stack === "campus-proxmox" ? "off" : "on" });
    expect(vm.protect).toBe(true);
    if (stack === "campus-proxmox") expect(vm.inputs).toMatchObject({ started: false, protection: true });
    else {
      expect(vm.inputs.annotation).toContain("vSphere NIC on the quarantine port group");
      expect(vm.inputs.networkInterfaces[0].networkId).toBe("network-filings-quarantine-internal");
      expect(notices.filter((n) => n.startsWith("xgb-counseling："))).toEqual(["xgb-counseling：备案已过期且超过宽限期，网卡已移入隔离端口组 filings-quarantine-internal（暂停网络服务，数据保留）。续期合并后自动恢复。"]);
    }
    // The day before, it is still within its grace period and running.
    const dayBefore = await run(stack, register("2027-01-18"));
    expect(dayBefore.outputs["xgb-counseling"]).toMatchObject({ state: "running", power: "on" });
  });

  it("registers every filing of a register larger than one turn of registrations, each exactly once", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "program-turns-"));
    try {
      generateRegister(250, dir);
      const big = { filings: readFilingFiles(dir), config: readConfigFiles(dir), today: TODAY };
      const planned = planRegister(big).servers!.filter((s) => s.vm).map((s) => s.id);
      expect(planned.length).toBeGreaterThan(200);
      const { vms, outputs } = await run(stack, big);
      expect(vms.map((v) => v.name).sort()).toEqual([...planned].sort());
      expect(Object.keys(outputs)).toHaveLength(250);
      expect(Error.stackTraceLimit).toBeGreaterThan(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("outputs the platform id, IP, zone and power state per filing id", async () => {
    const { outputs } = await run(stack);
    const out = outputs["jwc-course-selection"]!;
    expect(out).toMatchObject({ zone: "external", ip: "203.0.113.10", power: "on", state: "running" });
    expect(await resolved(out.platformId!)).toMatch(stack === "campus-vsphere" ? /^uuid-/ : /^\d+$/);
  });

  it("registers nothing and fails with the validator's message when the register is invalid", async () => {
    resetRecord();
    const bad = register(TODAY, { [BASE_PATH]: edit(BASE, "cpu: 4", "cpu: 64") });
    await expect(defineProgram({ register: bad, stack: stackInput(stack) })).rejects.toThrow(pulumi.RunError);
    await expect(defineProgram({ register: bad, stack: stackInput(stack) })).rejects.toThrow(/filings\/jwc\/fixture\.yaml:\d+:\d+.*\[vm-limits\]/);
    await settle();
    expect(record.resources).toEqual([]);
    expect(record.invokes).toEqual([]);
  });
});

describe("program stack configuration", () => {
  it("fails on an unknown platform, listing the valid ones, before registering anything", async () => {
    const stack = stackInput("campus-vsphere", (t) => t.replace("server-filings:platform: vsphere", "server-filings:platform: hyperv"));
    await expect(defineProgram({ register: register(), stack })).rejects.toThrow(
      /stacks\/Pulumi\.campus-vsphere\.yaml:\d+:\d+.*"hyperv".*vsphere、proxmox/,
    );
    await settle();
    expect(record.resources).toEqual([]);
  });

  it("names the stack file, line and key of a missing site setting", async () => {
    const stack = stackInput("campus-proxmox", (t) => t.replace("    templateVmId: 9000\n", ""));
    await expect(defineProgram({ register: register(), stack })).rejects.toThrow(
      /stacks\/Pulumi\.campus-proxmox\.yaml:7:\d+.*server-filings:site\.templateVmId/,
    );
  });
});

describe("vSphere names that vCenter does not have", () => {
  /** The program with `absent` missing from the simulated vCenter: how it stopped, and what it registered meanwhile. */
  async function stoppedBy(absent: string[], reg = register(), stack = stackInput("campus-vsphere")) {
    resetRecord();
    record.absent = new Set(absent);
    const error = await defineProgram({ register: reg, stack, lang: "zh" }).then(
      () => undefined,
      (e: unknown) => e,
    );
    await settle();
    return { error: error as ProgramStopped | undefined, registered: record.resources.map((r) => r.name) };
  }

  it("a port group typo stops the program before anything is registered, naming the stack, the port group, its key and the fix", async () => {
    const { error, registered } = await stoppedBy(["campus-dmz"]);
    expect(error).toBeInstanceOf(ProgramStopped);
    expect(error!.error.exitCode).toBe(2);
    expect(error!.message).toBe(
      '堆栈 campus-vsphere：vCenter 中没有端口组 "campus-dmz"（stacks/Pulumi.campus-vsphere.yaml:18:18 server-filings:networks.external.portGroup）。请在 vCenter 中创建该端口组，或在 stacks/Pulumi.campus-vsphere.yaml 中改正名称；若它已存在，请给部署账号（VSPHERE_USER）授予它的权限。未创建或修改任何资源。',
    );
    expect(error!.error.userMessage.en).toBe(
      'Stack campus-vsphere: vCenter has no port group "campus-dmz" (stacks/Pulumi.campus-vsphere.yaml:18:18 server-filings:networks.external.portGroup). Create the port group in vCenter, or correct the name in stacks/Pulumi.campus-vsphere.yaml; if it exists, give the deploying account (VSPHERE_USER) access to it. Nothing was created or changed.',
    );
    // Not even the custom attributes, which need no lookup.
    expect(registered).toEqual([]);
  });

  it("names every missing site object in one run, in the stack file's order", async () => {
    const { error, registered } = await stoppedBy(["ubuntu-24.04-template", "cluster-01", "campus-internal"]);
    expect(error!.message.split("\n").map((l) => /（(\S+) (\S+)）/.exec(l)?.slice(1))).toEqual([
      ["stacks/Pulumi.campus-vsphere.yaml:9:14", "server-filings:site.cluster"],
      ["stacks/Pulumi.campus-vsphere.yaml:12:15", "server-filings:site.template"],
      ["stacks/Pulumi.campus-vsphere.yaml:16:18", "server-filings:networks.internal.portGroup"],
    ]);
    expect(registered).toEqual([]);
  });

  it("a missing datacenter stops before anything inside it is looked up", async () => {
    const { error } = await stoppedBy(["campus-dc"]);
    expect(error!.message).toContain('vCenter 中没有数据中心 "campus-dc"（stacks/Pulumi.campus-vsphere.yaml:8:17 server-filings:site.datacenter）');
    expect(record.invokes.map((i) => i.token)).toEqual(["vsphere:index/getDatacenter:getDatacenter"]);
  });

  it("needs a zone's quarantine port group only once a filing of that zone is out of service (past its grace period, or decommissioned)", async () => {
    expect((await stoppedBy(["filings-quarantine-external"])).error).toBeUndefined();
    // tsg-opac (external) is quarantined from 2027-02-04.
    const expired = await stoppedBy(["filings-quarantine-external"], register("2027-02-04"));
    expect(expired.error!.message).toContain('vCenter 中没有端口组 "filings-quarantine-external"（stacks/Pulumi.campus-vsphere.yaml:25:18 server-filings:quarantine.external.portGroup）');
    expect(expired.registered).toEqual([]);
    // tsg-seat-booking (internal) is decommissioned.
    const decommissioned = await stoppedBy(["filings-quarantine-internal"]);
    expect(decommissioned.error!.message).toContain('vCenter 中没有端口组 "filings-quarantine-internal"（stacks/Pulumi.campus-vsphere.yaml:23:18 server-filings:quarantine.internal.portGroup）');
    expect(decommissioned.registered).toEqual([]);
  });

  it("a stack that looks the custom attributes up names those vCenter lacks in one line, and says which stack must deploy first", async () => {
    const lookup = stackInput("campus-vsphere", (t) => t.replace("server-filings:platform: vsphere", "server-filings:platform: vsphere\n  server-filings:customAttributes: lookup"));
    const { error } = await stoppedBy([VSPHERE_ATTRIBUTES.filingId, VSPHERE_ATTRIBUTES.periodEnd], register(), lookup);
    expect(error!.message.split("\n")).toHaveLength(1);
    expect(error!.message).toContain(`vCenter 中没有自定义属性 "${VSPHERE_ATTRIBUTES.filingId}"、"${VSPHERE_ATTRIBUTES.periodEnd}"`);
    expect(error!.message).toContain("server-filings:customAttributes 为 lookup");
    expect(error!.message).toContain("请先部署同一 vCenter 上管理这些属性的堆栈");
  });

  it("a lookup that fails for another reason (vCenter refused the sign-in) keeps the provider's own error", async () => {
    resetRecord();
    const refused = new Error("invoking vsphere:index/getDatacenter:getDatacenter: error setting up new vSphere SOAP client: ServerFaultCode: Cannot complete login due to an incorrect user name or password.");
    const original = pulumi.runtime.invoke;
    (pulumi.runtime as { invoke: unknown }).invoke = () => Promise.reject(refused);
    try {
      await expect(defineProgram({ register: register(), stack: stackInput("campus-vsphere") })).rejects.toBe(refused);
    } finally {
      (pulumi.runtime as { invoke: unknown }).invoke = original;
    }
  });
});

describe("Proxmox firewall", () => {
  it("turns the firewall on for external VMs and opens exactly the filed ports", async () => {
    await run("campus-proxmox");
    const rules = record.resources.filter((r) => r.type === "proxmoxve:firewall/rulesLegacy:RulesLegacy");
    const options = record.resources.filter((r) => r.type === "proxmoxve:firewall/optionsLegacy:OptionsLegacy");
    const external = active.filter((s) => s.network.zone === "external");
    expect(options.map((o) => o.name).sort()).toEqual(external.map((s) => `${s.id}-firewall`));
    for (const o of options) expect(o.inputs).toMatchObject({ enabled: true, inputPolicy: "DROP" });
    for (const server of external) {
      const r = rules.find((x) => x.name === `${server.id}-ports`)!;
      expect(r.inputs.rules.map((x: any) => `${x.dport}/${x.proto}`)).toEqual(server.network.ports);
      expect(r.inputs.rules.every((x: any) => x.type === "in" && x.action === "ACCEPT")).toBe(true);
    }
    const internal = record.resources.filter((r) => r.type === VM_TYPE["campus-proxmox"] && !external.some((s) => s.id === r.name));
    for (const vm of internal) expect(vm.inputs.networkDevices[0].firewall).toBe(false);
  });
});

describe("vSphere clone", () => {
  it("clones the site's template with guest customization for host name and the filed static IP", async () => {
    const { vms } = await run("campus-vsphere");
    const vm = vms.find((v) => v.name === "jwc-exam-scheduling")!;
    const server = plan.find((s) => s.id === "jwc-exam-scheduling")!;
    expect(vm.inputs).toMatchObject({
      resourcePoolId: "resgroup-9",
      datastoreId: "datastore-11",
      folder: "filings",
      guestId: "ubuntu64Guest",
      clone: {
        templateUuid: "4213f9c2-template-uuid",
        customize: {
          linuxOptions: { hostName: "jwc-exam-scheduling", domain: "example.edu.cn" },
          networkInterfaces: [{ ipv4Address: server.network.ip, ipv4Netmask: 16 }],
          ipv4Gateway: "10.20.0.1",
          dnsServerLists: ["10.20.0.53", "10.20.0.54"],
        },
      },
    });
    expect(vm.inputs.annotation).toContain("jwc-exam-scheduling");
    const lookups = record.invokes.map((i) => [i.token, i.inputs.name]);
    expect(lookups).toEqual(
      expect.arrayContaining([
        ["vsphere:index/getDatacenter:getDatacenter", "campus-dc"],
        ["vsphere:index/getComputeCluster:getComputeCluster", "cluster-01"],
        ["vsphere:index/getDatastore:getDatastore", "datastore-01"],
        ["vsphere:index/getNetwork:getNetwork", "campus-internal"],
        ["vsphere:index/getNetwork:getNetwork", "campus-dmz"],
        ["vsphere:index/getVirtualMachine:getVirtualMachine", "ubuntu-24.04-template"],
      ]),
    );
  });
});
