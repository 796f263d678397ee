import type { ForbiddenPort } from "../config/model";
import { msg, type Message } from "../messages";
import { wider } from "../net/exposure";
import { parseSubnet } from "../net/ip";
import type { ServerSpec } from "../plan/servers";
import { at, isUnknown, type Props } from "./observed";
import { ZONE_NAMES } from "../names";

/**
 * Proxmox firewall rules in the filing's terms. A rule the pack cannot read as "these ports" (a macro,
 * a security group, a service name, no port at all) is reported rather than trusted: in the external
 * zone an unread rule is an unfiled opening.
 */

export type PortProtocol = "tcp" | "udp" | "any";

export interface Opening {
  /** 1-based position in the resource's rule list, for messages. */
  readonly rule: number;
  readonly protocol: PortProtocol;
  /** Inclusive port ranges, or "all" when the rule names no port. */
  readonly ports: readonly (readonly [number, number])[] | "all";
  /** Source ranges the rule admits (a single address as /32), or "any" when it names none. */
  readonly sources: readonly string[] | "any";
}

export interface ReadRules {
  readonly openings: Opening[];
  /** Inbound accepting rules whose reach cannot be read as ports. */
  readonly unreadable: { readonly rule: number; readonly why: Message }[];
}

const PORT_PROTOCOLS: Record<string, PortProtocol> = { tcp: "tcp", "6": "tcp", udp: "udp", "17": "udp" };
/** Protocols without ports that an inbound rule may accept without a filing entry. */
const PORTLESS_ALLOWED = new Set(["icmp", "ipv6-icmp", "icmpv6", "1", "58"]);

function parsePorts(text: string): [number, number][] | undefined {
  const ranges: [number, number][] = [];
  for (const part of text.split(",")) {
    const m = /^\s*(\d{1,5})(?:\s*:\s*(\d{1,5}))?\s*$/.exec(part);
    if (!m) return undefined;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (from < 1 || to > 65535 || from > to) return undefined;
    ranges.push([from, to]);
  }
  return ranges;
}

/** A rule's `source`: none is any; addresses and ranges (comma-separated) as CIDRs; aliases and IP sets cannot be read. */
function readSources(source: unknown): string[] | "any" | undefined {
  if (source === undefined || source === null || (typeof source === "string" && source.trim() === "")) return "any";
  if (typeof source !== "string") return undefined;
  const out: string[] = [];
  for (const part of source.split(",").map((p) => p.trim())) {
    const cidr = part.includes("/") ? part : `${part}/32`;
    if (!parseSubnet(cidr)) return undefined;
    out.push(cidr);
  }
  return out;
}

/** The inbound ACCEPT rules of a `RulesLegacy` resource's `rules` list. */
export function readRules(props: Props): ReadRules {
  const openings: Opening[] = [];
  const unreadable: ReadRules["unreadable"] = [];
  const rules = props.rules;
  if (isUnknown(rules)) {
    unreadable.push({ rule: 0, why: msg("规则列表在创建前无法确定", "the rule list cannot be known before creation") });
    return { openings, unreadable };
  }
  if (!Array.isArray(rules)) return { openings, unreadable };
  rules.forEach((r: unknown, i) => {
    const n = i + 1;
    const field = (k: string): unknown => at(r, k);
    const fields = ["type", "action", "enabled", "proto", "dport", "macro", "securityGroup", "source"].map(field);
    if (isUnknown(r) || fields.some(isUnknown)) {
      unreadable.push({ rule: n, why: msg("规则内容在创建前无法确定", "its content cannot be known before creation") });
      return;
    }
    const [type, action, enabled, proto, dport, macro, securityGroup, source] = fields;
    if (enabled === false) return;
    if (typeof securityGroup === "string" && securityGroup !== "") {
      unreadable.push({ rule: n, why: msg(`引用了安全组 ${securityGroup}，其端口无法在此核对`, `it references security group ${securityGroup}, whose ports cannot be checked here`) });
      return;
    }
    if (type !== "in" || action !== "ACCEPT") return;
    if (typeof macro === "string" && macro !== "") {
      unreadable.push({ rule: n, why: msg(`使用了宏 ${macro}，请改写为协议和端口`, `it uses macro ${macro}; write protocol and ports instead`) });
      return;
    }
    const protoText = typeof proto === "string" ? proto.toLowerCase() : "";
    if (protoText !== "" && PORTLESS_ALLOWED.has(protoText)) return;
    const protocol = protoText === "" ? "any" : PORT_PROTOCOLS[protoText];
    if (!protocol) {
      unreadable.push({ rule: n, why: msg(`放行协议 ${proto}，备案只登记 TCP/UDP 端口`, `it accepts protocol ${proto}; filings list TCP/UDP ports only`) });
      return;
    }
    const sources = readSources(source);
    if (!sources) {
      unreadable.push({ rule: n, why: msg(`来源“${String(source)}”无法识别，请写地址或地址段（如 10.8.0.0/16）`, `source "${String(source)}" cannot be read; write addresses or ranges such as 10.8.0.0/16`) });
      return;
    }
    if (typeof dport !== "string" || dport.trim() === "") {
      openings.push({ rule: n, protocol, ports: "all", sources });
      return;
    }
    const ports = parsePorts(dport);
    if (!ports) {
      unreadable.push({ rule: n, why: msg(`目标端口“${dport}”无法识别，请写数字端口或范围（如 8000:8100）`, `destination port "${dport}" is not numeric; write ports or ranges such as 8000:8100`) });
      return;
    }
    openings.push({ rule: n, protocol, ports, sources });
  });
  return { openings, unreadable };
}

const covers = (opening: Opening, port: number): boolean =>
  opening.ports === "all" || opening.ports.some(([from, to]) => port >= from && port <= to);

const protocolsMeet = (a: PortProtocol, b: PortProtocol): boolean => a === "any" || b === "any" || a === b;

function describe(o: Opening): string {
  const ports = o.ports === "all" ? "*" : o.ports.map(([f, t]) => (f === t ? `${f}` : `${f}:${t}`)).join(",");
  return `${ports}/${o.protocol === "any" ? "tcp+udp" : o.protocol}`;
}

/** Forbidden (proxy and anonymiser) ports are never opened, on any VM in any zone. */
export function forbiddenPortViolations(subject: string, read: ReadRules, forbidden: readonly ForbiddenPort[]): Message[] {
  const out: Message[] = [];
  for (const o of read.openings) {
    const hit = forbidden.filter((f) => covers(o, f.port) && protocolsMeet(o.protocol, f.protocol));
    for (const f of hit) {
      out.push(msg(
        `${subject}：防火墙第 ${o.rule} 条规则开放了禁止的端口 ${f.port}/${f.protocol}（${f.reason}）：允许 无，实际 ${describe(o)}。`,
        `${subject}: firewall rule ${o.rule} opens forbidden port ${f.port}/${f.protocol} (${f.reason}): allowed none, found ${describe(o)}.`,
      ));
    }
  }
  for (const u of read.unreadable) {
    out.push(msg(
      `${subject}：防火墙第 ${u.rule} 条规则无法核对是否开放了禁止的端口：${u.why.zh}。`,
      `${subject}: firewall rule ${u.rule} cannot be checked for forbidden ports: ${u.why.en}.`,
    ));
  }
  return out;
}

interface FiledPort {
  readonly port: number;
  readonly protocol: "tcp" | "udp";
  readonly sources?: readonly string[];
}

function filedPorts(server: ServerSpec): FiledPort[] {
  return server.vm?.openPorts.map((p) => ({ port: p.port, protocol: p.protocol, sources: p.sources })) ?? [];
}

/** The filed ports with sources that an opening reaches from a source the filing does not allow. */
function tooWide(o: Opening, filed: readonly FiledPort[]): FiledPort[] {
  const admitted = o.sources === "any" ? ["0.0.0.0/0"] : o.sources;
  return filed.filter((f) => f.sources && covers(o, f.port) && protocolsMeet(o.protocol, f.protocol) && wider(admitted, f.sources));
}

function isFiled(o: Opening, filed: readonly FiledPort[]): boolean {
  if (o.ports === "all") return false;
  const protocols: ("tcp" | "udp")[] = o.protocol === "any" ? ["tcp", "udp"] : [o.protocol];
  // A range is filed only if every port in it is: ranges in filings are written port by port.
  return o.ports.every(([from, to]) =>
    protocols.every((proto) => {
      for (let p = from; p <= to; p++) if (!filed.some((f) => f.port === p && f.protocol === proto)) return false;
      return true;
    }),
  );
}

export interface FirewallOptionsState {
  readonly enabled: unknown;
  readonly inputPolicy: unknown;
}

/**
 * An external VM's firewall as filed: on (NIC and VM options), inbound policy DROP or REJECT, and
 * inbound ACCEPT rules for filed ports only.
 */
export function externalFirewallViolations(
  server: ServerSpec,
  nicFirewall: readonly unknown[],
  options: readonly FirewallOptionsState[],
  rules: readonly ReadRules[],
): Message[] {
  const id = server.id;
  const filed = filedPorts(server);
  const filedText = filed.length ? filed.map((f) => `${f.port}/${f.protocol}`).join(", ") : "无 none";
  const out: Message[] = [];
  nicFirewall.forEach((on, i) => {
    if (on !== true) {
      out.push(msg(
        `${id}：${ZONE_NAMES.external.zh}虚拟机第 ${i + 1} 块网卡的防火墙：备案 开启，实际 ${on === false ? "关闭" : "未确定"}。`,
        `${id}: firewall on NIC ${i + 1} of an external VM: filed on, found ${on === false ? "off" : "unknown"}.`,
      ));
    }
  });
  const effective = options.filter((o) => o.enabled === true && (o.inputPolicy === "DROP" || o.inputPolicy === "REJECT"));
  if (effective.length === 0) {
    const found = options.length === 0 ? msg("未设置", "not set") : msg(options.map((o) => `enabled=${String(o.enabled)}, inputPolicy=${String(o.inputPolicy)}`).join("; "), options.map((o) => `enabled=${String(o.enabled)}, inputPolicy=${String(o.inputPolicy)}`).join("; "));
    out.push(msg(
      `${id}：${ZONE_NAMES.external.zh}虚拟机的防火墙选项：备案 enabled=true, inputPolicy=DROP，实际 ${found.zh}。未开启时所有端口都对外开放。`,
      `${id}: firewall options of an external VM: filed enabled=true, inputPolicy=DROP, found ${found.en}. Without them every port is open.`,
    ));
  }
  for (const read of rules) {
    for (const o of read.openings) {
      if (!isFiled(o, filed)) {
        out.push(msg(
          `${id}：防火墙第 ${o.rule} 条规则开放了未备案的端口：备案 ${filedText}，实际 ${describe(o)}。`,
          `${id}: firewall rule ${o.rule} opens ports that are not filed: filed ${filedText}, found ${describe(o)}.`,
        ));
      }
      const from = o.sources === "any" ? "任意地址 any" : o.sources.join(", ");
      for (const f of tooWide(o, filed)) {
        out.push(msg(
          `${id}：防火墙第 ${o.rule} 条规则让 ${from} 访问 ${f.port}/${f.protocol}，备案只允许 ${f.sources!.join("、")}。`,
          `${id}: firewall rule ${o.rule} lets ${from} reach ${f.port}/${f.protocol}; the filing allows ${f.sources!.join(", ")} only.`,
        ));
      }
    }
    for (const u of read.unreadable) {
      out.push(msg(
        `${id}：防火墙第 ${u.rule} 条规则无法核对：${u.why.zh}。${ZONE_NAMES.external.zh}虚拟机只能开放备案的端口（备案 ${filedText}）。`,
        `${id}: firewall rule ${u.rule} cannot be checked: ${u.why.en}. An external VM may open its filed ports only (filed ${filedText}).`,
      ));
    }
  }
  return out;
}
