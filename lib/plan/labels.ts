import { STATE_NAMES } from "../names";
import type { ServerSpec } from "./servers";

/**
 * How a VM carries its filing on each platform. The program writes these and the policy pack reads
 * them back, so both sides use this module: a VM from any program at the school is recognised the same way.
 */

/** vSphere custom attributes (created once per vCenter by the program) holding the filing fields. */
export const VSPHERE_ATTRIBUTES = {
  filingId: "filing-id",
  department: "filing-department",
  periodEnd: "filing-period-end",
  exposure: "filing-exposure",
} as const;

export type VsphereAttribute = keyof typeof VSPHERE_ATTRIBUTES;

const TAG_PREFIX = { filingId: "filing.", department: "dept.", periodEnd: "until." } as const;

/**
 * Proxmox tags: `filing.<id>`, `dept.<department>`, `until.<YYYY-MM-DD>`. Proxmox allows
 * [a-z0-9_+.-] in tags, which filing ids (lowercase ASCII and hyphens) and ISO dates satisfy.
 */
export function proxmoxTags(server: ServerSpec): string[] {
  return [
    `${TAG_PREFIX.filingId}${server.id}`,
    `${TAG_PREFIX.department}${server.department}`,
    `${TAG_PREFIX.periodEnd}${server.period.end}`,
  ];
}

export type TagField = keyof typeof TAG_PREFIX;

/** Every value a Proxmox VM's tags give for one field (a VM with two `filing.` tags names two filings). */
export function tagValues(tags: readonly string[], field: TagField): string[] {
  const prefix = TAG_PREFIX[field];
  return tags.filter((t) => t.startsWith(prefix)).map((t) => t.slice(prefix.length));
}

export function vsphereAttributeValues(server: ServerSpec): Record<VsphereAttribute, string> {
  return { filingId: server.id, department: server.department, periodEnd: server.period.end, exposure: exposureText(server) };
}

const NOTE_FILING_LINE = "备案编号 Filing: ";
const NOTE_EXPOSURE_LINE = "对外开放 Exposure: ";

/**
 * What the VM opens to the Internet, as one line of text: `443/tcp, 22/tcp<-10.8.0.0/16` (a port
 * with its allowed sources), "无 none" for the internal zone. vSphere's provider has no firewall, so
 * the filed exposure is recorded on the VM and the pack checks that record.
 */
export function exposureText(server: ServerSpec): string {
  const open = server.vm?.openPorts ?? [];
  if (open.length === 0) return "无 none";
  return open.map((p) => `${p.port}/${p.protocol}${p.sources ? `<-${p.sources.join("+")}` : ""}`).join(", ");
}

/** The exposure a note records, or undefined when it has no such line. */
export function exposureFromNote(note: string): string | undefined {
  const line = note.split("\n").find((l) => l.startsWith(NOTE_EXPOSURE_LINE));
  return line === undefined ? undefined : line.slice(NOTE_EXPOSURE_LINE.length).trim();
}

/**
 * The filing id the note's first line names. On vSphere this is where the pack reads the id: custom
 * attributes are keyed by attribute ids that only vCenter knows, the annotation is plain text.
 */
export function filingIdFromNote(note: string): string | undefined {
  const end = note.indexOf("\n");
  const first = (end < 0 ? note : note.slice(0, end)).trim();
  if (!first.startsWith(NOTE_FILING_LINE)) return undefined;
  const id = first.slice(NOTE_FILING_LINE.length).trim();
  return id === "" ? undefined : id;
}

/**
 * A filed value on one line of the note: a line break in it (a hand-written YAML block scalar, a
 * crafted form) would start a line of its own, such as a second "对外开放 Exposure:" the pack reads.
 */
const oneLine = (value: string): string => value.replace(/[\r\n\u0085\u2028\u2029]+/g, " ");

/** Human-readable note on the VM (Proxmox description, vSphere annotation), in the form's wording. */
export function vmNote(server: ServerSpec): string {
  const lines = [
    `${NOTE_FILING_LINE}${server.id}`,
    `使用部门 Department: ${oneLine(server.departmentName)} (${server.department})`,
    `用途 Purpose: ${oneLine(server.purpose)}`,
    `使用期限 Period: ${server.period.start} – ${server.period.end}`,
    `管理员 Administrator: ${oneLine(server.administrator.name)} ${oneLine(server.administrator.phone)}`,
    `${NOTE_EXPOSURE_LINE}${exposureText(server)}`,
    `备案文件 File: ${oneLine(server.file)}`,
  ];
  const { expired, decommissioned } = STATE_NAMES;
  if (server.state === "expired") lines.push(`状态 State: ${expired.zh}：Proxmox 关机，vSphere 网卡移入隔离端口组，数据保留 ${expired.en}: Proxmox off, vSphere NIC on the quarantine port group, data kept`);
  // Proxmox powers it off with the deploy; vSphere's provider cannot, so vCenter's own power state is the truth there.
  if (server.state === "decommissioned") lines.push(`状态 State: ${decommissioned.zh}，应关机（Proxmox 由部署关机；vSphere 网卡移入隔离端口组，须在 vCenter 中手动关机），数据保留 ${decommissioned.en}: to be powered off (Proxmox by the deploy; vSphere NIC on the quarantine port group, powered off by hand in vCenter), data kept`);
  lines.push("由备案仓库管理，请勿手工修改 Managed from the filing register; do not edit by hand.");
  return lines.join("\n");
}
