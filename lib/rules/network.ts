import { groupBy } from "../group";
import { msg, withForm } from "../messages";
import { allocatable, nextFreeAddress } from "../net/ip";
import { at, type FilingRule, type Finding, type RegisterEntry, type RegisterRule, type RuleContext } from "./types";
import { ZONE_NAMES } from "../names";

/**
 * The addresses in use, for the free one a message offers: these filings', and the whole register's
 * when the check sees only a part of it (RuleContext.usedIps, the desk's keystroke).
 */
function inUse(filings: readonly RegisterEntry[], ctx: RuleContext): { has(ip: string): boolean } {
  const own = new Set(filings.map((f) => f.facts.ip));
  const register = ctx.usedIps;
  return register ? { has: (ip) => own.has(ip) || register.has(ip) } : own;
}

export const ipInPool: RegisterRule = {
  // Register-wide although it judges one filing: the address it suggests instead must be free
  // across the register, which a filing rule (cached per file content) cannot know.
  scope: "register",
  id: "ip-in-pool",
  severity: "error",
  check(filings, ctx) {
    const used = inUse(filings, ctx);
    const found: Finding[] = [];
    for (const f of filings) {
      const { zone: zoneName, ip } = f.facts;
      const zone = ctx.config.networks.zones[zoneName];
      if (allocatable(ip, zone)) continue;
      const pools = zone.pool.map((r) => `${r.from}–${r.to}`).join("、");
      const free = nextFreeAddress(zone, used);
      const instead = msg(
        `（${pools}，网关 ${zone.gateway} 除外）。请改用地址池内的空闲地址${free ? `，例如 ${free}` : "（地址池已满，请联系信息中心）"}。`,
        ` (${zone.pool.map((r) => `${r.from}-${r.to}`).join(", ")}, gateway ${zone.gateway} excluded). Pick a free address from the pool${free ? `, e.g. ${free}` : " (the pool is full: ask the information center)"}.`,
      );
      found.push(at(f, ["network", "ip"], withForm(
        msg(`IP 地址 ${ip} 不在${zone.name}（${zoneName}）的可分配地址池内${instead.zh}`, `network.ip ${ip} is not in the allocatable pool of zone ${zoneName}${instead.en}`),
        msg(`IP 地址 ${ip} 不在${zone.name}的可分配地址池内${instead.zh}`, `The IP address ${ip} is not in the allocatable pool of zone ${zoneName}${instead.en}`),
      )));
    }
    return found;
  },
};

export const ipUnique: RegisterRule = {
  scope: "register",
  id: "ip-unique",
  severity: "error",
  check(filings, ctx) {
    const found: Finding[] = [];
    const used = inUse(filings, ctx);
    for (const [ip, list] of groupBy(filings, (f) => f.facts.ip)) {
      if (list.length < 2) continue;
      // In a pull request, the files it changes are the ones to fix: an approved filing that already
      // held the address is not told to move (two departments both moving would swap for ever).
      const changed = ctx.change ? list.filter((f) => ctx.change!.changed.has(f.file)) : [];
      for (const f of changed.length > 0 ? changed : list) {
        const others = list.filter((o) => o !== f);
        // The register's lowest free address of the filing's zone: one the user can write at once.
        const free = nextFreeAddress(ctx.config.networks.zones[f.facts.zone], used);
        const rest = msg(
          ` 使用。每个地址全校只能登记一次：${changed.length > 0 ? "" : "只改新提交的那一份（已批准在用的不用改），"}请改用其他空闲地址${free ? `，例如 ${free}` : "（地址池已满，请联系信息中心）"}。`,
          `. Each address is filed once: ${changed.length > 0 ? "" : "change only the newly filed one (an approved one in use stays), and "}pick a free one${free ? `, e.g. ${free}` : " (the pool is full: ask the information center)"}.`,
        );
        // The form names the filings, not their files.
        found.push(at(f, ["network", "ip"], withForm(
          msg(`IP 地址 ${ip} 已被 ${others.map((o) => o.file).join("、")}${rest.zh}`, `IP address ${ip} is also used by ${others.map((o) => o.file).join(", ")}${rest.en}`),
          msg(`IP 地址 ${ip} 已被备案 ${others.map((o) => o.facts.id).join("、")}${rest.zh}`, `IP address ${ip} is also used by filing ${others.map((o) => o.facts.id).join(", ")}${rest.en}`),
        )));
      }
    }
    return found;
  },
};

export const externalPorts: FilingRule = {
  scope: "filing",
  id: "external-ports",
  severity: "error",
  check(f) {
    const { zone, ports } = f.filing.network;
    if (zone !== "external" || ports.length > 0) return [];
    return [
      at(f, ["network", "ports"], withForm(msg(
        `需要${ZONE_NAMES.external.zh}（zone: external）的服务器必须列出需要开放的端口，例如 ports: ["443/tcp"]。未列出的端口不会开放。`,
        `A server in the external zone must list the ports to open, e.g. ports: ["443/tcp"]. Unlisted ports stay closed.`,
      ), msg(
        `需要${ZONE_NAMES.external.zh}的服务器必须列出需要开放的端口，例如 443/tcp。未列出的端口不会开放。`,
        `A server in the external zone must list the ports to open, e.g. 443/tcp. Unlisted ports stay closed.`,
      )), { at: "key" }),
    ];
  },
};
