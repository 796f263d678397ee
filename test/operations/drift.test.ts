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
