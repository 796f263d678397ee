import { text, type Lang } from "../messages";
import { SERVER_TYPE_NAMES, ZONE_NAMES, schoolName, standing, type Names } from "../names";
import type { InstitutionConfig, Quota } from "../config/model";
import { portsWithExposure } from "../net/exposure";
import type { ServerSpec } from "../plan/servers";

/**
 * The register (台账): one row per filing with what the information center checks in an audit —
 * status, period end and days left, resources, zone and IP, administrator. Pure: from the planned
 * register; the writers in scripts/ turn rows into CSV, XLSX and HTML.
 */

export type Cell = string | number;

/** The register's title, with the school's name when the config gives one. */
export function registerTitle(names: Names, lang: Lang): string {
  const school = schoolName(names, lang);
  return lang === "zh" ? `${school}服务器备案台账` : `${school ? `${school}: s` : "S"}erver filing register`;
}

export interface Column {
  readonly key: string;
  readonly zh: string;
  readonly en: string;
  /** Numeric columns sort as numbers in the HTML table and stay numbers in XLSX. */
  readonly numeric?: boolean;
  /** ISO dates: real date cells in XLSX. */
  readonly date?: boolean;
  /** Free text that may wrap; every other column keeps to one line. */
  readonly wrap?: boolean;
}

export const REGISTER_COLUMNS: readonly Column[] = [
  { key: "id", zh: "备案编号", en: "Filing" },
  { key: "department", zh: "使用部门", en: "Department" },
  { key: "type", zh: "类型", en: "Type" },
  { key: "state", zh: "状态", en: "Status" },
  { key: "purpose", zh: "用途", en: "Purpose", wrap: true },
  { key: "cpu", zh: "vCPU", en: "vCPU", numeric: true },
  { key: "memoryGiB", zh: "内存 GiB", en: "Memory GiB", numeric: true },
  { key: "diskGiB", zh: "硬盘 GiB", en: "Disk GiB", numeric: true },
  { key: "disks", zh: "硬盘明细", en: "Disks" },
  { key: "zone", zh: "网络区域", en: "Zone" },
  { key: "ip", zh: "IP 地址", en: "IP address" },
  { key: "ports", zh: "开放端口", en: "Open ports", wrap: true },
  { key: "start", zh: "起始日期", en: "Start", date: true },
  { key: "end", zh: "到期日", en: "Period end", date: true },
  { key: "daysLeft", zh: "剩余天数", en: "Days left", numeric: true },
  { key: "administrator", zh: "管理员", en: "Administrator" },
  { key: "phone", zh: "电话", en: "Phone" },
  { key: "email", zh: "邮箱", en: "Email" },
  { key: "warranty", zh: `维保（${SERVER_TYPE_NAMES.physical.zh}）`, en: `Maintenance (${SERVER_TYPE_NAMES.physical.en})`, wrap: true },
  { key: "letter", zh: "责任书版本", en: "Letter" },
  { key: "pr", zh: "审批申请编号", en: "Approving PR" },
];

/** Days before the period end from which a filing is highlighted as expiring soon. */
export const EXPIRING_SOON_DAYS = 30;

/** How a row stands for highlighting: past its end, ending within EXPIRING_SOON_DAYS, or neither. */
export function rowUrgency(row: RegisterRow): "overdue" | "expiring" | "current" {
  const days = Number(row.daysLeft);
  if (row.status !== "active") return "current";
  if (days < 0) return "overdue";
  return days <= EXPIRING_SOON_DAYS ? "expiring" : "current";
}

export type RegisterRow = Readonly<Record<string, Cell>>;

/**
 * One row per filing. `pulls` maps a filing file to the pull request that made its last change
 * (read from git history by the caller); a filing changed outside a pull request shows "—".
 */
export function registerRows(servers: readonly ServerSpec[], lang: Lang, pulls: ReadonlyMap<string, number> = new Map()): RegisterRow[] {
  const i = lang === "zh" ? 0 : 1;
  return servers.map((s) => ({
    status: s.status,
    id: s.id,
    department: lang === "zh" ? s.departmentName : s.department,
    type: text(SERVER_TYPE_NAMES[s.type], lang),
    state: text(standing(s), lang),
    purpose: s.purpose,
    cpu: s.resources.cpu,
    memoryGiB: s.resources.memoryGiB,
    diskGiB: s.resources.disksGiB.reduce((a, b) => a + b, 0),
    disks: s.resources.disksGiB.join(" + "),
    zone: text(ZONE_NAMES[s.network.zone], lang),
    ip: s.network.ip,
    ports: portsWithExposure(s.network.ports, s.network.exposures, lang).join(lang === "zh" ? "，" : ", "),
    start: s.period.start,
    end: s.period.end,
    // A decommissioned filing's period means nothing any more (as in `plan`).
    daysLeft: s.status === "active" ? s.period.daysLeft : "—",
    administrator: s.administrator.name,
    phone: s.administrator.phone,
    email: s.administrator.email,
    warranty: s.maintenance
      ? `${s.maintenance.vendor}，${s.maintenance.underWarranty ? ["在保", "under warranty"][i] : ["已过保", "out of warranty"][i]}，${s.maintenance.technician.name} ${s.maintenance.technician.phone}`.replace(/，/g, lang === "zh" ? "，" : ", ")
      : "—",
    letter: s.letter,
    pr: pulls.has(s.file) ? `#${pulls.get(s.file)}` : "—",
  }));
}

export interface DepartmentTotal {
  readonly department: string;
  readonly name: string;
  readonly filings: number;
  /** Active virtual filings: the ones that count against the quota. */
  readonly vms: number;
  readonly used: Readonly<Record<keyof Quota, number>>;
  readonly quota?: Quota;
}

/** Per department, what its active virtual servers use against its quota (the department-quota rule's sums). */
export function departmentTotals(servers: readonly ServerSpec[], config: InstitutionConfig): DepartmentTotal[] {
  return config.departments
    .map((d) => {
      const mine = servers.filter((s) => s.department === d.slug);
      const vms = mine.filter((s) => s.type === "virtual" && s.status === "active");
      const used = { cpu: 0, memoryGiB: 0, diskGiB: 0 };
      for (const s of vms) {
        used.cpu += s.resources.cpu;
        used.memoryGiB += s.resources.memoryGiB;
        used.diskGiB += s.resources.disksGiB.reduce((a, b) => a + b, 0);
      }
      return { department: d.slug, name: d.name, filings: mine.length, vms: vms.length, used, quota: d.quota };
    })
    .filter((t) => t.filings > 0);
}

export const TOTAL_COLUMNS: readonly Column[] = [
  { key: "department", zh: "使用部门", en: "Department" },
  { key: "filings", zh: "备案数", en: "Filings", numeric: true },
  { key: "vms", zh: "在用虚拟机", en: "Active VMs", numeric: true },
  { key: "cpu", zh: "vCPU 已用/配额", en: "vCPU used/quota" },
  { key: "memoryGiB", zh: "内存 GiB 已用/配额", en: "Memory GiB used/quota" },
  { key: "diskGiB", zh: "硬盘 GiB 已用/配额", en: "Disk GiB used/quota" },
];

/** "24 / 64（38%）": used, quota and the share, as the totals table shows it. */
export function quotaUse(used: number, quota: number | undefined): string {
  if (quota === undefined) return `${used}`;
  return `${used} / ${quota}（${quota > 0 ? Math.round((used / quota) * 100) : 0}%）`;
}

export function totalRows(totals: readonly DepartmentTotal[], lang: Lang): RegisterRow[] {
  return totals.map((t) => ({
    department: lang === "zh" ? `${t.name}（${t.department}）` : t.department,
    filings: t.filings,
    vms: t.vms,
    cpu: quotaUse(t.used.cpu, t.quota?.cpu),
    memoryGiB: quotaUse(t.used.memoryGiB, t.quota?.memoryGiB),
    diskGiB: quotaUse(t.used.diskGiB, t.quota?.diskGiB),
  }));
}

export function header(column: Column, lang: Lang): string {
  return lang === "zh" ? column.zh : column.en;
}
