import type { ChangeKind } from "../config/model";
import type { Filing } from "../filings/model";
import { classifyChanges, type FileVersions } from "../approvals/classify";
import type { SourceFile } from "../yaml/strict";
import type { Lang } from "../messages";
import { CHANGE_KIND_NAMES, NO_NAMES, listed, schoolName, type Names } from "../names";
import { parseFiling } from "../filings/parse";
import { schoolTime } from "../filings/dates";
import { changeLine, filingSummary, valueAt, type FieldChange } from "../output/filing-summary";
import { CHANGE_KINDS } from "../config/model";

/**
 * The monthly change report (DESIGN §9): the information center reports the filings that changed to
 * the public-security authority by the 20th of the next month (the seeds' IDC rules). The register
 * at the end of the month against the register at its start; per filing what kind of change, each
 * changed field old → new, the filing's content as it now stands (as it stood, for a removed file),
 * and the pull request that approved it. Pure: the caller reads both registers and the pull
 * requests out of git.
 */

export interface MonthlyRow {
  readonly department: string;
  readonly id: string;
  readonly kinds: readonly ChangeKind[];
  readonly changes: readonly FieldChange[];
  /** The filing as it stands at the month's end, or as it last stood when its file was removed. */
  readonly filing?: Filing;
  /** The pull request whose merge brought the month's last change to it, when git history names one. */
  readonly pull?: number;
  /** When that change reached main (an instant): the day it was approved and took effect. */
  readonly mergedAt?: string;
}

/**
 * Registers as files (path → bytes) at the month's start and end, and per file the pull request
 * that last changed it in the month → the changes, by department then id.
 */
export function monthlyChanges(
  start: ReadonlyMap<string, SourceFile>,
  end: ReadonlyMap<string, SourceFile>,
  merges: ReadonlyMap<string, { readonly pull?: number; readonly at: string }> = new Map(),
): MonthlyRow[] {
  const paths = [...new Set([...start.keys(), ...end.keys()])].filter((p) => {
    const a = start.get(p)?.bytes;
    const b = end.get(p)?.bytes;
    return !a || !b || Buffer.compare(Buffer.from(a), Buffer.from(b)) !== 0;
  });
  const versions: FileVersions[] = paths.map((p) => ({ path: p, base: start.get(p), head: end.get(p) }));
  const { filings } = classifyChanges(paths, versions);
  return filings
    .map((c): MonthlyRow => {
      const before = start.get(c.path) ? parseFiling(start.get(c.path)!).loaded?.filing : undefined;
      const after = end.get(c.path) ? parseFiling(end.get(c.path)!).loaded?.filing : undefined;
      const changes = before && after ? c.fields.map((field) => ({ field, before: valueAt(before, field), after: valueAt(after, field) })) : [];
      const filing = after ?? before;
      const merge = merges.get(c.path);
      return { department: c.department, id: c.id, kinds: c.kinds, changes, ...(filing ? { filing } : {}), ...(merge?.pull !== undefined ? { pull: merge.pull } : {}), ...(merge ? { mergedAt: merge.at } : {}) };
    })
    .sort((a, b) => (a.department < b.department ? -1 : a.department > b.department ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** When the change was approved and took effect (its merge, Beijing date) and in which pull request. */
export function approved(r: MonthlyRow): string {
  const day = r.mergedAt ? schoolTime(r.mergedAt).slice(0, 10) : undefined;
  return [day, r.pull !== undefined ? `#${r.pull}` : undefined].filter(Boolean).join(" ") || "—";
}

export function kindLabel(kinds: readonly ChangeKind[], lang: Lang): string {
  return listed(kinds.map((k) => CHANGE_KIND_NAMES[k]), lang);
}

/** The report's own words, one language per report. */
export const MONTHLY_HEAD: Record<Lang, {
  title: (school: string) => string; none: string; department: string; id: string; change: string; details: string; content: string; pull: string;
  period: (from: string, to: string) => string; route: (names: Names) => string; made: (day: string) => string; totals: string; filings: (n: number) => string; signOff: string;
}> = {
  zh: {
    title: (school) => `${school}服务器备案变更月报`, none: "本月没有备案变更。", department: "使用部门", id: "备案编号", change: "变更类型", details: "变更内容（原 → 新）", content: "备案内容（变更后；删除的为删除前）", pull: "批准生效",
    period: (from, to) => `报告期：${from} 至 ${to}（北京时间）`,
    route: ({ institution: i }) => `报送：${i?.informationCenter ?? "信息中心"} → ${i?.reportsTo ?? "公安机关网络安全保卫部门"}（每月 20 日前报送上月有变更的备案资料）`,
    made: (day) => `生成日期：${day}`,
    totals: "合计", filings: (n) => `共 ${n} 份备案`,
    signOff: "报送单位（盖章）：＿＿＿＿＿＿＿＿　联系人：＿＿＿＿　电话：＿＿＿＿＿＿　审核人（签字）：＿＿＿＿　日期：＿＿＿＿",
  },
  en: {
    title: (school) => `${school ? `${school}: m` : "M"}onthly filing changes`, none: "No filing changed this month.", department: "Department", id: "Filing", change: "Change", details: "What changed (old → new)", content: "Filing (after the change; as it was, if removed)", pull: "Approved",
    period: (from, to) => `Reporting period: ${from} to ${to} (Beijing time)`,
    route: ({ institution: i }) => `Reported by ${i?.informationCenter ?? "the information center"} to ${i?.reportsTo ?? "the public-security authority (cyber security)"} by the 20th of the next month`,
    made: (day) => `Made on ${day}`,
    totals: "Totals", filings: (n) => `${n} filing${n === 1 ? "" : "s"}`,
    signOff: "Reporting unit (stamp): ________  Contact: ________  Phone: ________  Reviewed by (signature): ________  Date: ________",
  },
};

/** How many changes of each kind: a filing renewed and grown counts under both. */
export function kindTotals(rows: readonly MonthlyRow[], lang: Lang): string {
  const counts = CHANGE_KINDS.map((k) => [k, rows.filter((r) => r.kinds.includes(k)).length] as const).filter(([, n]) => n > 0);
  const parts = counts.map(([k, n]) => `${CHANGE_KIND_NAMES[k][lang]} ${n}`);
  return `${MONTHLY_HEAD[lang].totals}${lang === "zh" ? "：" : ": "}${parts.join(lang === "zh" ? "，" : ", ")}${parts.length ? (lang === "zh" ? "；" : "; ") : ""}${MONTHLY_HEAD[lang].filings(rows.length)}`;
}

/** The report's head: title, period, who reports to whom, when made, totals. */
export function monthlyHead(month: string, period: { from: string; to: string; today: string }, rows: readonly MonthlyRow[], lang: Lang, names: Names = NO_NAMES): string[] {
  const h = MONTHLY_HEAD[lang];
  return [`${h.title(schoolName(names, lang))}${lang === "zh" ? `（${month}）` : ` ${month}`}`, h.period(period.from, period.to), h.route(names), h.made(period.today), kindTotals(rows, lang)];
}

export function monthlyMarkdown(month: string, period: { from: string; to: string; today: string }, rows: readonly MonthlyRow[], names: Names, lang: Lang): string {
  const h = MONTHLY_HEAD[lang];
  const [title, ...head] = monthlyHead(month, period, rows, lang, names);
  const out = [`# ${title}`, "", ...head.map((l) => `${l}  `), ""];
  if (rows.length === 0) out.push(h.none);
  const cellText = (lines: readonly string[]) => lines.map((x) => x.replace(/\|/g, "\\|")).join("<br>") || "—";
  const departments = [...new Set(rows.map((r) => r.department))];
  for (const d of departments) {
    out.push(`## ${names.departments.get(d) ?? d} (${d})`, "", `| ${h.id} | ${h.change} | ${h.pull} | ${h.details} | ${h.content} |`, "|---|---|---|---|---|");
    for (const r of rows.filter((x) => x.department === d)) {
      out.push(`| ${r.id} | ${kindLabel(r.kinds, lang)} | ${approved(r)} | ${cellText(r.changes.map((c) => changeLine(c, lang)))} | ${cellText(r.filing ? filingSummary(r.filing, lang, names) : [])} |`);
    }
    out.push("");
  }
  out.push("", h.signOff);
  return `${out.join("\n")}\n`;
}
