import { msg } from "../messages";
import { ROLE_NAMES } from "../names";
import { inRange, ipv4ToInt, parseSubnet, type Subnet } from "../net/ip";
import { problem, type Problem } from "../problems";
import type { PathSegment } from "../yaml/strict";
import { CONFIG_FILES, LETTER_TEXT_FILE, type NetworkZone } from "./model";
import type { ConfigKey, LoadedConfig } from "./parse";

/**
 * The institution config's own rules: what its schemas cannot say, each a concern of its own, run
 * in this order once every file passed its schema (lib/config/parse.ts). Like the filing rules, a
 * rule returns problems and never throws.
 */
export interface ConfigRule {
  readonly id: string;
  readonly description: string;
  check(loaded: LoadedConfig): Problem[];
}

function at(loaded: LoadedConfig, key: ConfigKey, path: PathSegment[], rule: string, zh: string, en: string): Problem {
  return problem(CONFIG_FILES[key], loaded.sources[key].locate(path), rule, msg(zh, en));
}

export const uniqueDepartments: ConfigRule = {
  id: "config-duplicate-department",
  description: "Each department slug is listed once.",
  check(loaded) {
    const problems: Problem[] = [];
    const seen = new Map<string, number>();
    loaded.config.departments.forEach((d, i) => {
      const first = seen.get(d.slug);
      if (first === undefined) {
        seen.set(d.slug, i);
        return;
      }
      problems.push(
        at(loaded, "departments", ["departments", i, "slug"], "config-duplicate-department",
          `部门代码 "${d.slug}" 重复（第 ${first + 1} 项已使用）。每个部门只能登记一次。`,
          `Department slug "${d.slug}" is listed twice (first as entry ${first + 1}). List each department once.`),
      );
    });
    return problems;
  },
};

export const networkPlan: ConfigRule = {
  id: "config-network",
  description: "Each zone's subnet is a CIDR, zones do not overlap, pools and the gateway lie inside their subnet, and no pool hands out the gateway.",
  check(loaded) {
    const problems: Problem[] = [];
    const subnets: { zone: string; subnet: Subnet }[] = [];
    for (const zoneName of ["internal", "external"] as const) {
      const zone: NetworkZone = loaded.config.networks.zones[zoneName];
      const base: PathSegment[] = ["zones", zoneName];
      const report = (path: PathSegment[], zh: string, en: string) => problems.push(at(loaded, "networks", [...base, ...path], "config-network", zh, en));
      const subnet = parseSubnet(zone.subnet);
      if (!subnet) {
        report(["subnet"], `子网 "${zone.subnet}" 不是有效的 IPv4 网段（应形如 10.20.0.0/16）。`, `Subnet "${zone.subnet}" is not a valid IPv4 CIDR (like 10.20.0.0/16).`);
        continue;
      }
      for (const other of subnets) {
        if (subnet.first <= other.subnet.last && other.subnet.first <= subnet.last) {
          report(["subnet"],
            `区域 ${zoneName} 的子网 ${zone.subnet} 与区域 ${other.zone} 的子网重叠。各区域的子网不能重叠。`,
            `Zone ${zoneName}'s subnet ${zone.subnet} overlaps zone ${other.zone}'s. Zone subnets must not overlap.`);
        }
      }
      subnets.push({ zone: zoneName, subnet });
      const inSubnet = (ip: string): boolean => {
        const n = ipv4ToInt(ip);
        return n !== undefined && n >= subnet.first && n <= subnet.last;
      };
      zone.pool.forEach((range, i) => {
        if (!inSubnet(range.from) || !inSubnet(range.to)) {
          report(["pool", i], `地址池 ${range.from}–${range.to} 不在子网 ${zone.subnet} 内。`, `Pool ${range.from}–${range.to} is not inside subnet ${zone.subnet}.`);
        } else if (ipv4ToInt(range.from)! > ipv4ToInt(range.to)!) {
          report(["pool", i], `地址池起始地址 ${range.from} 大于结束地址 ${range.to}。`, `Pool start ${range.from} is above its end ${range.to}.`);
        }
      });
      if (!inSubnet(zone.gateway)) {
        report(["gateway"], `网关 ${zone.gateway} 不在子网 ${zone.subnet} 内。`, `Gateway ${zone.gateway} is not inside subnet ${zone.subnet}.`);
      } else if (zone.pool.some((range) => inRange(ipv4ToInt(zone.gateway)!, range))) {
        report(["gateway"],
          `网关 ${zone.gateway} 落在可分配地址池内，会被分配给服务器。请调整地址池，把网关排除在外。`,
          `Gateway ${zone.gateway} lies inside the allocatable pool and could be handed to a server. Exclude it from the pool.`);
      }
    }
    return problems;
  },
};

export const protectedApprovals: ConfigRule = {
  id: "config-approvals",
  description: "Changes to policies/, stacks/, .github/ or CODEOWNERS need the information-center head and the security leader.",
  check(loaded) {
    return (["informationCenterHead", "securityLeader"] as const)
      .filter((role) => !loaded.config.approvals.required.protected.includes(role))
      .map((role) =>
        at(loaded, "approvals", ["required", "protected"], "config-approvals",
          `修改 policies/、stacks/、.github/ 或 CODEOWNERS 必须有${ROLE_NAMES[role].zh}批准，请把 ${role} 加入 required.protected。`,
          `Changes to policies/, stacks/, .github/ or CODEOWNERS must need the ${ROLE_NAMES[role].en}; add ${role} to required.protected.`),
      );
  },
};

export const letterVersions: ConfigRule = {
  id: "config-letter",
  description: "The current letter version is accepted, and the letter text declares it.",
  check(loaded) {
    const { letters, letterTextVersion } = loaded.config;
    const problems: Problem[] = [];
    if (!letters.accepted.includes(letters.current)) {
      problems.push(at(loaded, "letters", ["current"], "config-letter",
        `现行责任书版本 "${letters.current}" 不在 accepted 列表中。`,
        `The current letter version "${letters.current}" is not in the accepted list.`));
    }
    if (letterTextVersion && letterTextVersion !== letters.current) {
      problems.push(at(loaded, "letters", ["current"], "config-letter",
        `责任书文本（${LETTER_TEXT_FILE}）的版本为 "${letterTextVersion}"，与现行版本 "${letters.current}" 不一致。修改责任书文本时请同时更新版本号。`,
        `The letter text (${LETTER_TEXT_FILE}) declares version "${letterTextVersion}", not the current "${letters.current}". Update both together.`));
    }
    return problems;
  },
};

export const CONFIG_RULES: readonly ConfigRule[] = [uniqueDepartments, networkPlan, protectedApprovals, letterVersions];
