/**
 * The destructive-change gate in-process (lib/preview/gate.ts), as `filing preview-gate` applies it to
 * a pull request's preview: each kind of step, the exact finding the reviewer reads in both languages,
 * and the document shapes it refuses to judge. test/cli/preview-gate.test.ts runs the command itself.
 */
import { describe, expect, it } from "vitest";
import { gatePreview, gateVerdict, previewSteps, type DigestStep, type JudgedStep } from "../../lib/preview/gate";
import { FILING_COMPONENT, PROXMOX_FIREWALL, VM_TYPES } from "../../lib/compliance/tokens";

const STACK = "urn:pulumi:campus-proxmox::server-filings::pulumi:pulumi:Stack::server-filings-campus-proxmox";
const top = (type: string, name: string) => `urn:pulumi:campus-proxmox::server-filings::${type}::${name}`;
const child = (type: string, name: string) => `urn:pulumi:campus-proxmox::server-filings::${FILING_COMPONENT}$${type}::${name}`;
const VM = (name: string) => child(VM_TYPES.proxmox, name);
const OPTIONS = (id: string) => child(PROXMOX_FIREWALL.options, `${id}-firewall`);
const RULES = (id: string) => child(PROXMOX_FIREWALL.rules, `${id}-ports`);
const update = (urn: string, before: Record<string, unknown>, after: Record<string, unknown>): DigestStep => ({ op: "update", urn, oldState: { inputs: before }, newState: { inputs: after } });

/** Filed in the register the preview was made from; `gone-vm` is not (its file removed). */
const FILED = new Set(["jwc-exam", "jsj-judge"]);
/** As `filing preview-gate` judges a preview of these steps (and the stack's own). */
const judged = (...steps: DigestStep[]) => {
  const read = previewSteps({ steps: [{ op: "same", urn: STACK }, ...steps] }) as { steps: JudgedStep[] };
  const r = gatePreview(read.steps, FILED);
  return { blocked: r.blocked.map((f) => [f.op, f.message.zh, f.message.en]), removals: r.removals.map((f) => [f.op, f.message.zh, f.message.en]) };
};

const NOT_ACCEPTABLE = (name: string, zh: string, en: string) => [
  "update",
  `资源 ${name} 的更新不可接受：${zh}请修改程序或备案，使其不再如此。`,
  `The update of ${name} is not acceptable: ${en} Change the program or the filing so that it does not.`,
];
const FIREWALL_OFF = ["防火墙将被关闭或不再默认拒绝入站连接，所有端口都会对外开放。", "its firewall would be switched off or stop dropping inbound traffic, opening every port."] as const;
const VM_RULE_ZH = "只有先下线（记录备份）、再删除备案文件时才能删除虚拟机；否则请修改程序或备案，使其不再删除或替换虚拟机。";
const VM_RULE_EN = "A VM may only be deleted after its filing was decommissioned (backup recorded) and then its file removed; otherwise change the program or the filing so that no VM is deleted or replaced.";

describe("steps that delete or replace", () => {
  it.each([
    ["a VM replaced", { op: "replace", urn: VM("jwc-exam"), oldState: { protect: true } }, [
      "replace",
      `虚拟机 jwc-exam 将被替换（先删后建，数据会丢失）（步骤 replace）。${VM_RULE_ZH}`,
      `VM jwc-exam would be replaced (its data lost) (step replace). ${VM_RULE_EN}`,
    ]],
    ["a VM whose filing is still filed, deleted", { op: "delete", urn: VM("jwc-exam"), oldState: {} }, [
      "delete",
      `虚拟机 jwc-exam 将被删除（步骤 delete）。备案 jwc-exam 仍在登记中，不应删除其虚拟机。${VM_RULE_ZH}`,
      `VM jwc-exam would be deleted (step delete). Filing jwc-exam is still in the register, so its VM must not be deleted. ${VM_RULE_EN}`,
    ]],
    ["a protected VM whose file is gone, deleted", { op: "delete", urn: VM("gone-vm"), oldState: { protect: true } }, [
      "delete",
      `虚拟机 gone-vm 将被删除（步骤 delete）。该虚拟机仍受保护，说明其备案未经下线流程。${VM_RULE_ZH}`,
      `VM gone-vm would be deleted (step delete). The VM is still protected, so its filing never went through decommissioning. ${VM_RULE_EN}`,
    ]],
    ["a VM deleted with no old state given (read as protected)", { op: "delete", urn: VM("gone-vm") }, [
      "delete",
      `虚拟机 gone-vm 将被删除（步骤 delete）。该虚拟机仍受保护，说明其备案未经下线流程。${VM_RULE_ZH}`,
      `VM gone-vm would be deleted (step delete). The VM is still protected, so its filing never went through decommissioning. ${VM_RULE_EN}`,
    ]],
    ["an op in capitals, as a future Pulumi might write it", { op: "DELETE-REPLACED", urn: VM("jwc-exam"), oldState: {} }, [
      "delete-replaced",
      `虚拟机 jwc-exam 将被替换（先删后建，数据会丢失）（步骤 delete-replaced）。${VM_RULE_ZH}`,
      `VM jwc-exam would be replaced (its data lost) (step delete-replaced). ${VM_RULE_EN}`,
    ]],
    ["a filing's component deleted while its VM stays", { op: "delete", urn: top(FILING_COMPONENT, "jwc-exam") }, [
      "delete",
      `资源 jwc-exam（${FILING_COMPONENT}）将被删除（步骤 delete）。只有随已下线备案的虚拟机一起才能删除它；请修改程序或备案，使其不再删除或替换。`,
      `Resource jwc-exam (${FILING_COMPONENT}) would be deleted (step delete). It may only go with a decommissioned filing's VM; change the program or the filing so that it is not deleted or replaced.`,
    ]],
    ["a VM's firewall options replaced", { op: "replace", urn: OPTIONS("jsj-judge") }, [
      "replace",
      `资源 jsj-judge-firewall（${PROXMOX_FIREWALL.options}）将被替换（步骤 replace）。只有随已下线备案的虚拟机一起才能删除它；请修改程序或备案，使其不再删除或替换。`,
      `Resource jsj-judge-firewall (${PROXMOX_FIREWALL.options}) would be replaced (step replace). It may only go with a decommissioned filing's VM; change the program or the filing so that it is not deleted or replaced.`,
    ]],
    ["a VM's firewall options deleted", { op: "delete", urn: OPTIONS("jsj-judge") }, [
      "delete",
      "虚拟机 jsj-judge 的防火墙将被关闭（删除 jsj-judge-firewall，步骤 delete），所有端口都会对外开放。只有随已下线备案的虚拟机一起才能删除；请修改程序或备案，使防火墙保留。",
      "The firewall of VM jsj-judge would be switched off (jsj-judge-firewall deleted, step delete), opening every port. It may only go with a decommissioned filing's VM; change the program or the filing so that the firewall stays.",
    ]],
    ["firewall options not named after a VM, deleted", { op: "delete", urn: child(PROXMOX_FIREWALL.options, "shared") }, [
      "delete",
      "虚拟机 shared 的防火墙将被关闭（删除 shared，步骤 delete），所有端口都会对外开放。只有随已下线备案的虚拟机一起才能删除；请修改程序或备案，使防火墙保留。",
      "The firewall of VM shared would be switched off (shared deleted, step delete), opening every port. It may only go with a decommissioned filing's VM; change the program or the filing so that the firewall stays.",
    ]],
    // Fail closed on what is not a Pulumi URN: no type to recognise, so not a VM and not owned.
    ["a step whose urn is not a Pulumi URN, deleted", { op: "delete", urn: "jwc-exam" }, [
      "delete",
      "资源 jwc-exam（）将被删除（步骤 delete）。只有随已下线备案的虚拟机一起才能删除它；请修改程序或备案，使其不再删除或替换。",
      "Resource jwc-exam () would be deleted (step delete). It may only go with a decommissioned filing's VM; change the program or the filing so that it is not deleted or replaced.",
    ]],
    ["a VM deleted whose old state is null (read as protected)", { op: "delete", urn: VM("gone-vm"), oldState: null }, [
      "delete",
      `虚拟机 gone-vm 将被删除（步骤 delete）。该虚拟机仍受保护，说明其备案未经下线流程。${VM_RULE_ZH}`,
      `VM gone-vm would be deleted (step delete). The VM is still protected, so its filing never went through decommissioning. ${VM_RULE_EN}`,
    ]],
    ["a VM's port rules replaced", { op: "replace", urn: RULES("jsj-judge") }, [
      "replace",
      `资源 jsj-judge-ports（${PROXMOX_FIREWALL.rules}）将被替换（步骤 replace）。只有随已下线备案的虚拟机一起才能删除它；请修改程序或备案，使其不再删除或替换。`,
      `Resource jsj-judge-ports (${PROXMOX_FIREWALL.rules}) would be replaced (step replace). It may only go with a decommissioned filing's VM; change the program or the filing so that it is not deleted or replaced.`,
    ]],
    // A discard drops a resource from the state and leaves it running, managed by nobody.
    ["a VM discarded", { op: "discard", urn: VM("jwc-exam"), oldState: { protect: true } }, [
      "discard",
      `虚拟机 jwc-exam 将被删除（步骤 discard）。${VM_RULE_ZH}`,
      `VM jwc-exam would be deleted (step discard). ${VM_RULE_EN}`,
    ]],
    ["a VM's firewall options discarded in a replacement", { op: "discard-replaced", urn: OPTIONS("jsj-judge") }, [
      "discard-replaced",
      `资源 jsj-judge-firewall（${PROXMOX_FIREWALL.options}）将被替换（步骤 discard-replaced）。只有随已下线备案的虚拟机一起才能删除它；请修改程序或备案，使其不再删除或替换。`,
      `Resource jsj-judge-firewall (${PROXMOX_FIREWALL.options}) would be replaced (step discard-replaced). It may only go with a decommissioned filing's VM; change the program or the filing so that it is not deleted or replaced.`,
    ]],
  ] as const)("%s: blocked", (_name, step, finding) => {
    expect(judged(step as DigestStep)).toEqual({ blocked: [finding], removals: [] });
  });

  it("removes a decommissioned filing's VM with its component and firewall when its file goes", () => {
    const r = judged(
      { op: "delete", urn: VM("gone-vm"), oldState: {}, platformPower: "off" },
      { op: "delete", urn: top(FILING_COMPONENT, "gone-vm") },
      { op: "delete", urn: OPTIONS("gone-vm") },
      { op: "delete", urn: RULES("gone-vm") },
    );
    expect(r).toEqual({
      blocked: [],
      removals: [["delete", "虚拟机 gone-vm 将被删除：其备案已下线（已记录备份），本次变更删除了备案文件。", "VM gone-vm will be deleted: its filing was decommissioned (backup recorded) and this change removes the file."]],
    });
  });

  it("what goes with a removed VM goes only by deletion: its component replaced, or a resource of another type named like its firewall, is blocked", () => {
    const r = judged(
      { op: "delete", urn: VM("gone-vm"), oldState: {}, platformPower: "off" },
      { op: "replace", urn: top(FILING_COMPONENT, "gone-vm") },
      { op: "delete", urn: child("vsphere:index/customAttribute:CustomAttribute", "gone-vm-firewall") },
    );
    expect(r.removals).toHaveLength(1);
    expect(r.blocked.map(([op, zh]) => [op, zh!.split("将被")[0]])).toEqual([
      ["replace", "资源 gone-vm（server-filings:index:FilingServer）"],
      ["delete", "资源 gone-vm-firewall（vsphere:index/customAttribute:CustomAttribute）"],
    ]);
  });

  it("keeps another VM's firewall even beside a removal", () => {
    const r = judged({ op: "delete", urn: VM("gone-vm"), oldState: {}, platformPower: "off" }, { op: "delete", urn: OPTIONS("jsj-judge") });
    expect(r.blocked.map(([op, zh]) => [op, zh!.split("，")[0]])).toEqual([["delete", "虚拟机 jsj-judge 的防火墙将被关闭（删除 jsj-judge-firewall"]]);
    expect(r.removals).toHaveLength(1);
  });

  it("a replacement of a decommissioned filing's VM whose file is gone is a replacement, whatever its power", () => {
    expect(judged({ op: "replace", urn: VM("gone-vm"), oldState: {} }).blocked[0]![1]).toBe(`虚拟机 gone-vm 将被替换（先删后建，数据会丢失）（步骤 replace）。${VM_RULE_ZH}`);
  });

  it("removes a VM the platform no longer has, as it removes one that is off", () => {
    expect(judged({ op: "delete", urn: VM("gone-vm"), oldState: {}, platformPower: "gone" }).removals).toHaveLength(1);
  });

  // The removal rests on the platform's word, read during the preview: never on the power the last deploy recorded.
  it.each([
    ["still running", "on", "平台报告它仍在运行（on）", "the platform reports it still running (on)", "", ""],
    ["suspended", "suspended", "平台报告它仍在运行（suspended）", "the platform reports it still running (suspended)", "", ""],
    ["whose power could not be read", "unknown", "预览没有从平台读到它的电源状态", "the preview did not read its power from the platform",
      "（检查须用 filing preview --json 生成的预览，它会读取电源状态）", " (on a preview made by filing preview --json, which reads the power)"],
    ["whose power the preview never read", undefined, "预览没有从平台读到它的电源状态", "the preview did not read its power from the platform",
      "（检查须用 filing preview --json 生成的预览，它会读取电源状态）", " (on a preview made by filing preview --json, which reads the power)"],
  ] as const)("a decommissioned filing's VM %s, its file removed: blocked, with its component and firewall judged with it", (_name, power, zh, en, zhHint, enHint) => {
    const r = judged(
      { op: "delete", urn: VM("gone-vm"), oldState: {}, ...(power === undefined ? {} : { platformPower: power }) },
      { op: "delete", urn: top(FILING_COMPONENT, "gone-vm") },
      { op: "delete", urn: OPTIONS("gone-vm") },
    );
    expect(r).toEqual({
      blocked: [[
        "delete",
        `虚拟机 gone-vm 将被删除，但${zh}。只有已关机的虚拟机才能删除：请先关机（vSphere 在 vCenter 中手动关机），再重新运行检查${zhHint}。`,
        `VM gone-vm would be deleted, but ${en}. Only a VM that is off may be deleted: power it off (on vSphere, by hand in vCenter), then run the check again${enHint}.`,
      ]],
      removals: [],
    });
  });

  it("a VM that is off is still not removed while its filing is filed or it is protected", () => {
    expect(judged({ op: "delete", urn: VM("jwc-exam"), oldState: {}, platformPower: "off" }).blocked[0]![1]).toContain("备案 jwc-exam 仍在登记中");
    expect(judged({ op: "delete", urn: VM("gone-vm"), oldState: { protect: true }, platformPower: "off" }).blocked[0]![1]).toContain("该虚拟机仍受保护");
  });

  it.each([
    ["a provider going away", { op: "delete", urn: top("pulumi:providers:proxmoxve", "default_8_6_0") }],
    ["a VM's port rules deleted (every port closes; the DROP policy stays)", { op: "delete", urn: RULES("jsj-judge") }],
    ["a create", { op: "create", urn: VM("new-vm") }],
    ["a step that changes nothing", { op: "same", urn: VM("jwc-exam") }],
  ] as const)("%s: not blocked", (_name, step) => {
    expect(judged(step as DigestStep)).toEqual({ blocked: [], removals: [] });
  });
});

describe("updates that destroy or open what protection does not stop", () => {
  const disks = (...sizes: number[]) => ({ disks: sizes.map((size, i) => ({ interface: `scsi${i}`, size })) });
  const nics = (...firewall: (boolean | undefined)[]) => ({ networkDevices: firewall.map((f) => (f === undefined ? null : { bridge: "vmbr0", firewall: f })) });
  const rules = (...r: Record<string, unknown>[]) => ({ rules: r });
  const PORT_443 = { type: "in", action: "ACCEPT", dport: "443", proto: "tcp" };

  it.each([
    ["a disk shrinks", update(VM("jwc-exam"), disks(100, 50), disks(80, 50)), "硬盘将被删除、缩小或换位（100+50 → 80+50 GiB），其中的数据会丢失。", "a disk would be removed, shrunk or moved (100+50 → 80+50 GiB), losing its data."],
    ["every disk goes", update(VM("jwc-exam"), disks(100), {}), "硬盘将被删除、缩小或换位（100 → 0 GiB），其中的数据会丢失。", "a disk would be removed, shrunk or moved (100 → 0 GiB), losing its data."],
    ["a network card's firewall switched off", update(VM("jsj-judge"), nics(true), nics(false)), ...FIREWALL_OFF],
    ["the second card's firewall switched off", update(VM("jsj-judge"), nics(false, true), nics(false, false)), ...FIREWALL_OFF],
    ["a card with its firewall removed", update(VM("jsj-judge"), nics(true), nics(undefined)), ...FIREWALL_OFF],
    ["the firewall disabled", update(OPTIONS("jsj-judge"), { enabled: true, inputPolicy: "DROP" }, { enabled: false, inputPolicy: "DROP" }), ...FIREWALL_OFF],
    ["inbound traffic accepted by default", update(OPTIONS("jsj-judge"), { enabled: true, inputPolicy: "DROP" }, { enabled: true, inputPolicy: "ACCEPT" }), ...FIREWALL_OFF],
    ["an inbound policy written where none was (none is DROP)", update(OPTIONS("jsj-judge"), { enabled: true }, { enabled: true, inputPolicy: "REJECT" }), ...FIREWALL_OFF],
    ["a rule accepting every port", update(RULES("jsj-judge"), rules(PORT_443), rules({ type: "in", action: "ACCEPT" })), "防火墙规则将放行所有端口、整个端口范围或无法核对的规则（安全组、宏）。", "its firewall rules would accept every port, a port range, or a rule that cannot be checked (a security group, a macro)."],
    ["a rule accepting a port range", update(RULES("jsj-judge"), rules(PORT_443), rules({ ...PORT_443, dport: "8000:8100" })), "防火墙规则将放行所有端口、整个端口范围或无法核对的规则（安全组、宏）。", "its firewall rules would accept every port, a port range, or a rule that cannot be checked (a security group, a macro)."],
    ["a range added beside a single port", update(RULES("jsj-judge"), rules(PORT_443), rules(PORT_443, { ...PORT_443, dport: "8000:8100" })), "防火墙规则将放行所有端口、整个端口范围或无法核对的规则（安全组、宏）。", "its firewall rules would accept every port, a port range, or a rule that cannot be checked (a security group, a macro)."],
    ["a range in a list of ports", update(RULES("jsj-judge"), rules(PORT_443), rules({ ...PORT_443, dport: "443,8000:8100" })), "防火墙规则将放行所有端口、整个端口范围或无法核对的规则（安全组、宏）。", "its firewall rules would accept every port, a port range, or a rule that cannot be checked (a security group, a macro)."],
  ] as const)("%s: blocked", (_name, step, zh, en) => {
    const name = String(step.urn).split("::").pop()!;
    expect(judged(step)).toEqual({ blocked: [NOT_ACCEPTABLE(name, zh, en)], removals: [] });
  });

  it.each([
    ["a disk grows and one is added", update(VM("jwc-exam"), disks(100), disks(120, 10))],
    ["memory changes, the card's firewall stays on", update(VM("jsj-judge"), { memory: { dedicated: 4096 }, ...nics(true) }, { memory: { dedicated: 8192 }, ...nics(true) })],
    ["memory changes on an internal VM whose card has no firewall", update(VM("jwc-exam"), { memory: { dedicated: 4096 }, ...nics(false) }, { memory: { dedicated: 8192 }, ...nics(false) })],
    ["the firewall's log level changes, on and dropping inbound", update(OPTIONS("jsj-judge"), { enabled: true, inputPolicy: "DROP", logLevelIn: "nolog" }, { enabled: true, inputPolicy: "DROP", logLevelIn: "info" })],
    // The pack judges the firewall's state; the gate judges what a change switches off.
    ["firewall options that stay off, something else changed", update(OPTIONS("jsj-judge"), { enabled: false, inputPolicy: "ACCEPT", logLevelIn: "nolog" }, { enabled: false, inputPolicy: "ACCEPT", logLevelIn: "info" })],
    ["the firewall switched on", update(OPTIONS("jsj-judge"), { enabled: false, inputPolicy: "ACCEPT" }, { enabled: true, inputPolicy: "DROP" })],
    ["a card's firewall switched on", update(VM("jsj-judge"), nics(false), nics(true))],
    ["a port added to the rules", update(RULES("jsj-judge"), rules(PORT_443), rules(PORT_443, { ...PORT_443, dport: "80" }))],
    ["rules that already accepted a range, changed", update(RULES("jsj-judge"), rules({ ...PORT_443, dport: "8000:8100" }), rules({ ...PORT_443, dport: "8000:8200" }))],
    // Only the firewall's own options switch it off: another resource's `enabled` is not a firewall.
    ["another resource's enabled turned off", update(top("vsphere:index/customAttribute:CustomAttribute", "filing-id"), { enabled: true }, { enabled: false })],
    ["another resource's inputPolicy changed", update(VM("jwc-exam"), { inputPolicy: "DROP" }, { inputPolicy: "ACCEPT" })],
    ["an update without the inputs of both sides", { op: "update", urn: VM("jwc-exam"), oldState: { inputs: disks(100) } }],
  ] as const)("%s: not blocked", (_name, step) => {
    expect(judged(step as DigestStep)).toEqual({ blocked: [], removals: [] });
  });
});

describe("the verdict line", () => {
  it.each([
    [{ blocked: [{}, {}], removals: [{}] }, false, "2 个步骤会删除或替换资源，检查失败。", "2 steps delete or replace a resource; the check fails."],
    [{ blocked: [], removals: [{}, {}] }, true, "只删除 2 台已下线备案的虚拟机，没有其他删除或替换资源的步骤。", "Only 2 decommissioned filings' VMs are deleted (with their firewalls); nothing else is deleted or replaced."],
    [{ blocked: [], removals: [] }, true, "预览中没有删除或替换资源的步骤。", "The preview deletes or replaces nothing."],
  ] as const)("%o", (gate, passed, zh, en) => {
    expect(gateVerdict(gate as never)).toEqual({ passed, message: { zh, en } });
  });
});

describe("a document the gate refuses to judge", () => {
  const stackStep = { op: "same", urn: STACK };
  const malformed = (zh: string, en: string) => ({
    malformed: { zh: `预览结果不是 pulumi preview --json 的输出：${zh}。无法判断，检查失败。`, en: `The file is not the output of pulumi preview --json: ${en}. It cannot be judged; the check fails.` },
  });
  it.each([
    ["a list", [], malformed("应为一个 JSON 对象", "it must be a JSON object")],
    ["null", null, malformed("应为一个 JSON 对象", "it must be a JSON object")],
    ["a string", "steps", malformed("应为一个 JSON 对象", "it must be a JSON object")],
    ["diagnostics that are no list", { steps: [stackStep], diagnostics: {} }, malformed("diagnostics 应为列表", "diagnostics must be a list")],
    ["no steps", { diagnostics: [] }, malformed("缺少步骤列表 steps", "it has no steps list")],
    ["a step without its op", { steps: [stackStep, { urn: VM("jwc-exam") }] }, malformed("第 2 个步骤缺少 op 或 urn", "step 2 has no op or urn")],
    ["a step without its urn", { steps: [{ op: "same" }] }, malformed("第 1 个步骤缺少 op 或 urn", "step 1 has no op or urn")],
    ["a step that is null", { steps: [stackStep, null] }, malformed("第 2 个步骤缺少 op 或 urn", "step 2 has no op or urn")],
    ["no step for the stack", { steps: [{ op: "same", urn: VM("jwc-exam") }] }, malformed("没有堆栈本身的步骤（pulumi:pulumi:Stack）", "it has no step for the stack itself (pulumi:pulumi:Stack)")],
  ] as const)("%s", (_name, document, expected) => {
    expect(previewSteps(document)).toEqual(expected);
  });

  it("a preview that failed: how many errors and the first line of the first, whatever its steps", () => {
    const long = `error: ${"x".repeat(400)}`;
    const r = previewSteps({
      steps: [stackStep],
      diagnostics: [{ severity: "warning", message: "w" }, null, { severity: "error", message: "  error: cannot reach vCenter\nstack trace" }, { severity: "error", message: long }],
    });
    expect(r).toEqual({ failed: { zh: "预览报告了 2 个错误，没有完成：error: cannot reach vCenter", en: "The preview reported 2 errors and did not complete: error: cannot reach vCenter" } });
    const capped = previewSteps({ steps: [stackStep], diagnostics: [{ severity: "error", message: long }] }) as { failed: { en: string } };
    expect(capped.failed.en).toBe(`The preview reported 1 errors and did not complete: ${long.slice(0, 300)}`);
    expect(previewSteps({ steps: [stackStep], diagnostics: [{ severity: "error" }] })).toEqual({ failed: { zh: "预览报告了 1 个错误，没有完成：", en: "The preview reported 1 errors and did not complete: " } });
  });

  it("a preview with the stack's step and warnings only is judged", () => {
    expect(previewSteps({ steps: [stackStep], diagnostics: [{ severity: "warning", message: "w" }] })).toEqual({ steps: [stackStep] });
  });
});
