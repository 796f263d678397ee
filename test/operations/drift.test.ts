/**
 * planDrift, the pure decision behind `filing drift` (the CLI layer, with a fake GitHub and a fake
 * Pulumi, is test/github/drift.test.ts): each case starts from drift with no issue open and changes
 * one thing.
 */
import { describe, expect, it } from "vitest";
import { msg } from "../../lib/messages";
import { DRIFT_MARKER, planDrift, readDriftPreview, type OpenDriftIssue, type PreviewOutcome } from "../../lib/operations/drift";

const finding = { filingId: "jwc-exam-scheduling", message: msg("jwc-exam-scheduling：内存 8 GiB 已被改为 16 GiB", "jwc-exam-scheduling: memory 8 GiB was changed to 16 GiB") };
const drift: PreviewOutcome = { kind: "drift", findings: [finding] };
const ours: OpenDriftIssue = { number: 7, body: `${DRIFT_MARKER}\n…` };
const someoneElses: OpenDriftIssue = { number: 8, body: "a drift issue opened by hand" };
const plan = (outcome: PreviewOutcome, open: OpenDriftIssue[] = []) => planDrift(outcome, open, "campus-proxmox", "2026-11-23");

describe("planDrift", () => {
  it("drift, no issue open: opens one naming each difference, exit 1", () => {
    const p = plan(drift);
    expect(p.exitCode).toBe(1);
    expect(p.report.map((m) => m.zh)).toEqual(["✗ jwc-exam-scheduling：内存 8 GiB 已被改为 16 GiB"]);
    expect(p.actions).toHaveLength(1);
    expect(p.actions[0]).toMatchObject({ kind: "create", title: "[备案漂移] 堆栈 campus-proxmox 有 1 处与备案不一致 / drift from the filings" });
    expect(p.actions[0]!.kind === "create" && p.actions[0]!.body).toContain("2026-11-23");
  });

  it("drift with its issue open: updates that issue, opens none", () => {
    expect(plan(drift, [someoneElses, ours]).actions.map((a) => [a.kind, "number" in a ? a.number : undefined])).toEqual([["update", 7]]);
  });

  it("clean: closes its issue and only that one, exit 0", () => {
    const p = plan({ kind: "clean" }, [someoneElses, ours]);
    expect(p.exitCode).toBe(0);
    expect(p.actions.map((a) => [a.kind, "number" in a ? a.number : undefined])).toEqual([["close", 7]]);
    expect(p.report.map((m) => m.en)).toEqual(["✓ Stack campus-proxmox matches the filings."]);
  });

  it("a check that failed is never drift: it says why on stderr, touches no issue, exit 2", () => {
    const p = plan({ kind: "failed", message: msg("漂移检查没有完成（不是漂移）", "The drift check did not complete (not drift)") }, [ours]);
    expect(p).toMatchObject({ exitCode: 2, toStderr: true, actions: [] });
  });
});

describe("readDriftPreview: a preview that failed", () => {
  const failed = (message: string) => ({ severity: "error", message });

  it("says each of the engine's errors once, though Pulumi reports each twice", () => {
    const outcome = readDriftPreview({ digest: { steps: [], diagnostics: [failed("A"), failed("B"), failed("A")] }, failure: "code: 255" });
    expect(outcome).toEqual({ kind: "failed", message: msg(
      "漂移检查没有完成（不是漂移）：pulumi preview 失败。请检查平台凭据与网络。详情：A；B",
      "The drift check did not complete (this is not drift): pulumi preview failed. Check the platform credentials and network. Detail: A；B",
    ) });
  });

  it("stopped by the program itself (a name vCenter lacks): its own line, not advice on credentials", () => {
    const line = msg("堆栈 campus-vsphere：vCenter 中没有端口组 \"x\"。", "Stack campus-vsphere: vCenter has no port group \"x\".");
    const outcome = readDriftPreview({ digest: { steps: [], diagnostics: [failed(line.zh), failed(line.zh)] }, failure: line.zh, stopped: line });
    expect(outcome).toEqual({ kind: "failed", message: msg(`漂移检查没有完成（不是漂移）：${line.zh}`, `The drift check did not complete (this is not drift): ${line.en}`) });
  });
});

describe("readDriftPreview: power the filing says off", () => {
  const vm = (type: string, name: string) => `urn:pulumi:s::server-filings::server-filings:index:FilingServer$${type}::${name}`;
  const VSPHERE = "vsphere:index/virtualMachine:VirtualMachine";
  const PROXMOX = "proxmoxve:index/vmLegacy:VmLegacy";
  const stack = { op: "same", urn: "urn:pulumi:s::server-filings::pulumi:pulumi:Stack::server-filings-s" };
  /** An unchanged vSphere VM whose refreshed power is `power`, as previewDigest keeps it. */
  const same = (name: string, power: string) => ({ op: "same", urn: vm(VSPHERE, name), oldState: { outputs: { powerState: power } } });
  const read = (steps: unknown[], mustBeOff?: string[]) => readDriftPreview({ digest: { steps: [stack, ...steps], diagnostics: [] }, ...(mustBeOff ? { mustBeOff } : {}) });

  it("a decommissioned vSphere VM that vCenter reports running is drift, though nothing in the program differs", () => {
    // The refresh step before it carries the state from before the refresh: read once, from the step after.
    const refresh = { op: "refresh", urn: vm(VSPHERE, "tsg-seat-booking"), oldState: { outputs: { powerState: "on" } } };
    expect(read([refresh, same("tsg-seat-booking", "on")], ["tsg-seat-booking"])).toEqual({
      kind: "drift",
      findings: [{
        filingId: "tsg-seat-booking",
        message: msg(
          "tsg-seat-booking：备案要求关机（已下线，或过期超过宽限期），平台报告它仍在运行。请在平台上关机（vSphere 在 vCenter 中手动关机）。",
          "tsg-seat-booking: the filing requires it off (decommissioned, or expired past the grace period), but the platform reports it running. Power it off on the platform (on vSphere, by hand in vCenter).",
        ),
      }],
    });
  });

  it.each([
    ["off", [same("tsg-seat-booking", "off")], ["tsg-seat-booking"]],
    ["off, though the state before the refresh said on", [{ op: "refresh", urn: vm(VSPHERE, "tsg-seat-booking"), oldState: { outputs: { powerState: "on" } } }, same("tsg-seat-booking", "off")], ["tsg-seat-booking"]],
    ["not one that must be off (an expired vSphere VM runs on in quarantine)", [same("xgb-counseling", "on")], ["tsg-seat-booking"]],
    ["its power unknown (not a finding of drift)", [same("tsg-seat-booking", "")], ["tsg-seat-booking"]],
    ["no list given", [same("tsg-seat-booking", "on")], undefined],
  ] as const)("clean when the VM is %s", (_name, steps, mustBeOff) => {
    expect(read([...steps], mustBeOff ? [...mustBeOff] : undefined)).toEqual({ kind: "clean" });
  });

  it("a VM in use that the platform reports powered off is drift: the service is down", () => {
    const outcome = readDriftPreview({ digest: { steps: [stack, same("xgb-counseling", "off")], diagnostics: [] }, mustBeOn: ["xgb-counseling"] });
    expect(outcome.kind === "drift" && outcome.findings.map((f) => f.message.zh)).toEqual([
      "xgb-counseling：备案在用，平台报告它已关机（服务中断）。请在平台上开机；若不再使用，请提交下线申请。",
    ]);
    expect(readDriftPreview({ digest: { steps: [stack, same("xgb-counseling", "on")], diagnostics: [] }, mustBeOn: ["xgb-counseling"] })).toEqual({ kind: "clean" });
  });

  it("a Proxmox VM started by hand is said once, as power, not also as a bare difference", () => {
    const update = { op: "update", urn: vm(PROXMOX, "xgb-counseling"), oldState: { inputs: { started: false }, outputs: { started: true } }, newState: { inputs: { started: false } } };
    const outcome = read([update], ["xgb-counseling"]);
    expect(outcome.kind === "drift" && outcome.findings.map((f) => f.message.zh)).toEqual([
      "xgb-counseling：备案要求关机（已下线，或过期超过宽限期），平台报告它仍在运行。请在平台上关机。",
    ]);
  });
});
