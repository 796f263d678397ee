import schema from "../../filings/filing.schema.json";
import { periodEnd } from "../filings/dates";
import type { Filing } from "../filings/model";
import type { Lang } from "../messages";
import { amount, FIELD_VALUE_NAMES, RESOURCE_NAMES, SERVER_TYPE_NAMES, ZONE_NAMES, type Names } from "../names";
import { portsWithExposure } from "../net/exposure";
import { fieldTitle, type SchemaNode } from "../schema/check";

/** One field of a filing that a change altered. */
export interface FieldChange {
  /** Dotted path, e.g. `resources.cpu`. */
  readonly field: string;
  readonly before: unknown;
  readonly after: unknown;
}

/** The value at a dotted path of a filing. */
export function valueAt(filing: Filing | undefined, dotted: string): unknown {
  let cur: unknown = filing;
  for (const k of dotted.split(".")) cur = typeof cur === "object" && cur !== null ? (cur as Record<string, unknown>)[k] : undefined;
  return cur;
}

/**
 * The changed fields of a filing, old → new, as a person reads them: the period's start and months
 * as one line (`使用期限：2026-08-01 起 12 个月（至 2027-07-31） → …`), since either alone reads oddly.
 */
export function fieldChanges(base: Filing | undefined, head: Filing | undefined, fields: readonly string[]): FieldChange[] {
  const out: FieldChange[] = [];
  for (const field of fields) {
    if (field.startsWith("period.")) {
      if (!out.some((c) => c.field === "period")) out.push({ field: "period", before: valueAt(base, "period"), after: valueAt(head, "period") });
    } else out.push({ field, before: valueAt(base, field), after: valueAt(head, field) });
  }
  return out;
}


/**
 * A filing in the paper form's words, one line per group of boxes, in one language: what a leader
 * reads in the approval comment and the authorities in the monthly report. Departments by name.
 */
export function filingSummary(f: Filing, lang: Lang, names: Names): string[] {
  const zh = lang === "zh";
  const sep = zh ? "：" : ": ";
  const and = zh ? "；" : "; ";
  const comma = zh ? "，" : ", ";
  const department = names.departments.get(f.department);
  const backup = operationsCommitted(f, lang);
  return [
    `${zh ? "使用部门" : "Department"}${sep}${department ? (zh ? `${department}（${f.department}）` : `${f.department} (${department})`) : f.department}${and}${zh ? "用途" : "Purpose"}${sep}${f.purpose}`,
    `${zh ? "服务器类型" : "Type"}${sep}${SERVER_TYPE_NAMES[f.type][lang]}${and}${zh ? "配置" : "Resources"}${sep}${f.type === "physical" ? (zh ? `CPU ${f.resources.cpu} 核` : `${f.resources.cpu} CPU cores`) : amount("cpu", f.resources.cpu)}${comma}${RESOURCE_NAMES.memoryGiB[lang]} ${amount("memoryGiB", f.resources.memoryGiB)}${comma}${RESOURCE_NAMES.diskGiB[lang]} ${f.resources.disks.map((x) => amount("diskGiB", x.sizeGiB)).join(" + ")}`,
    `${zh ? "网络" : "Network"}${sep}${ZONE_NAMES[f.network.zone][lang]} ${f.network.ip}${and}${zh ? "开放端口" : "Ports"}${sep}${portsWithExposure(f.network.ports, f.network.exposures, lang).join(comma) || (zh ? "无" : "none")}`,
    `${zh ? "使用期限" : "Period"}${sep}${zh ? `${f.period.start} 起 ${f.period.months} 个月（至 ${periodEnd(f.period.start, f.period.months)}）` : `${f.period.months} months from ${f.period.start} (to ${periodEnd(f.period.start, f.period.months)})`}${and}${zh ? "管理员" : "Administrator"}${sep}${f.administrator.name} ${f.administrator.phone} ${f.administrator.email}`,
    `${zh ? "承诺" : "Commitments"}${sep}${backup.join(zh ? "、" : ", ")}${and}${letterSigned(f, lang)}`,
  ];
}

/** What the department committed to for operations, one item each: the backups and the log retention. */
export function operationsCommitted(f: Filing, lang: Lang): string[] {
  const zh = lang === "zh";
  return [
    ...(f.operations.backup.daily ? [zh ? "每天备份数据和日志" : "daily backup of data and logs"] : []),
    ...(f.operations.backup.secondCopy ? [zh ? "重要数据双备份" : "a second copy of important data"] : []),
    zh ? `日志保存 ${f.operations.logRetentionDays} 天` : `logs kept ${f.operations.logRetentionDays} days`,
  ];
}

/** The responsibility letter the department signed. */
export function letterSigned(f: Filing, lang: Lang): string {
  return lang === "zh" ? `已签署责任书（${f.commitments.responsibilityLetter} 版）` : `responsibility letter signed (version ${f.commitments.responsibilityLetter})`;
}

/** A field's value as a person reads it: disks by size, ports with their sources, dates as they are. */
function valueText(field: string, v: unknown, lang: Lang): string {
  if (v === undefined || v === null) return "—";
  if (field === "period" && typeof v === "object") {
    const { start, months } = v as { start?: unknown; months?: unknown };
    if (typeof start === "string" && typeof months === "number") return lang === "zh" ? `${start} 起 ${months} 个月（至 ${periodEnd(start, months)}）` : `${months} months from ${start} (to ${periodEnd(start, months)})`;
  }
  if (field === "resources.disks" && Array.isArray(v)) return v.map((d) => `${String((d as { sizeGiB?: unknown }).sizeGiB)} GiB`).join(" + ");
  if (field === "network.ports" && Array.isArray(v)) return v.join(lang === "zh" ? "、" : ", ") || (lang === "zh" ? "无" : "none");
  if (field === "network.exposures" && Array.isArray(v)) return portsWithExposure(v.map((e) => (e as { port: string }).port), v as never, lang).join(lang === "zh" ? "；" : "; ");
  if (typeof v === "boolean") return lang === "zh" ? (v ? "是" : "否") : v ? "yes" : "no";
  // A coded value in words (active → 在用) where lib/names.ts has them.
  const named = typeof v === "string" ? FIELD_VALUE_NAMES[field]?.[v] : undefined;
  if (named) return named[lang];
  if (typeof v === "string") return v === "" ? (lang === "zh" ? "（空）" : "(empty)") : v;
  if (typeof v === "number") return String(v);
  if (typeof v === "object" && !Array.isArray(v)) {
    // A group of fields (decommission, backup): each by its own name.
    return Object.entries(v as Record<string, unknown>).map(([k, x]) => `${fieldLabel(`${field}.${k}`, lang)} ${valueText(`${field}.${k}`, x, lang)}`).join(lang === "zh" ? "，" : ", ");
  }
  return JSON.stringify(v);
}

/** A field's name on the form (Chinese), or its path (English); the period as a whole is the form's 使用期限. */
function fieldLabel(field: string, lang: Lang): string {
  if (field === "period") return lang === "zh" ? "使用期限" : "period";
  return (lang === "zh" ? fieldTitle(schema as SchemaNode, field.split(".")) : undefined) ?? field;
}

/** One changed field: its name on the form (Chinese) or its path (English), old → new. */
export function changeLine(c: FieldChange, lang: Lang): string {
  return `${fieldLabel(c.field, lang)}${lang === "zh" ? "：" : ": "}${valueText(c.field, c.before, lang)} → ${valueText(c.field, c.after, lang)}`;
}
