import type { Decision, Evaluation } from "../approvals/evaluate";
import { schoolTime } from "../filings/dates";
import type { Lang, Message } from "../messages";
import { CHANGE_KIND_NAMES, listed, NO_NAMES, ROLE_NAMES, withNames, type Names } from "../names";
import { changeLine, fieldChanges, filingSummary } from "./filing-summary";

/** How a leader signs on GitHub: said in the sticky comment and on the desk's page for leaders. */
export const HOW_TO_APPROVE: Message = {
  zh: "批准方法：在 PR 的“Files changed”页面点 “Review changes” → “Approve” → “Submit review”；只写评论不算批准，PR 再有修改后须重新批准。",
  en: "To approve: Files changed → Review changes → Approve → Submit review; a comment is not an approval, and a new push needs a new approval.",
};

/** Hidden marker that identifies the one sticky comment the check keeps up to date. */
export const COMMENT_MARKER = "<!-- filings/approval -->";

/** The filing as it would be after the PR, in the paper form's words, in one language. */
function summary(d: Decision, lang: Lang, names: Names): string[] {
  if (d.subject.kind !== "filing") return [];
  const { change } = d.subject;
  const lines = change.filing ? filingSummary(change.filing, lang, names).map((l) => `- ${l}`) : [];
  // What the signature is for: each changed field, old → new, in the form's words.
  if (change.fields.length) {
    lines.push(`- ${lang === "zh" ? "本次变更：" : "This change: "}${fieldChanges(change.base, change.filing, change.fields).map((c) => changeLine(c, lang)).join(lang === "zh" ? "；" : "; ")}`);
  }
  return lines;
}

/** A change in the PR the chain refuses whoever signs (a shrinking disk, a new IP address, …). */
const refused = (evaluation: Evaluation): boolean => evaluation.decisions.some((d) => d.refusals.length > 0);
const REFUSED = {
  zh: "本 PR 中有无法批准的变更（见下方标 ⛔ 的说明），签字也不能使它通过：请先按说明修改本 PR。",
  en: "This PR has a change that cannot be approved (see ⛔ below); no signature makes it pass: change the PR as described first.",
};

function title(d: Decision, lang: Lang): string {
  if (d.subject.kind === "protected") return `${lang === "zh" ? "配置与程序变更" : "Configuration and code"}${lang === "zh" ? "：" : ": "}${d.subject.paths.join(", ")}`;
  const c = d.subject.change;
  return `${c.id}${lang === "zh" ? "：" : ": "}${listed(c.kinds.map((k) => CHANGE_KIND_NAMES[k]), lang)}`;
}

/** The whole verdict in one language: what changes, who signed (when, in Beijing time), who still must and why. */
export function verdictLines(evaluation: Evaluation, lang: Lang, names: Names): string[] {
  const zh = lang === "zh";
  const say = (m: Message) => withNames(m[lang], names);
  const out: string[] = [];
  const unsigned = evaluation.decisions.reduce((n, d) => n + d.roles.filter((r) => !r.signer).length, 0);
  if (evaluation.refusals.length > 0) {
    for (const r of evaluation.refusals) out.push(`⛔ ${say(r)}`);
  } else if (refused(evaluation)) {
    // No signature can turn it green: say so first, so nobody goes collecting them.
    out.push(`⛔ ${REFUSED[lang]}`);
  } else {
    out.push(evaluation.satisfied
      ? zh ? "✅ 所有签字已齐全，可以合并。" : "✅ All required approvals are in."
      : zh ? `⏳ 还需 ${unsigned} 个签字，见下方“还需签字”。` : `⏳ ${unsigned} approval${unsigned === 1 ? "" : "s"} still needed; see "Still to sign" below.`);
  }
  out.push("");
  for (const d of evaluation.decisions) out.push(...decisionLines(d, lang, names));
  if (evaluation.ignored.length) {
    out.push(zh ? "未计入的审查：" : "Reviews that do not count:");
    for (const i of evaluation.ignored) out.push(`- ${say(i.why)}`);
    out.push("");
  }
  return out;
}

/**
 * One decision in one language, as the sticky comment says it (a `### ` heading, `- ` items, plain
 * lines): what changes, what is refused or noted, who signed and who still must. The desk shows the
 * same lines on its pages.
 */
export function decisionLines(d: Decision, lang: Lang, names: Names): string[] {
  const zh = lang === "zh";
  const say = (m: Message) => withNames(m[lang], names);
  // ✅ signed, ⛔ refused whoever signs, ⏳ waiting for signatures (never ❌: it reads as rejected).
  const out = [`### ${d.satisfied ? "✅" : d.refusals.length > 0 ? "⛔" : "⏳"} ${title(d, lang)}`, "", ...summary(d, lang, names)];
  for (const r of d.refusals) out.push(`- ⛔ ${say(r)}`);
  for (const w of d.warnings) out.push(`- ⚠️ ${say(w)}`);
  const signed = d.roles.filter((r) => r.signer);
  const missing = d.roles.filter((r) => !r.signer);
  if (signed.length) {
    out.push("", zh ? "已签字：" : "Signed:");
    for (const r of signed) out.push(`- ✅ ${ROLE_NAMES[r.role][lang]}${zh ? "：" : ": "}${withNames(`@${r.signer!.login}`, names)}${zh ? "，" : ", "}${schoolTime(r.signer!.at)}${zh ? "（北京时间）" : " (Beijing time)"}`);
  }
  if (missing.length) {
    out.push("", zh ? "还需签字：" : "Still to sign:");
    for (const r of missing) out.push(`- ⬜ ${r.missing ? say(r.missing) : ROLE_NAMES[r.role][lang]}`);
  }
  out.push("");
  return out;
}

/**
 * One line of the verdict as Markdown can hold it: values a department wrote (a purpose, a name) may
 * hold line breaks or markup, which would end the list item, open an HTML comment that hides the
 * rest (⛔ refusals included) or fake a verdict line. Each line stays one line, and no tag opens.
 */
export function markdownSafe(line: string): string {
  return line.replace(/[\r\n\u0085\u2028\u2029]+/g, " ").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * The sticky comment on the pull request: in Chinese, for the department and the leaders who sign;
 * the same in English folded below, for whoever needs it. Logins become names where the config
 * gives them; times are Beijing time.
 */
export function formatApprovalComment(evaluation: Evaluation, names: Names = NO_NAMES): string {
  const out = [
    COMMENT_MARKER,
    "## 备案审批",
    "",
    ...verdictLines(evaluation, "zh", names).map(markdownSafe),
    `<sub>审批规则和审批人名单以目标分支上的为准：本 PR 对它们的修改要合并后才生效。${HOW_TO_APPROVE.zh}</sub>`,
    "",
    "<details><summary>English</summary>",
    "",
    "## Filing approvals",
    "",
    ...verdictLines(evaluation, "en", names).map(markdownSafe),
    `<sub>Rules and role holders are read from the base branch. ${HOW_TO_APPROVE.en}</sub>`,
    "",
    "</details>",
  ];
  return `${out.join("\n")}\n`;
}

export function formatApprovalText(evaluation: Evaluation, lang: Lang): string {
  const t = (zh: string, en: string) => (lang === "zh" ? zh : en);
  const out: string[] = evaluation.refusals.map((r) => `⛔ ${r[lang]}`);
  for (const d of evaluation.decisions) {
    out.push(`${d.satisfied ? "✓" : "✗"} ${title(d, lang)}`);
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
