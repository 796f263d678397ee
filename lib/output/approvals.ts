import { portsWithExposure } from "../net/exposure";
import type { Decision, Evaluation } from "../approvals/evaluate";
import type { Lang } from "../messages";
import { amount, both, CHANGE_KIND_NAMES, listed, RESOURCE_NAMES, ROLE_NAMES, SERVER_TYPE_NAMES, ZONE_NAMES } from "../names";

/** Hidden marker that identifies the one sticky comment the check keeps up to date. */
export const COMMENT_MARKER = "<!-- filings/approval -->";

function title(d: Decision): string {
  if (d.subject.kind === "protected") return `配置与程序变更 Configuration and code: ${d.subject.paths.join(", ")}`;
  const c = d.subject.change;
  const kinds = c.kinds.map((k) => CHANGE_KIND_NAMES[k]);
  return `${c.id}（${listed(kinds, "zh")} ${listed(kinds, "en")}）`;
}

/** The filing in the paper form's wording, as it would be after the PR. */
function summary(d: Decision): string[] {
  if (d.subject.kind !== "filing") return [];
  const { change } = d.subject;
  const f = change.filing;
  const lines: string[] = [];
  if (f) {
    lines.push(
      `- 使用部门 Department: ${f.department}；用途 Purpose: ${f.purpose}`,
      `- 服务器类型 Type: ${both(SERVER_TYPE_NAMES[f.type])}；配置 Resources: ${amount("cpu", f.resources.cpu)}, ${both(RESOURCE_NAMES.memoryGiB)} ${amount("memoryGiB", f.resources.memoryGiB)}, ${both(RESOURCE_NAMES.diskGiB)} ${f.resources.disks.map((x) => amount("diskGiB", x.sizeGiB)).join(" + ")}`,
      `- 网络 Network: ${both(ZONE_NAMES[f.network.zone])} ${f.network.ip}；开放端口 Ports: ${portsWithExposure(f.network.ports, f.network.exposures, "zh").join("，") || "无 none"}`,
      `- 使用期限 Period: ${f.period.start} 起 ${f.period.months} 个月 months；管理员 Administrator: ${f.administrator.name} ${f.administrator.phone}`,
    );
  }
  if (change.fields.length) lines.push(`- 变更字段 Changed: ${change.fields.map((x) => `\`${x}\``).join(", ")}`);
  return lines;
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** A change in the PR the chain refuses whoever signs (a shrinking disk, a new IP address, …). */
const refused = (evaluation: Evaluation): boolean => evaluation.decisions.some((d) => d.refusals.length > 0);
const REFUSED = {
  zh: "本 PR 中有无法批准的变更（见下方标 ⛔ 的说明），签字也不能使它通过：请先按说明修改本 PR。",
  en: "This PR has a change that cannot be approved (see ⛔ below); no signature makes it pass: change the PR as described first.",
};

export function formatApprovalComment(evaluation: Evaluation): string {
  const out: string[] = [COMMENT_MARKER, "## 备案审批 Filing approvals", ""];
  if (evaluation.refusals.length > 0) {
    for (const r of evaluation.refusals) out.push(`⛔ ${r.zh} ${r.en}`);
    out.push("");
  } else if (refused(evaluation)) {
    // No signature can turn it green: say so first, so nobody goes collecting them.
    out.push(`⛔ ${REFUSED.zh} ${REFUSED.en}`, "");
  } else {
    out.push(evaluation.satisfied ? "✅ 所有签字已齐全，可以合并。 All required approvals are in." : "⏳ 尚未满足审批要求，见下表。 Approvals are not complete yet; see below.", "");
  }
  for (const d of evaluation.decisions) {
    out.push(`### ${d.satisfied ? "✅" : "❌"} ${title(d)}`, "", ...summary(d));
    for (const r of d.refusals) out.push(`- ⛔ ${r.zh}<br>${r.en}`);
    for (const w of d.warnings) out.push(`- ⚠️ ${w.zh}<br>${w.en}`);
    out.push("", "| 角色 Role | 签字人 Signed by | 时间 At | 缺少 Missing |", "|---|---|---|---|");
    for (const r of d.roles) {
      const name = both(ROLE_NAMES[r.role]);
      out.push(`| ${cell(name)} | ${r.signer ? `@${r.signer.login}` : "—"} | ${r.signer?.at ?? "—"} | ${r.missing ? cell(`${r.missing.zh} ${r.missing.en}`) : "—"} |`);
    }
    out.push("");
  }
  if (evaluation.ignored.length) {
    out.push("#### 未计入的审查 Reviews that do not count", "");
    for (const i of evaluation.ignored) out.push(`- ${i.why.zh} ${i.why.en}`);
    out.push("");
  }
  out.push("<sub>规则与审批人名单取自目标分支，本 PR 中对它们的修改要合并后才生效。 Rules and role holders are read from the base branch.</sub>");
  return `${out.join("\n")}\n`;
}

export function formatApprovalText(evaluation: Evaluation, lang: Lang): string {
  const t = (zh: string, en: string) => (lang === "zh" ? zh : en);
  const out: string[] = evaluation.refusals.map((r) => `⛔ ${r[lang]}`);
  for (const d of evaluation.decisions) {
    out.push(`${d.satisfied ? "✓" : "✗"} ${title(d)}`);
    for (const r of d.refusals) out.push(`  ⛔ ${r[lang]}`);
    for (const w of d.warnings) out.push(`  ⚠ ${w[lang]}`);
    for (const r of d.roles) {
      const name = ROLE_NAMES[r.role][lang];
      out.push(r.signer ? `  ✓ ${name}: @${r.signer.login} ${r.signer.at}` : `  ✗ ${name}: ${r.missing![lang]}`);
    }
  }
  for (const i of evaluation.ignored) out.push(`  · ${i.why[lang]}`);
  out.push(evaluation.satisfied ? t("✓ 审批已齐全。", "✓ All approvals are in.") : refused(evaluation) ? `⛔ ${REFUSED[lang]}` : t("✗ 审批未齐全。", "✗ Approvals are not complete."));
  return `${out.join("\n")}\n`;
}

export function formatApprovalJson(evaluation: Evaluation): string {
  return `${JSON.stringify(
    {
      satisfied: evaluation.satisfied,
      refusals: evaluation.refusals,
      decisions: evaluation.decisions.map((d) => ({
        subject: d.subject.kind === "filing" ? { filing: d.subject.change.id, path: d.subject.change.path, kinds: d.subject.change.kinds, fields: d.subject.change.fields } : { protected: d.subject.paths },
        satisfied: d.satisfied,
        refusals: d.refusals,
        warnings: d.warnings,
        roles: d.roles,
      })),
      ignored: evaluation.ignored,
    },
    null,
    2,
  )}\n`;
}
