import type { FailedFiling } from "../preview/digest";
import { gateVerdict, typeAndName, type GateResult } from "../preview/gate";
import { vmPlatform } from "../compliance/tokens";
import { msg } from "../messages";
import { both, nameOf, SERVER_TYPE_NAMES, STATE_NAMES, ZONE_NAMES } from "../names";

/** Markers of the sticky comments the workflows keep on a pull request. */
export const PREVIEW_MARKER = "<!-- filings/preview -->";
/** Each stack's preview has a sticky comment of its own (the workflow previews every stack). */
export function previewMarker(stack: string): string {
  return `<!-- filings/preview/${stack} -->`;
}
export const DEPLOYED_MARKER = "<!-- filings/deployed -->";

/** `pulumi preview --json` → a short comment: counts by operation, each VM step, the gate's verdict. */
export function previewComment(digest: unknown, stack: string, gate: GateResult): string {
  const d = (typeof digest === "object" && digest !== null ? digest : {}) as { steps?: { op?: string; urn?: string }[]; changeSummary?: Record<string, number> };
  const summary = Object.entries(d.changeSummary ?? {}).map(([op, n]) => `${op}: ${n}`).join(", ") || "—";
  const vmSteps = (d.steps ?? []).filter((s) => s.op && s.op !== "same" && vmPlatform(typeAndName(String(s.urn ?? "")).type));
  const lines = [
    previewMarker(stack),
    `## Pulumi 预览 Preview（${stack}）`,
    "",
    `变更统计 Changes: ${summary}`,
    "",
  ];
  if (vmSteps.length) {
    lines.push("| 虚拟机 VM | 操作 Step |", "|---|---|", ...vmSteps.map((s) => `| ${typeAndName(String(s.urn)).name} | ${s.op} |`), "");
  }
  const { passed, message } = gateVerdict(gate);
  lines.push(`${passed ? "✓" : "✗"} ${message.zh} ${message.en}`);
  for (const g of [...gate.blocked, ...gate.removals]) lines.push(`- ${g.message.zh}`);
  return `${lines.join("\n")}\n`;
}

export interface ServerOutputRow {
  readonly platformId?: string;
  readonly platform?: string;
  readonly ip: string;
  readonly zone: string;
  readonly state: string;
}

/** What happened to an expired VM depends on the platform: powered off, or taken off the network. */
function stateText(s: ServerOutputRow): string {
  const name = nameOf(STATE_NAMES, s.state);
  if (!name) return s.state;
  if (s.state !== "expired") return both(name);
  const how = s.platform === "vsphere" ? msg("网卡已隔离", "NIC quarantined") : msg("已关机", "powered off");
  return `${name.zh}，${how.zh} ${name.en}, ${how.en}`;
}

/**
 * What `filing up --outputs` writes for one stack: the rows of the filings that deployed (the stack
 * output `servers`, or after a run that failed for some filings, their rows as the state holds them)
 * and the filings that did not, each with its first error.
 */
export interface UpOutputs {
  readonly servers: Readonly<Record<string, ServerOutputRow>>;
  readonly notDeployed: readonly FailedFiling[];
  /** Why the run stopped midway (the pack): the rows are then what the platform holds, some changes made, some not. */
  readonly stopped?: string;
}

/** An outputs file as `filing deployed` reads it: anything else is refused, never half-believed. */
export function parseUpOutputs(value: unknown): UpOutputs {
  const record = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  if (!record(value) || !record(value.servers) || !Array.isArray(value.notDeployed)) {
    throw new Error("expected { servers: { <filing id>: … }, notDeployed: [ … ] } as filing up --outputs writes it");
  }
  for (const [id, row] of Object.entries(value.servers)) {
    if (!record(row) || typeof row.ip !== "string" || typeof row.zone !== "string" || typeof row.state !== "string") throw new Error(`servers.${id} is not a server row (ip, zone, state)`);
  }
  const notDeployed = value.notDeployed.map((f: unknown, i) => {
    if (!record(f) || typeof f.id !== "string" || typeof f.reason !== "string") throw new Error(`notDeployed[${i}] is not { id, reason }`);
    return { id: f.id, reason: f.reason };
  });
  if (value.stopped !== undefined && typeof value.stopped !== "string") throw new Error("stopped is not a text");
  return { servers: value.servers as Record<string, ServerOutputRow>, notDeployed, ...(typeof value.stopped === "string" ? { stopped: value.stopped } : {}) };
}

/** One stack's outcome for the merge comment: its `filing up --outputs`, or none when its run stopped. */
export type StackServers = { readonly stack: string } & (UpOutputs | { readonly stopped: true });


/**
 * Every stack's outcome → the comment on the merged pull request: the VMs of the pull request's
 * filings, one table per stack that has any (a filing belongs to one stack); the pull request's
 * filings that did not deploy, with why; and each stack whose run stopped with nothing to show,
 * with a link to the run (`runUrl`). A merge whose changes did not all deploy says so in its title.
 */
export function deployedComment(stacks: readonly StackServers[], ids: readonly string[], runUrl?: string): string {
  const failed: string[] = [];
  // A pull request's filing some stack's outputs account for (deployed or not): a stack that wrote
  // none is news to this pull request only when one of its filings is accounted for nowhere.
  const accounted = (id: string) => stacks.some((s) => "servers" in s && (s.servers[id] !== undefined || s.notDeployed.some((f) => f.id === id)));
  const unaccounted = ids.some((id) => !accounted(id));
  const sections = stacks.flatMap((outcome) => {
    const { stack } = outcome;
    if (!("servers" in outcome)) {
      if (unaccounted) failed.push(`- 堆栈 ${stack}（一个平台站点）：这次部署中止，本 PR 在其中的变更没有生效。 Stack ${stack}: its deploy stopped; this PR's changes there did not take effect.`);
      return [];
    }
    if (outcome.stopped && ids.some((id) => outcome.servers[id] || outcome.notDeployed.some((f) => f.id === id))) {
      failed.push(`- 堆栈 ${stack}：部署中途被中止（${oneLine(outcome.stopped)}）。下表是平台现在的状态，本 PR 的变更可能只有一部分生效。 Stack ${stack}: its deploy stopped midway; the table shows what the platform holds now, and this PR's changes may have taken effect only in part.`);
    }
    const rows = ids.filter((id) => outcome.servers[id]).map((id) => {
      const s = outcome.servers[id]!;
      // A zone the outputs do not name as ours is shown as written, not taken for the internal one.
      const zone = nameOf(ZONE_NAMES, s.zone);
      return `| ${id} | ${s.platformId ?? "—"} | ${s.ip} | ${zone ? both(zone) : s.zone} | ${stateText(s)} |`;
    });
    for (const f of outcome.notDeployed.filter((f) => ids.includes(f.id))) failed.push(`- ✗ ${f.id}（${stack}）：${oneLine(f.reason)}`);
    return rows.length ? [`### ${stack}`, "", "| 备案编号 Filing | 虚拟机 ID VM id | IP | 网络区域 Zone | 状态 State |", "|---|---|---|---|---|", ...rows, ""] : [];
  });
  const none = `本 PR 修改的备案没有虚拟机（${SERVER_TYPE_NAMES.physical.zh}或已删除）。 The filings of this PR have no VM (${SERVER_TYPE_NAMES.physical.en} or removed).`;
  const title = failed.length ? "## 部分变更没有部署 Not all deployed" : "## 已部署 Deployed";
  return [
    DEPLOYED_MARKER,
    `${title}（${stacks.map((s) => s.stack).join("、")}）`,
    "",
    ...(sections.length ? sections : failed.length ? [] : [none, ""]),
    ...(failed.length
      ? [
          "### 没有部署 Not deployed",
          "",
          ...failed,
          "",
          `信息中心处理后，下一次部署会补上这些变更，无需重新提交。 Once the information center has dealt with it, the next deploy applies these changes; nothing needs resubmitting.${runUrl ? ` [运行记录 Run log](${runUrl})` : ""}`,
          "",
        ]
      : []),
  ].join("\n");
}

/** A provider's error can run to several lines; a list item holds one. */
function oneLine(reason: string): string {
  return reason.split("\n")[0]!.trim();
}
