import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli";
import { tempRoot } from "../helpers/register";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gate-"));
// The register the preview was made from: the sample one, with tsg-seat-booking (decommissioned, backup
// recorded) removed, as by the pull request that deletes its file.
const root = tempRoot();
fs.rmSync(path.join(root, "filings/tsg/seat-booking.yaml"));
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(root, { recursive: true, force: true });
});

const URN = (type: string, name: string) => `urn:pulumi:campus-vsphere::server-filings::server-filings:index:FilingServer$${type}::${name}`;
const VM = "vsphere:index/virtualMachine:VirtualMachine";

type Step = { op: string; urn: string; oldState?: { protect?: boolean }; platformPower?: string };

/** Every preview has the stack's own step. */
const STACK_STEP = { op: "same", urn: "urn:pulumi:campus-vsphere::server-filings::pulumi:pulumi:Stack::server-filings-campus-vsphere" };

async function gate(steps: Step[]) {
  return gateDocument({ steps: [STACK_STEP, ...steps], changeSummary: {} });
}

async function gateDocument(document: unknown) {
  const file = path.join(dir, `p${Math.random()}.json`);
  fs.writeFileSync(file, JSON.stringify(document));
  return runCli(["preview-gate", file, "--root", root], { cwd: dir });
}

// As Pulumi writes a step's old state: `protect` is left out when false.
const unprotected = {};
const protectedState = { protect: true };

describe("filing preview-gate", () => {
  it("passes creates and updates", async () => {
    const r = await gate([
      { op: "create", urn: URN(VM, "jwc-new") },
      { op: "update", urn: URN(VM, "jwc-exam-scheduling") },
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("预览中没有删除或替换资源的步骤");
  });

  // A filed VM's firewall, as the Proxmox adapter makes it: children of the VM.
  const PVM = "proxmoxve:index/vmLegacy:VmLegacy";
  const CHILD = (type: string, vm: string, name: string) =>
    `urn:pulumi:campus-proxmox::server-filings::server-filings:index:FilingServer$${PVM}$${type}::${name}`;
  const RULES = "proxmoxve:firewall/rulesLegacy:RulesLegacy";
  const OPTIONS = "proxmoxve:firewall/optionsLegacy:OptionsLegacy";

  it.each([
    ["the firewall of a filed VM switched off (its options deleted)", { op: "delete", urn: CHILD(OPTIONS, "jsj-online-judge", "jsj-online-judge-firewall") }, "jsj-online-judge-firewall"],
    ["the firewall rules of a filed VM replaced", { op: "replace", urn: CHILD(RULES, "jsj-online-judge", "jsj-online-judge-ports") }, "jsj-online-judge-ports"],
    ["the component of a filed server deleted", { op: "delete", urn: "urn:pulumi:campus-proxmox::server-filings::server-filings:index:FilingServer::jsj-online-judge" }, "jsj-online-judge"],
    ["an op written in capitals", { op: "DELETE", urn: URN(VM, "jwc-exam-scheduling") }, "jwc-exam-scheduling"],
    ["an op Pulumi may add later that replaces", { op: "read-replacement", urn: URN(VM, "jwc-exam-scheduling") }, "jwc-exam-scheduling"],
  ])("fails on %s", async (_name, step, name) => {
    const r = await gate([step]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(name);
  });

  // Updates that protection does not stop (found by the attacker review), with the states pulumi preview --json prints.
  const update = (urn: string, before: object, after: object) => ({ op: "update", urn, oldState: { protect: true, inputs: before }, newState: { inputs: after } });
  const disks = (...sizes: number[]) => ({ disks: sizes.map((size, i) => ({ interface: `scsi${i}`, size })) });
  it.each<[string, ReturnType<typeof update>, string]>([
    ["a VM losing its second disk", update(URN(VM, "jwc-exam-scheduling"), disks(100, 500), disks(100)), "硬盘将被删除、缩小或换位（100+500 → 100 GiB）"],
    ["a VM's disk shrinking", update(URN(VM, "jwc-exam-scheduling"), disks(100, 500), disks(100, 400)), "硬盘将被删除、缩小或换位（100+500 → 100+400 GiB）"],
    ["a VM's disks gone from its inputs", update(URN(VM, "jwc-exam-scheduling"), disks(100, 500), {}), "硬盘将被删除、缩小或换位（100+500 → 0 GiB）"],
    ["a VM's disks set to null", update(URN(VM, "jwc-exam-scheduling"), disks(100, 500), { disks: null }), "硬盘将被删除、缩小或换位"],
    ["a VM's disks moved to other slots", update(URN(VM, "jwc-exam-scheduling"), disks(100, 500), { disks: [{ interface: "virtio0", size: 100 }, { interface: "virtio1", size: 500 }] }), "硬盘将被删除、缩小或换位"],
    ["a VM's network card firewall switched off", update(URN("proxmoxve:index/vmLegacy:VmLegacy", "jsj-online-judge"), { ...disks(100), networkDevices: [{ bridge: "vmbr1", firewall: true }] }, { ...disks(100), networkDevices: [{ bridge: "vmbr1", firewall: false }] }), "防火墙将被关闭"],
    ["a firewall rule accepting every port", update(CHILD(RULES, "jsj-online-judge", "jsj-online-judge-ports"), { rules: [{ type: "in", action: "ACCEPT", dport: "443", proto: "tcp" }] }, { rules: [{ type: "in", action: "ACCEPT" }] }), "防火墙规则将放行所有端口、整个端口范围或无法核对的规则"],
    // Found by a third attacker review: shapes the first version of this check did not read.
    ...([
      ["a port range", { type: "in", action: "ACCEPT", dport: "1:65535" }],
      ["a blank port", { type: "in", action: "ACCEPT", dport: " " }],
      ["a null port", { type: "in", action: "ACCEPT", dport: null }],
      ["a security group", { type: "group", securityGroup: "allow-all" }],
    ] as const).map(([what, rule]): [string, ReturnType<typeof update>, string] => [`a firewall rule with ${what}`, update(CHILD(RULES, "jsj-online-judge", "jsj-online-judge-ports"), { rules: [{ type: "in", action: "ACCEPT", dport: "443", proto: "tcp" }] }, { rules: [rule] }), "防火墙规则将放行所有端口"]),
    ["one of two network cards losing its firewall", update(URN("proxmoxve:index/vmLegacy:VmLegacy", "jsj-online-judge"), { ...disks(100), networkDevices: [{ bridge: "vmbr1", firewall: true }, { bridge: "vmbr2", firewall: true }] }, { ...disks(100), networkDevices: [{ bridge: "vmbr1", firewall: false }, { bridge: "vmbr2", firewall: true }] }), "防火墙将被关闭"],
    ["a shrunk disk behind a slot named twice", update(URN(VM, "jwc-exam-scheduling"), disks(100, 500), { disks: [{ interface: "scsi0", size: 100 }, { interface: "scsi1", size: 10 }, { interface: "scsi1", size: 500 }] }), "硬盘将被删除、缩小或换位"],
    ["an inbound policy of ACCEPT where none was written (Proxmox's default is DROP)", update(CHILD(OPTIONS, "jsj-online-judge", "jsj-online-judge-firewall"), { enabled: true }, { enabled: true, inputPolicy: "ACCEPT" }), "不再默认拒绝入站连接"],
    ["a VM's firewall switched off", update(CHILD(OPTIONS, "jsj-online-judge", "jsj-online-judge-firewall"), { enabled: true, inputPolicy: "DROP" }, { enabled: false, inputPolicy: "DROP" }), "防火墙将被关闭"],
    ["a VM's firewall accepting everything", update(CHILD(OPTIONS, "jsj-online-judge", "jsj-online-judge-firewall"), { enabled: true, inputPolicy: "DROP" }, { enabled: true, inputPolicy: "ACCEPT" }), "不再默认拒绝入站连接"],
  ])("fails on an update: %s", async (_name, step, says) => {
    const r = await gate([step]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(says);
  });

  it.each([
    ["a disk that grows and one added", update(URN(VM, "jwc-exam-scheduling"), disks(100, 500), disks(200, 500, 50))],
    ["more memory", update(URN(VM, "jwc-exam-scheduling"), { memory: 8192, ...disks(100) }, { memory: 16384, ...disks(100) })],
    ["a port added to the firewall rules", update(CHILD(RULES, "jsj-online-judge", "jsj-online-judge-ports"), { rules: [{ type: "in", action: "ACCEPT", dport: "443" }] }, { rules: [{ type: "in", action: "ACCEPT", dport: "443" }, { type: "in", action: "ACCEPT", dport: "80" }] })],
    ["an update without states (the bare CLI's plain output)", { op: "update", urn: URN(VM, "jwc-exam-scheduling") }],
  ])("passes an update: %s", async (_name, step) => {
    expect((await gate([step])).code).toBe(0);
  });

  it("passes closing every port of a filed VM (its rules deleted, the firewall's DROP policy kept)", async () => {
    const r = await gate([{ op: "delete", urn: CHILD(RULES, "jsj-online-judge", "jsj-online-judge-ports") }]);
    expect(r.code).toBe(0);
  });

  it("passes the firewall and the component of a decommissioned filing whose VM is removed with them", async () => {
    const r = await gate([
      { op: "delete", urn: URN(VM, "tsg-seat-booking"), oldState: unprotected, platformPower: "off" },
      { op: "delete", urn: CHILD(OPTIONS, "tsg-seat-booking", "tsg-seat-booking-firewall") },
      { op: "delete", urn: CHILD(RULES, "tsg-seat-booking", "tsg-seat-booking-ports") },
      { op: "delete", urn: "urn:pulumi:campus-vsphere::server-filings::server-filings:index:FilingServer::tsg-seat-booking" },
    ]);
    expect(r.code, r.stderr).toBe(0);
  });

  it("passes the deletion of a provider that no resource uses any more", async () => {
    expect((await gate([{ op: "delete", urn: "urn:pulumi:campus-vsphere::server-filings::pulumi:providers:vsphere::default_4_17_0" }])).code).toBe(0);
  });

  it.each(["delete", "replace", "create-replacement", "delete-replaced"])("fails on a VM %s, naming the step", async (op) => {
    const r = await gate([{ op, urn: URN(VM, "jwc-exam-scheduling") }]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`::error title=destructive change (${op})::虚拟机 jwc-exam-scheduling 将被`);
  });

  it("fails when a filed VM would be deleted, saying its filing is still in the register", async () => {
    const r = await gate([{ op: "delete", urn: URN(VM, "jwc-exam-scheduling"), oldState: unprotected }]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("备案 jwc-exam-scheduling 仍在登记中");
  });

  it("lets through the deletion of a decommissioned filing's unprotected VM whose file the change removes, once the platform reports it off", async () => {
    const r = await gate([{ op: "delete", urn: URN(VM, "tsg-seat-booking"), oldState: unprotected, platformPower: "off" }]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("::notice title=decommissioned VM removed::虚拟机 tsg-seat-booking 将被删除");
    expect(r.stdout).toContain("只删除 1 台已下线备案的虚拟机");
  });

  it("fails on that deletion while the platform reports the VM running, and on a preview that never read its power (a bare pulumi preview --json)", async () => {
    const running = await gate([{ op: "delete", urn: URN(VM, "tsg-seat-booking"), oldState: unprotected, platformPower: "on" }]);
    expect(running.code).toBe(1);
    expect(running.stderr).toContain("::error title=destructive change (delete)::虚拟机 tsg-seat-booking 将被删除，但平台报告它仍在运行（on）。");
    const unread = await gate([{ op: "delete", urn: URN(VM, "tsg-seat-booking"), oldState: unprotected }]);
    expect(unread.code).toBe(1);
    expect(unread.stderr).toContain("预览没有从平台读到它的电源状态");
  });

  it("still fails when that VM is protected in the deployed state", async () => {
    const r = await gate([{ op: "delete", urn: URN(VM, "tsg-seat-booking"), oldState: protectedState }]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("仍受保护");
  });

  it.each(["replace", "delete-replaced"])("still fails on a %s of that VM", async (op) => {
    const r = await gate([{ op, urn: URN(VM, "tsg-seat-booking"), oldState: unprotected }]);
    expect(r.code).toBe(1);
  });

  it("still fails on a delete step that carries no old state", async () => {
    expect((await gate([{ op: "delete", urn: URN(VM, "tsg-seat-booking") }])).code).toBe(1);
  });

  it("exits 2 on a file that is not a preview", async () => {
    const file = path.join(dir, "bad.json");
    fs.writeFileSync(file, "not json");
    expect((await runCli(["preview-gate", file, "--root", root], { cwd: dir })).code).toBe(2);
  });

  describe("accepts only a preview document it knows", () => {
    it.each([
      ["{}", {}, "缺少步骤列表 steps"],
      ["[]", [], "应为一个 JSON 对象"],
      ["null", null, "应为一个 JSON 对象"],
      ["steps without the stack's own step", { steps: [{ op: "create", urn: URN(VM, "jwc-new") }] }, "没有堆栈本身的步骤"],
      ["a step without op", { steps: [STACK_STEP, { urn: URN(VM, "jwc-new") }] }, "第 2 个步骤缺少 op 或 urn"],
      ["steps that are an object", { steps: { 0: STACK_STEP } }, "缺少步骤列表 steps"],
    ])("%s: exit 2 with the reason", async (_name, document, reason) => {
      const r = await gateDocument(document);
      expect(r.code).toBe(2);
      expect(r.stdout).toContain(reason);
      expect(r.stdout).not.toContain("✓");
    });

    it("a preview that only reported errors fails with the first error", async () => {
      const r = await gateDocument({ steps: [], diagnostics: [{ severity: "error", message: "error: failed to connect to vCenter: 401 Unauthorized\nmore" }] });
      expect(r.code).toBe(1);
      expect(r.stdout).toContain("预览报告了 1 个错误，没有完成：error: failed to connect to vCenter: 401 Unauthorized");
    });
  });
});
