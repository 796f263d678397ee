import { text, type Lang } from "../messages";
import { ZONE_NAMES } from "../output/names";
import type { ServerSpec, ServerState } from "../plan/servers";

/**
 * The register (台账): one row per filing with what the information center checks in an audit —
 * status, period end and days left, resources, zone and IP, administrator. Pure: from the planned
 * register; the writers in scripts/ turn rows into CSV, XLSX and HTML.
 */

export type Cell = string | number;

export interface Column {
  readonly key: string;
  readonly zh: string;
  readonly en: string;
  /** Numeric columns sort as numbers in the HTML table and stay numbers in XLSX. */
  readonly numeric?: boolean;
}

export const REGISTER_COLUMNS: readonly Column[] = [
  { key: "id", zh: "备案编号", en: "Filing" },
  { key: "department", zh: "使用部门", en: "Department" },
  { key: "type", zh: "类型", en: "Type" },
  { key: "state", zh: "状态", en: "Status" },
  { key: "purpose", zh: "用途", en: "Purpose" },
  { key: "cpu", zh: "vCPU", en: "vCPU", numeric: true },
  { key: "memoryGiB", zh: "内存 GiB", en: "Memory GiB", numeric: true },
  { key: "diskGiB", zh: "硬盘 GiB", en: "Disk GiB", numeric: true },
  { key: "disks", zh: "硬盘明细", en: "Disks" },
  { key: "zone", zh: "网络区域", en: "Zone" },
  { key: "ip", zh: "IP 地址", en: "IP address" },
  { key: "ports", zh: "开放端口", en: "Open ports" },
  { key: "start", zh: "起始日期", en: "Start" },
  { key: "end", zh: "到期日", en: "Period end" },
  { key: "daysLeft", zh: "剩余天数", en: "Days left", numeric: true },
  { key: "administrator", zh: "管理员", en: "Administrator" },
  { key: "phone", zh: "电话", en: "Phone" },
  { key: "email", zh: "邮箱", en: "Email" },
];

const STATE: Record<ServerState, [string, string]> = {
  running: ["在用", "in use"],
  expired: ["已过期（关机）", "expired (off)"],
  decommissioned: ["已下线", "decommissioned"],
  physical: ["在用（物理机）", "in use (physical)"],
};

export type RegisterRow = Readonly<Record<string, Cell>>;

export function registerRows(servers: readonly ServerSpec[], lang: Lang): RegisterRow[] {
  const i = lang === "zh" ? 0 : 1;
  return servers.map((s) => ({
    id: s.id,
    department: lang === "zh" ? s.departmentName : s.department,
    type: s.type === "virtual" ? ["虚拟机", "virtual"][i]! : ["物理机", "physical"][i]!,
    state: s.status === "active" && s.period.daysLeft < 0 && s.state !== "expired" ? `${STATE[s.state][i]} · ${["已到期，宽限期内", "ended, in grace"][i]}` : STATE[s.state][i]!,
    purpose: s.purpose,
    cpu: s.resources.cpu,
    memoryGiB: s.resources.memoryGiB,
    diskGiB: s.resources.disksGiB.reduce((a, b) => a + b, 0),
    disks: s.resources.disksGiB.join(" + "),
    zone: text(ZONE_NAMES[s.network.zone], lang),
    ip: s.network.ip,
    ports: s.network.ports.join(", "),
    start: s.period.start,
    end: s.period.end,
    daysLeft: s.period.daysLeft,
    administrator: s.administrator.name,
    phone: s.administrator.phone,
    email: s.administrator.email,
  }));
}

export function header(column: Column, lang: Lang): string {
  return lang === "zh" ? column.zh : column.en;
}
