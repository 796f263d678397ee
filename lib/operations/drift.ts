import { isUnknown, readVm, type ObservedVm, type Props } from "../compliance/observed";
import { typeAndName } from "../preview/gate";
import { vmPlatform } from "../compliance/tokens";
import { msg, type Message } from "../messages";
import { STATE_NAMES } from "../names";
import { trackIssue, type IssueAction } from "./tracked-issue";

/**
 * Drift: what a preview with refresh and `expectNoChanges` (`filing drift`, through the same inline
 * program as `filing preview`) found changed on the platform, in the filing's terms ("内存 8 GiB 已被改为
 * 16 GiB"). The refreshed state is what runs; the new inputs are what was filed. Pure: scripts/ runs
 * Pulumi and manages the issue.
 */

export const DRIFT_LABEL = "filing-drift";
export const DRIFT_MARKER = "<!-- filings/drift -->";

export interface DriftFinding {
  readonly filingId: string;
  readonly message: Message;
}

export type PreviewOutcome =
  | { readonly kind: "clean" }
  | { readonly kind: "drift"; readonly findings: readonly DriftFinding[] }
  | { readonly kind: "failed"; readonly message: Message };

const gib = (mib: number) => `${Number((mib / 1024).toFixed(2))} GiB`;

function compare(id: string, filed: ObservedVm, running: ObservedVm): DriftFinding[] {
  const out: DriftFinding[] = [];
  const add = (zh: string, en: string, was: string, now: string) =>
    out.push({ filingId: id, message: msg(`${id}：${zh} ${was} 已被改为 ${now}`, `${id}: ${en} ${was} was changed to ${now}`) });
  if (!isUnknown(filed.cpu) && !isUnknown(running.cpu) && filed.cpu !== running.cpu) add("CPU 核数", "CPU cores", `${filed.cpu}`, `${running.cpu}`);
  if (!isUnknown(filed.memoryMiB) && !isUnknown(running.memoryMiB) && filed.memoryMiB !== running.memoryMiB) add("内存", "memory", gib(filed.memoryMiB), gib(running.memoryMiB));
  const fd = filed.disksGiB;
  const rd = running.disksGiB;
  if (fd && rd && !isUnknown(fd) && !isUnknown(rd) && JSON.stringify(fd) !== JSON.stringify(rd)) {
    add("硬盘", "disks", fd.map((d) => `${String(d)} GiB`).join(" + "), rd.map((d) => `${String(d)} GiB`).join(" + "));
  }
  const fn = filed.networks;
  const rn = running.networks;
  if (fn && rn && !isUnknown(fn) && !isUnknown(rn) && JSON.stringify(fn) !== JSON.stringify(rn)) add("网络", "network", fn.join(", "), rn.join(", "));
  if (!isUnknown(filed.ips) && !isUnknown(running.ips) && JSON.stringify(filed.ips) !== JSON.stringify(running.ips)) add("IP 地址", "IP address", filed.ips.join(", "), running.ips.join(", ") || "—");
  return out;
}

/** What `filing drift` gets from the preview: its digest (lib/preview/digest.ts, with states), and why it failed if it did. */
export interface DriftPreview {
  readonly digest: unknown;
  /** The engine's error when the preview did not succeed; with `expectNoChanges`, drift is such a failure too. */
  readonly failure?: string;
  /** The program stopped the preview itself (a name the platform lacks): its own line, which says what to do. */
  readonly stopped?: Message;
  /**
   * The stack's filings whose VM the platform must report powered off (lib/plan/servers.ts
   * `mustBeOff`): a decommissioned vSphere VM is powered off by hand, and nothing in the program's
   * inputs would differ while it runs on.
   */
  readonly mustBeOff?: readonly string[];
  /** The stack's filings in use, whose VM the platform must report running. */
  readonly mustBeOn?: readonly string[];
}

/** A VM step whose filing says off while the refreshed state says it runs, or in use while it is off. */
function powerDrift(step: Record<string, any>, mustBeOff: ReadonlySet<string>, mustBeOn: ReadonlySet<string>): DriftFinding | undefined {
  const { type, name } = typeAndName(String(step.urn ?? ""));
  const platform = vmPlatform(type);
  if (!platform) return undefined;
  const power = readVm(platform, (step.oldState?.outputs ?? {}) as Props).power;
  if (mustBeOn.has(name) && power === "off") {
    return {
      filingId: name,
      message: msg(
        `${name}：备案${STATE_NAMES.running.zh}，平台报告它已关机（服务中断）。请在平台上开机；若不再使用，请提交下线申请。`,
        `${name}: the filing is ${STATE_NAMES.running.en}, but the platform reports it powered off (service down). Power it on; if it is no longer needed, file its decommissioning.`,
      ),
    };
  }
  if (!mustBeOff.has(name) || power !== "on") return undefined;
  return {
    filingId: name,
    message: msg(
      `${name}：备案要求关机（${STATE_NAMES.decommissioned.zh}，或过期超过宽限期），平台报告它仍在运行。请在平台上关机${platform === "vsphere" ? "（vSphere 在 vCenter 中手动关机）" : ""}。`,
      `${name}: the filing requires it off (${STATE_NAMES.decommissioned.en}, or expired past the grace period), but the platform reports it running. Power it off on the platform${platform === "vsphere" ? " (on vSphere, by hand in vCenter)" : ""}.`,
    ),
  };
}

/** The preview's digest and outcome → clean, drift per filing, or a failure that is not drift. */
export function readDriftPreview(preview: DriftPreview): PreviewOutcome {
  const digest = preview.digest as { steps?: unknown; diagnostics?: unknown } | null | undefined;
  const steps = Array.isArray(digest?.steps) ? (digest.steps as Record<string, any>[]) : undefined;
  const changed = (steps ?? []).filter((s) => !["same", "read", "refresh"].includes(String(s.op)));
  if (preview.stopped) {
    return { kind: "failed", message: msg(`漂移检查没有完成（不是漂移）：${preview.stopped.zh}`, `The drift check did not complete (this is not drift): ${preview.stopped.en}`) };
  }
  if (!steps || (preview.failure !== undefined && changed.length === 0)) {
    const diagnostics = Array.isArray(digest?.diagnostics) ? (digest.diagnostics as { severity?: unknown; message?: unknown }[]) : [];
    // Pulumi reports an error both as it happens and in its summary: each once is enough.
    const errors = [...new Set(diagnostics.filter((d) => d.severity === "error").map((d) => String(d.message ?? "").trim()).filter(Boolean))];
    const detail = errors.join("；") || preview.failure?.trim().slice(0, 500) || "no preview";
    return {
      kind: "failed",
      message: msg(
        `漂移检查没有完成（不是漂移）：pulumi preview 失败。请检查平台凭据与网络。详情：${detail}`,
        `The drift check did not complete (this is not drift): pulumi preview failed. Check the platform credentials and network. Detail: ${detail}`,
      ),
    };
  }
  const mustBeOff = new Set(preview.mustBeOff ?? []);
  const mustBeOn = new Set(preview.mustBeOn ?? []);
  // A refresh step carries the state from before the refresh; the step after it, what the platform said.
  const poweredOn = steps.flatMap((s) => (String(s.op) === "refresh" ? [] : powerDrift(s, mustBeOff, mustBeOn) ?? []));
  if (changed.length === 0 && poweredOn.length === 0) return { kind: "clean" };
  const findings: DriftFinding[] = [...poweredOn];
  for (const s of changed) {
    const { type, name } = typeAndName(String(s.urn ?? ""));
    const platform = vmPlatform(type);
    if (platform && s.oldState && s.newState) {
      const running = readVm(platform, (s.oldState.outputs ?? s.oldState.inputs ?? {}) as Props);
      const filed = readVm(platform, (s.newState.inputs ?? {}) as Props);
      const found = compare(name, filed, running);
      if (found.length) {
        findings.push(...found);
        continue;
      }
      // Its only difference is the power already reported (Proxmox: started by hand).
      if (poweredOn.some((f) => f.filingId === name)) continue;
    }
    findings.push({
      filingId: name,
      message: msg(`${name}（${type}）：平台上的状态与程序不一致，pulumi 将执行 ${s.op}。`, `${name} (${type}): the platform differs from the program; pulumi would ${s.op} it.`),
    });
  }
  return { kind: "drift", findings };
}

export function driftIssueBody(findings: readonly DriftFinding[], stack: string, today: string): string {
  return [
    DRIFT_MARKER,
    `堆栈 ${stack} 在 ${today} 的检查中发现 ${findings.length} 处与备案不一致（有人在平台上手工修改了虚拟机）：`,
    `The ${today} check of stack ${stack} found ${findings.length} differences from the filings (someone changed VMs on the platform by hand):`,
    "",
    ...findings.map((f) => `- ${f.message.zh}<br>${f.message.en}`),
    "",
    "请在平台上恢复为备案的配置，或提交变更申请；下次检查没有差异时本议题会自动关闭。",
    "Restore the filed settings on the platform, or file a change; this issue closes itself once a check finds no difference.",
  ].join("\n");
}

export interface OpenDriftIssue {
  readonly number: number;
  readonly body: string;
}

/** What `filing drift` does with the outcome: what it says, the issue actions, the exit code. */
export interface DriftPlan {
  /** Lines for stdout (the findings, or that the stack matches) or, for a failed check, stderr. */
  readonly report: readonly Message[];
  readonly toStderr: boolean;
  readonly actions: readonly IssueAction[];
  /** 0 clean, 1 drift, 2 the check did not run (never drift). */
  readonly exitCode: 0 | 1 | 2;
}

/**
 * Decides, as planReminders does for reminders: one drift issue per stack's findings, updated while
 * they last and closed once a check is clean; a failed check touches no issue. Pure.
 */
export function planDrift(outcome: PreviewOutcome, open: readonly OpenDriftIssue[], stack: string, today: string): DriftPlan {
  if (outcome.kind === "failed") return { report: [outcome.message], toStderr: true, actions: [], exitCode: 2 };
  const closing = "最近一次检查没有发现差异，关闭。 The latest check found no difference; closing.";
  if (outcome.kind === "clean") {
    return {
      report: [msg(`✓ 堆栈 ${stack} 与备案一致。`, `✓ Stack ${stack} matches the filings.`)],
      toStderr: false,
      actions: trackIssue(open, DRIFT_MARKER, undefined, closing),
      exitCode: 0,
    };
  }
  const title = `[备案漂移] 堆栈 ${stack} 有 ${outcome.findings.length} 处与备案不一致 / drift from the filings`;
  return {
    report: outcome.findings.map((f) => msg(`✗ ${f.message.zh}`, `✗ ${f.message.en}`)),
    toStderr: false,
    actions: trackIssue(open, DRIFT_MARKER, { title, body: driftIssueBody(outcome.findings, stack, today) }, closing),
    exitCode: 1,
  };
}
