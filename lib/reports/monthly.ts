import type { ChangeKind } from "../config/model";
import type { Filing } from "../filings/model";
import { classifyChanges, type FileVersions } from "../approvals/classify";
import type { SourceFile } from "../yaml/strict";
import type { Lang } from "../messages";
import { CHANGE_KIND_NAMES, listed } from "../names";
import { parseFiling } from "../filings/parse";

/**
 * The monthly change report (DESIGN §9; the seeds ask for changes to be reported by the 20th):
 * the register at the end of the month against the register at its start, per filing what changed,
 * by department. Pure: the caller reads both registers out of git.
 */

export interface MonthlyRow {
  readonly department: string;
  readonly id: string;
  readonly kinds: readonly ChangeKind[];
  /** `field: old → new`, one per changed field. */
  readonly details: readonly string[];
}

function valueAt(filing: Filing | undefined, dotted: string): unknown {
  let cur: unknown = filing;
  for (const k of dotted.split(".")) cur = typeof cur === "object" && cur !== null ? (cur as Record<string, unknown>)[k] : undefined;
  return cur;
}

function shown(v: unknown): string {
  if (v === undefined) return "—";
  if (typeof v === "string") return v === "" ? '""' : v;
  return JSON.stringify(v);
}

/** Registers as files (path → bytes) at the month's start and end → the changes, by department then id. */
export function monthlyChanges(start: ReadonlyMap<string, SourceFile>, end: ReadonlyMap<string, SourceFile>): MonthlyRow[] {
  const paths = [...new Set([...start.keys(), ...end.keys()])].filter((p) => {
    const a = start.get(p)?.bytes;
    const b = end.get(p)?.bytes;
    return !a || !b || Buffer.compare(Buffer.from(a), Buffer.from(b)) !== 0;
  });
  const versions: FileVersions[] = paths.map((p) => ({ path: p, base: start.get(p), head: end.get(p) }));
  const { filings } = classifyChanges(paths, versions);
  return filings
    .map((c) => {
      const before = start.get(c.path) ? parseFiling(start.get(c.path)!).loaded?.filing : undefined;
      const after = end.get(c.path) ? parseFiling(end.get(c.path)!).loaded?.filing : undefined;
      const details = c.kinds.includes("new") && !before ? [] : c.kinds.includes("delete") ? [] : c.fields.map((f) => `${f}: ${shown(valueAt(before, f))} → ${shown(valueAt(after, f))}`);
      return { department: c.department, id: c.id, kinds: c.kinds, details };
    })
    .sort((a, b) => (a.department < b.department ? -1 : a.department > b.department ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function kindLabel(kinds: readonly ChangeKind[], lang: Lang): string {
  return listed(kinds.map((k) => CHANGE_KIND_NAMES[k]), lang);
}

/** The report's own words, one language per report. */
export const MONTHLY_HEAD: Record<Lang, { title: string; none: string; department: string; id: string; change: string; details: string }> = {
  zh: { title: "服务器备案变更月报", none: "本月没有备案变更。", department: "使用部门", id: "备案编号", change: "变更", details: "内容" },
  en: { title: "Monthly filing changes", none: "No filing changed this month.", department: "Department", id: "Filing", change: "Change", details: "Details" },
};

export function monthlyMarkdown(month: string, rows: readonly MonthlyRow[], departmentNames: ReadonlyMap<string, string>, lang: Lang): string {
  const h = MONTHLY_HEAD[lang];
  const out = [`# ${h.title} ${month}`, ""];
  if (rows.length === 0) out.push(h.none);
  const departments = [...new Set(rows.map((r) => r.department))];
  for (const d of departments) {
    out.push(`## ${departmentNames.get(d) ?? d} (${d})`, "", `| ${h.id} | ${h.change} | ${h.details} |`, "|---|---|---|");
    for (const r of rows.filter((x) => x.department === d)) {
      out.push(`| ${r.id} | ${kindLabel(r.kinds, lang)} | ${r.details.map((x) => x.replace(/\|/g, "\\|")).join("<br>") || "—"} |`);
    }
    out.push("");
  }
  return `${out.join("\n")}\n`;
}
