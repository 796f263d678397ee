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

/** One stack's output `servers` (per filing id), as `filing up --outputs` writes it. */
export interface StackServers {
  readonly stack: string;
  readonly servers: Readonly<Record<string, ServerOutputRow>>;
}

/**
 * Every stack's output `servers` → the comment on the merged pull request: the VMs of the pull
 * request's filings, one table per stack that has any (a filing belongs to one stack).
 */
export function deployedComment(stacks: readonly StackServers[], ids: readonly string[]): string {
  const sections = stacks.flatMap(({ stack, servers }) => {
    const rows = ids.filter((id) => servers[id]).map((id) => {
      const s = servers[id]!;
      // A zone the outputs do not name as ours is shown as written, not taken for the internal one.
      const zone = nameOf(ZONE_NAMES, s.zone);
      return `| ${id} | ${s.platformId ?? "—"} | ${s.ip} | ${zone ? both(zone) : s.zone} | ${stateText(s)} |`;
    });
    return rows.length ? [`### ${stack}`, "", "| 备案编号 Filing | 虚拟机 ID VM id | IP | 网络区域 Zone | 状态 State |", "|---|---|---|---|---|", ...rows, ""] : [];
  });
  return [
    DEPLOYED_MARKER,
    `## 已部署 Deployed（${stacks.map((s) => s.stack).join("、")}）`,
    "",
    ...(sections.length ? sections : [`本 PR 修改的备案没有虚拟机（${SERVER_TYPE_NAMES.physical.zh}或已删除）。 The filings of this PR have no VM (${SERVER_TYPE_NAMES.physical.en} or removed).`, ""]),
  ].join("\n");
}
