import type { ChangeKind } from "../config/model";
import type { Filing, Status } from "../filings/model";
import { parseFiling } from "../filings/parse";
import { msg, type Message } from "../messages";
import { allowedSources, wider } from "../net/exposure";
import { parsePort } from "../net/port";
import { SERVER_TYPE_NAMES, ZONE_NAMES } from "../names";
import type { SourceFile } from "../yaml/strict";

/**
 * Base vs head of a pull request → what kind of change each filing undergoes, which decides the
 * roles that must approve it (DESIGN §4). Pure: the adapter fetches both versions of each file.
 */

/** Both versions of one changed file; a side is absent when the file is new or removed. */
export interface FileVersions {
  readonly path: string;
  readonly base?: SourceFile;
  readonly head?: SourceFile;
}

/** What a change set changes: every changed path, and both versions of each filing file among them. */
export interface ChangeSet {
  readonly changedPaths: readonly string[];
  readonly versions: readonly FileVersions[];
}

/**
 * What a verdict stands on besides the forge's record of the pull request: the rules and the change.
 * At review time both come from GitHub; at the deploy's re-check both come from git.
 */
export interface VerdictInputs {
  /** The institution config files, as the default branch (or the commit before a merge) holds them. */
  readonly configFiles: ReadonlyMap<string, SourceFile>;
  /** Where the config was read, for messages. */
  readonly configFrom: string;
  readonly changes: ChangeSet;
}

export interface FilingChange {
  readonly path: string;
  /** Filing id (from the file name where the content cannot be read). */
  readonly id: string;
  /** The department folder the file is in. */
  readonly department: string;
  /** Every kind the change is, strongest first; the roles needed are the union of theirs. */
  readonly kinds: readonly ChangeKind[];
  /** Dotted paths of the fields that differ, e.g. `resources.cpu`, `network.ports`. */
  readonly fields: readonly string[];
  /** What makes the change unacceptable whoever approves it. */
  readonly refusals: readonly Message[];
  /** The filing as the PR would leave it (base for a deletion); absent when unreadable. */
  readonly filing?: Filing;
  /** The filing as it was on the base branch; absent for a new file or when unreadable. */
  readonly base?: Filing;
  readonly statusBefore?: Status;
}

export interface Classification {
  readonly filings: readonly FilingChange[];
  /** Changed paths outside the department filings: config, program, workflows, code. */
  readonly protectedPaths: readonly string[];
}

const FILING_PATH = /^filings\/([a-z][a-z0-9]*)\/([^/]+)\.ya?ml$/;

/**
 * Only department filings are department business. Everything else — `policies/`, `stacks/`,
 * `.github/`, CODEOWNERS, and the code and schema that check filings — decides how filings are judged,
 * so a change to it needs the information center and security.
 */
export function isFilingPath(path: string): boolean {
  return FILING_PATH.test(path);
}

/** The kinds a comparison of two versions can find, strongest first (a deletion has no head to compare). */
const ORDER: readonly ChangeKind[] = ["new", "increase", "decommission", "decrease", "renewal", "metadata"];

function diff(a: unknown, b: unknown, prefix: string, out: string[]): void {
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  const isObj = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
    for (const k of [...keys].sort()) diff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], prefix ? `${prefix}.${k}` : k, out);
    return;
  }
  out.push(prefix);
}

function ports(f: Filing): Set<string> {
  return new Set(f.network.ports.map((p) => {
    const parsed = parsePort(p);
    return parsed ? `${parsed.port}/${parsed.protocol}` : p;
  }));
}

function compare(id: string, base: Filing, head: Filing): { kinds: Set<ChangeKind>; refusals: Message[] } {
  const kinds = new Set<ChangeKind>();
  const refusals: Message[] = [];
  const b = base.resources;
  const h = head.resources;
  b.disks.forEach((disk, i) => {
    const now = h.disks[i];
    if (!now) {
      refusals.push(msg(
        `${id}：第 ${i + 1} 块硬盘（${disk.sizeGiB} GiB）被删除，会销毁其中的数据。硬盘只能保留或扩大；不再需要时请整体下线。`,
        `${id}: disk ${i + 1} (${disk.sizeGiB} GiB) is removed, which destroys its data. Disks may only stay or grow; decommission the server instead.`,
      ));
    } else if (now.sizeGiB < disk.sizeGiB) {
      refusals.push(msg(
        `${id}：第 ${i + 1} 块硬盘从 ${disk.sizeGiB} GiB 缩小到 ${now.sizeGiB} GiB，会销毁数据。硬盘只能保留或扩大。`,
        `${id}: disk ${i + 1} shrinks from ${disk.sizeGiB} GiB to ${now.sizeGiB} GiB, which destroys data. Disks may only stay or grow.`,
      ));
    }
  });
  refusals.push(...fixedAtCreation(id, base, head));
  const grows =
    h.cpu > b.cpu ||
    h.memoryGiB > b.memoryGiB ||
    h.disks.length > b.disks.length ||
    h.disks.some((d, i) => b.disks[i] !== undefined && d.sizeGiB > b.disks[i]!.sizeGiB);
  const before = ports(base);
  const after = ports(head);
  const opens = [...after].some((p) => !before.has(p));
  // Letting more of the Internet reach an open port exposes more, whether the port is sensitive or
  // not (from the internal zone, the move itself is the increase).
  const reachesWider = head.network.zone === "external" && head.network.ports.some((p) => wider(allowedSources(head, p), allowedSources(base, p)));
  // A new address or server type changes what is exposed where: judged like more resources.
  const exposes = (base.network.zone === "internal" && head.network.zone === "external") || opens || reachesWider || base.network.ip !== head.network.ip || base.type !== head.type;
  if (grows || exposes) kinds.add("increase");
  const shrinks = h.cpu < b.cpu || h.memoryGiB < b.memoryGiB || [...before].some((p) => !after.has(p)) || (base.network.zone === "external" && head.network.zone === "internal");
  if (shrinks) kinds.add("decrease");
  if (base.status === "active" && head.status === "decommissioned") kinds.add("decommission");
  // Bringing a decommissioned filing back is a new application in all but name.
  if (base.status === "decommissioned" && head.status === "active") kinds.add("new");
  if (JSON.stringify(base.period) !== JSON.stringify(head.period)) kinds.add("renewal");
  // Everything the kinds above do not cover is metadata.
  const rest = (f: Filing) => ({ ...f, resources: undefined, network: undefined, period: undefined, status: undefined, decommission: undefined, type: undefined });
  const other: string[] = [];
  diff(rest(base), rest(head), "", other);
  if (other.length > 0 || (base.decommission && head.status === "decommissioned" && JSON.stringify(base.decommission) !== JSON.stringify(head.decommission))) kinds.add("metadata");
  return { kinds, refusals };
}

/**
 * What a virtual server's VM takes at creation and keeps: its address and zone are written into the
 * guest by customization (vSphere) or cloud-init (Proxmox), which run once, and a virtual server does
 * not become a physical one. The engine cannot deploy such a change, so the chain refuses it before
 * merge and says the way that works: a new filing, then the old one decommissioned.
 */
function fixedAtCreation(id: string, base: Filing, head: Filing): Message[] {
  if (base.type !== "virtual") return [];
  const NEW_THEN_DECOMMISSION = msg(
    "请改为新建一份备案（新的文件名和地址，可用 node scripts/filing.js new 分配，须重新签字），新服务器上线、迁移完成后，再提交本备案的下线申请。",
    "File a new filing instead (a new file name and address, which node scripts/filing.js new assigns, and its own signatures); once the new server runs and the service has moved, decommission this one.",
  );
  if (head.type !== "virtual") {
    return [msg(
      `${id}：服务器类型从${SERVER_TYPE_NAMES.virtual.zh}改为${SERVER_TYPE_NAMES.physical.zh}，已创建的虚拟机不能变成${SERVER_TYPE_NAMES.physical.zh}。${NEW_THEN_DECOMMISSION.zh}`,
      `${id}: the server type changes from ${SERVER_TYPE_NAMES.virtual.en} to ${SERVER_TYPE_NAMES.physical.en}; a created VM cannot become a ${SERVER_TYPE_NAMES.physical.en}. ${NEW_THEN_DECOMMISSION.en}`,
    )];
  }
  const [from, to] = [base.network, head.network];
  if (from.zone !== to.zone) {
    return [msg(
      `${id}：网络区域从${ZONE_NAMES[from.zone].zh}改为${ZONE_NAMES[to.zone].zh}，IP 地址必须随之更换，而虚拟机的 IP 地址在创建时写入系统，部署无法原地修改。${NEW_THEN_DECOMMISSION.zh}`,
      `${id}: the network zone changes from ${ZONE_NAMES[from.zone].en} to ${ZONE_NAMES[to.zone].en}, which needs another IP address, and a VM's address is written into it at creation: a deploy cannot change it in place. ${NEW_THEN_DECOMMISSION.en}`,
    )];
  }
  if (from.ip !== to.ip) {
    return [msg(
      `${id}：IP 地址从 ${from.ip} 改为 ${to.ip}。虚拟机的 IP 地址在创建时写入系统，部署无法原地修改。${NEW_THEN_DECOMMISSION.zh}`,
      `${id}: the IP address changes from ${from.ip} to ${to.ip}. A VM's IP address is written into it at creation; a deploy cannot change it in place. ${NEW_THEN_DECOMMISSION.en}`,
    )];
  }
  return [];
}

/** `filings/<dept>/<name>.yaml` → its department and the id the file name gives (`<dept>-<name>`). */
export function filingIdFromPath(path: string): { department: string; id: string } | undefined {
  const m = FILING_PATH.exec(path);
  return m ? { department: m[1]!, id: `${m[1]}-${m[2]}` } : undefined;
}

function unreadable(path: string, side: "base" | "head"): Message {
  return side === "head"
    ? msg(`${path}：文件不是有效的备案，无法判断变更类型。请先按 filing validate 的提示修改。`, `${path}: the file is not a valid filing, so the change cannot be classified. Fix what filing validate reports first.`)
    : msg(`${path}：基准分支上的版本不是有效的备案，无法判断变更类型。请联系信息中心。`, `${path}: the base branch's version is not a valid filing, so the change cannot be classified. Ask the information center.`);
}

function classifyFiling(v: FileVersions): FilingChange {
  const where = filingIdFromPath(v.path)!;
  const base = v.base ? parseFiling(v.base).loaded?.filing : undefined;
  const head = v.head ? parseFiling(v.head).loaded?.filing : undefined;
  const id = head?.id ?? base?.id ?? where.id;
  const common = { path: v.path, id, department: where.department, base };
  if (v.head && !head) return { ...common, kinds: [], fields: [], refusals: [unreadable(v.path, "head")], filing: undefined, statusBefore: base?.status };
  if (v.base && !base) return { ...common, kinds: [], fields: [], refusals: [unreadable(v.path, "base")], filing: head };
  if (!base) return { ...common, kinds: ["new"], fields: [], refusals: [], filing: head };
  if (!head) {
    const refusals = base.status === "active"
      ? [msg(
          `${id}：删除了在用备案的文件。在用服务器不能直接删除：请先提交下线申请（status: decommissioned 并登记备份时间），合并后再删除该文件。`,
          `${id}: the file of an active filing is deleted. Active servers cannot be removed directly: decommission first (status: decommissioned with the backup time), then delete the file in a later PR.`,
        )]
      : [];
    return { ...common, kinds: ["delete"], fields: [], refusals, filing: base, statusBefore: base.status };
  }
  const fields: string[] = [];
  diff(base, head, "", fields);
  const { kinds, refusals } = compare(id, base, head);
  // A byte change with the same content (comments, quoting) still changes the record: the department signs it.
  if (kinds.size === 0) kinds.add("metadata");
  return { ...common, kinds: ORDER.filter((k) => kinds.has(k)), fields, refusals, filing: head, statusBefore: base.status };
}

/** Every changed path of a pull request → filing changes and protected paths. */
export function classifyChanges(changedPaths: readonly string[], filings: readonly FileVersions[]): Classification {
  const byPath = new Map(filings.map((f) => [f.path, f]));
  const changes: FilingChange[] = [];
  const protectedPaths: string[] = [];
  for (const path of [...new Set(changedPaths)].sort()) {
    if (!isFilingPath(path)) {
      protectedPaths.push(path);
      continue;
    }
    changes.push(classifyFiling(byPath.get(path) ?? { path }));
  }
  return { filings: changes, protectedPaths };
}
