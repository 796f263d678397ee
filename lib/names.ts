import type { ChangeKind, Institution, InstitutionConfig, Role } from "./config/model";
import type { Scope, ServerType, Status, Zone } from "./filings/model";
import { msg, type Lang, type Message } from "./messages";
import type { ServerSpec, ServerState } from "./plan/servers";
import type { Platform } from "./stack-files/config";

/**
 * The product's words: every term a department, a leader or an engineer reads in more than one
 * place (the PR comment, the plan, the policy output, the register, the monthly report), in one
 * table each. A module that shows one of these imports it from here; test/names.test.ts fails when
 * a user-facing module spells one itself or keeps a table of its own, so the comment and the report
 * cannot drift apart again.
 *
 * Chinese follows the paper form where it has a word (是否需要外网, 使用部门负责人…).
 */

export const ZONE_NAMES: Readonly<Record<Zone, Message>> = {
  internal: msg("校内网", "internal"),
  external: msg("外网", "external"),
};

export const SERVER_TYPE_NAMES: Readonly<Record<ServerType, Message>> = {
  virtual: msg("虚拟服务器", "virtual server"),
  physical: msg("物理服务器", "physical server"),
};

/** `scope`: how widely the application serves (the core room serves school-level ones first). */
export const SCOPE_NAMES: Readonly<Record<Scope, Message>> = {
  school: msg("校级应用", "school-level application"),
  department: msg("部门级应用", "department-level application"),
};

/** A filing's own status, as written in its file. */
export const STATUS_NAMES: Readonly<Record<Status, Message>> = {
  active: msg("在用", "in use"),
  decommissioned: msg("已下线", "decommissioned"),
};

/**
 * What the program makes of a filing on a given day (lib/plan/servers.ts). "Expired" covers both
 * platforms' ways of taking a VM out of service: powered off on Proxmox, NICs on the quarantine
 * port group on vSphere; the data is kept either way.
 */
export const STATE_NAMES: Readonly<Record<ServerState, Message>> = {
  running: STATUS_NAMES.active,
  expired: msg("已过期（停止服务）", "expired (out of service)"),
  decommissioned: STATUS_NAMES.decommissioned,
  physical: SERVER_TYPE_NAMES.physical,
};

/**
 * A filing's period, as the register, the reminders and the comments speak of it: 到期 is the end
 * date (到期日) passing; 已过期 is the state after the grace period (STATE_NAMES.expired).
 */
export const PERIOD_NAMES = {
  endingSoon: msg("即将到期", "ending soon"),
  ended: msg("已到期", "ended"),
  inGrace: msg("已到期，宽限期内", "ended, in grace"),
} as const satisfies Readonly<Record<string, Message>>;

/**
 * How a filing stands, as the register's and the plan's 状态 column say it beside their 类型 column:
 * the filing's status, the VM taken out of service, or an active filing past its end (a VM in its
 * grace period; a physical server, which nothing stops, simply ended).
 */
export function standing(s: Pick<ServerSpec, "type" | "status" | "state" | "period">): Message {
  if (s.status !== "active") return STATUS_NAMES[s.status];
  if (s.state === "expired") return STATE_NAMES.expired;
  if (s.period.daysLeft >= 0) return STATUS_NAMES.active;
  const past = s.type === "physical" ? PERIOD_NAMES.ended : PERIOD_NAMES.inGrace;
  return msg(`${STATUS_NAMES.active.zh} · ${past.zh}`, `${STATUS_NAMES.active.en} · ${past.en}`);
}

/** What the end of the grace period does on each platform: out of service either way, the data kept. */
export const GRACE_END: Readonly<Record<Platform, Message>> = {
  vsphere: msg("宽限期满后，虚拟机的网卡移到隔离端口组，停止网络服务，数据保留。", "At the end of the grace period the VM's NIC moves to the quarantine port group: out of service, data kept."),
  proxmox: msg("宽限期满后，虚拟机被关机，数据保留。", "At the end of the grace period the VM is powered off, data kept."),
};

/** What a change does to a filing (lib/approvals/classify.ts), as the approval comment and the monthly report name it. */
export const CHANGE_KIND_NAMES: Readonly<Record<ChangeKind, Message>> = {
  new: msg("新申请", "new filing"),
  increase: msg("扩容或扩大开放", "more resources or exposure"),
  decrease: msg("缩减", "fewer resources"),
  renewal: msg("续期", "renewal"),
  metadata: msg("信息变更", "details changed"),
  decommission: msg("下线", "decommission"),
  delete: msg("删除已下线的备案记录", "record of a decommissioned filing removed"),
};

/** The approval chain's roles, in the paper form's words. */
export const ROLE_NAMES: Readonly<Record<Role, Message>> = {
  departmentHead: msg("使用部门负责人", "department head"),
  schoolLeader: msg("部门校分管负责人", "school leader over the department"),
  informationCenterHead: msg("信息中心负责人", "information-center head"),
  securityLeader: msg("信息安全校分管负责人", "school leader for information security"),
};

export type Resource = "cpu" | "memoryGiB" | "diskGiB";

/** The resources a filing requests and a department's quota limits. */
export const RESOURCE_NAMES: Readonly<Record<Resource, Message>> = {
  cpu: msg("vCPU", "vCPU"),
  memoryGiB: msg("内存", "memory"),
  diskGiB: msg("硬盘", "disk"),
};

const RESOURCE_UNITS: Readonly<Record<Resource, string>> = { cpu: "vCPU", memoryGiB: "GiB", diskGiB: "GiB" };

/** An amount of a resource with its unit: `4 vCPU`, `16 GiB` (the same in both languages). */
export function amount(resource: Resource, n: number): string {
  return `${n} ${RESOURCE_UNITS[resource]}`;
}

export const PLATFORM_NAMES: Readonly<Record<Platform, Message>> = {
  vsphere: msg("VMware vSphere", "VMware vSphere"),
  proxmox: msg("Proxmox VE", "Proxmox VE"),
};

/**
 * What a vSphere stack names in vCenter: the stack file's schema titles (lib/stack-files/config.ts)
 * and the line for a name vCenter does not have (lib/stack-files/vsphere-lookups.ts).
 */
export const VSPHERE_OBJECT_NAMES = {
  datacenter: msg("数据中心", "datacenter"),
  cluster: msg("计算集群", "cluster"),
  datastore: msg("数据存储", "datastore"),
  template: msg("模板虚拟机", "template"),
  portGroup: msg("端口组", "port group"),
  customAttribute: msg("自定义属性", "custom attribute"),
} as const satisfies Readonly<Record<string, Message>>;

/** The name of `key` in `names` when it is one of its keys (a value read from a file or a report), else undefined. */
export function nameOf(names: Readonly<Record<string, Message>>, key: string): Message | undefined {
  return Object.hasOwn(names, key) ? names[key] : undefined;
}

/** A platform as a stack file or a report names it; an unknown one as it was written. */
export function platformName(platform: string): Message {
  return nameOf(PLATFORM_NAMES, platform) ?? msg(platform, platform);
}

/** Both languages of a term, Chinese first, for the texts that carry both (PR comments, VM notes). */
export function both(name: Message): string {
  return name.zh === name.en ? name.zh : `${name.zh} ${name.en}`;
}

/** Several terms in one language, joined as that language lists them. */
export function listed(names: readonly Message[], lang: Lang): string {
  return names.map((n) => n[lang]).join(lang === "zh" ? "、" : ", ");
}

/**
 * The words for each coded field's values, by the field's path in a filing: what a message names
 * beside a code (active（在用）), and how a value written in words is read back (在用 → active).
 */
export const FIELD_VALUE_NAMES: Readonly<Record<string, Readonly<Record<string, Message>>>> = {
  type: SERVER_TYPE_NAMES,
  scope: SCOPE_NAMES,
  "network.zone": ZONE_NAMES,
  status: STATUS_NAMES,
};

/** The command a user types to run the tool (on Windows too, where there is no `filing` on PATH). */
export const FILING_CLI = "node scripts/filing.js";

/**
 * Who a comment or a form names: departments by name, people by the names in approvals.yaml
 * `people` (a leader reads 李明, not @li-vp-teaching). Logins without a name are shown as they are.
 */
export interface Names {
  readonly departments: ReadonlyMap<string, string>;
  readonly people: Readonly<Record<string, string>>;
  /** The school (policies/institution.yaml), for the heads of the report, the form and the desk. */
  readonly institution?: Institution;
}

export const NO_NAMES: Names = { departments: new Map(), people: {} };

/** The names an institution config gives. */
export function namesOf(config: InstitutionConfig): Names {
  return { departments: new Map(config.departments.map((d) => [d.slug, d.name])), people: config.approvals.people ?? {}, ...(config.institution ? { institution: config.institution } : {}) };
}

/** The school's name in `lang` ("" when the config names none), to stand before a title. */
export function schoolName(names: Names, lang: Lang): string {
  const i = names.institution;
  return i ? (lang === "zh" ? i.name : (i.nameEn ?? i.name)) : "";
}

/** Each login or team in `text` (with or without its @) as the name `people` gives it. */
export function withNames(text: string, names: Names): string {
  let out = text;
  for (const [principal, name] of Object.entries(names.people)) {
    const bare = principal.replace(/^@/, "").replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    out = out.replace(new RegExp(`(?<![\\w@/-])@?${bare}(?![\\w/-])`, "gi"), name);
  }
  return out;
}
