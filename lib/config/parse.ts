import approvalsSchema from "../../policies/schemas/approvals.schema.json";
import departmentsSchema from "../../policies/schemas/departments.schema.json";
import lettersSchema from "../../policies/schemas/letters.schema.json";
import limitsSchema from "../../policies/schemas/limits.schema.json";
import networksSchema from "../../policies/schemas/networks.schema.json";
import { msg } from "../messages";
import { inRange, ipv4ToInt, parseSubnet, type Subnet } from "../net/ip";
import { FILE_START, problem, type Problem } from "../problems";
import { schemaChecker, type SchemaChecker, type SchemaNode } from "../schema/check";
import { decodeSource, lazyLocator, loadYaml, type LocatedValue, type PathSegment, type SourceFile } from "../yaml/strict";
import {
  type Approvals,
  CONFIG_FILES,
  LETTER_TEXT_FILE,
  type Department,
  type InstitutionConfig,
  type Letters,
  type Limits,
  type Networks,
  type NetworkZone,
} from "./model";

type ConfigKey = keyof typeof CONFIG_FILES;

const checkers: { [K in ConfigKey]: SchemaChecker<unknown> } = {
  departments: schemaChecker(departmentsSchema as SchemaNode),
  limits: schemaChecker(limitsSchema as SchemaNode),
  networks: schemaChecker(networksSchema as SchemaNode),
  letters: schemaChecker(lettersSchema as SchemaNode),
  approvals: schemaChecker(approvalsSchema as SchemaNode),
};

/** Config that passed its schemas and checks, with sources so rules can point into policies/. */
export interface LoadedConfig {
  readonly config: InstitutionConfig;
  readonly sources: { readonly [K in ConfigKey]: LocatedValue };
}

export interface ConfigSources {
  /** Keyed by root-relative path (`policies/limits.yaml`, ...); absent files are missing. */
  readonly files: ReadonlyMap<string, SourceFile>;
}

/** What parseConfig makes of the config files. */
export interface ConfigResult {
  readonly loaded?: LoadedConfig;
  readonly problems: readonly Problem[];
}

/**
 * A config whose checked value is already known (the validation cache holds it per config digest),
 * joined again with its files so that rules can point into them; each file is parsed only when a
 * rule reports on it. Pure.
 */
export function knownConfig(config: InstitutionConfig, input: ConfigSources): LoadedConfig {
  const sources = {} as Record<ConfigKey, LocatedValue>;
  for (const key of Object.keys(CONFIG_FILES) as ConfigKey[]) {
    const file = input.files.get(CONFIG_FILES[key]);
    const value = key === "departments" ? { departments: config.departments } : config[key];
    sources[key] = { value, locate: lazyLocator(() => file && decodeSource(file).text) };
  }
  return { config, sources };
}

const LETTER_VERSION = /^(?:版本|Version)[^:：\n]*[:：]\s*([0-9]{4}-[0-9]+)\s*$/m;

/** Institution config from the files of `policies/`. Pure: the caller reads the files. */
export function parseConfig(input: ConfigSources): ConfigResult {
  const problems: Problem[] = [];
  const values: Partial<Record<ConfigKey, unknown>> = {};
  const sources: Partial<Record<ConfigKey, LocatedValue>> = {};
  for (const key of Object.keys(CONFIG_FILES) as ConfigKey[]) {
    const path = CONFIG_FILES[key];
    const file = input.files.get(path);
    if (!file) {
      problems.push(missing(path));
      continue;
    }
    const parsed = loadYaml(file);
    problems.push(...parsed.problems);
    if (!parsed.located) continue;
    const checked = checkers[key].check(parsed.located, path);
    problems.push(...checked.problems);
    if (checked.value !== undefined) {
      values[key] = checked.value;
      sources[key] = parsed.located;
    }
  }
  let letterTextVersion: string | undefined;
  const letterFile = input.files.get(LETTER_TEXT_FILE);
  if (!letterFile) {
    problems.push(missing(LETTER_TEXT_FILE));
  } else {
    const text = decodeSource(letterFile);
    problems.push(...text.problems);
    letterTextVersion = text.text?.match(LETTER_VERSION)?.[1];
    if (text.text !== undefined && !letterTextVersion) {
      problems.push(
        problem(LETTER_TEXT_FILE, FILE_START, "config-letter", msg(
          "责任书文本中没有版本行。请在文件开头写一行“版本（Version）：2026-1”。",
          "The letter text has no version line. Add a line such as “版本（Version）：2026-1” near the top.",
        )),
      );
    }
  }
  if (problems.length > 0 || !sources.departments || !sources.limits || !sources.networks || !sources.letters || !sources.approvals) {
    return { problems };
  }
  const config: InstitutionConfig = {
    departments: (values.departments as { departments: Department[] }).departments,
    limits: values.limits as Limits,
    networks: values.networks as Networks,
    letters: values.letters as Letters,
    approvals: values.approvals as Approvals,
    letterTextVersion,
  };
  const loaded: LoadedConfig = { config, sources: sources as LoadedConfig["sources"] };
  const semantic = checkConfig(loaded);
  return semantic.length > 0 ? { problems: semantic } : { loaded, problems: [] };
}

function missing(path: string): Problem {
  return problem(path, FILE_START, "config-missing", msg(
    `缺少机构配置文件 ${path}。请从仓库模板恢复该文件（见 docs/configuration.md）。`,
    `The institution config file ${path} is missing. Restore it from the repository template (see docs/configuration.md).`,
  ));
}

function at(loaded: LoadedConfig, key: ConfigKey, path: PathSegment[], rule: string, zh: string, en: string): Problem {
  return problem(CONFIG_FILES[key], loaded.sources[key].locate(path), rule, msg(zh, en));
}

/** Checks across fields that a schema cannot express: unique slugs, consistent address plans, letter versions. */
function checkConfig(loaded: LoadedConfig): Problem[] {
  const { config } = loaded;
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  config.departments.forEach((d, i) => {
    const first = seen.get(d.slug);
    if (first !== undefined) {
      problems.push(
        at(loaded, "departments", ["departments", i, "slug"], "config-duplicate-department",
          `部门代码 "${d.slug}" 重复（第 ${first + 1} 项已使用）。每个部门只能登记一次。`,
          `Department slug "${d.slug}" is listed twice (first as entry ${first + 1}). List each department once.`),
      );
    } else {
      seen.set(d.slug, i);
    }
  });
  const subnets: { zone: string; subnet: Subnet }[] = [];
  for (const zoneName of ["internal", "external"] as const) {
    const zone: NetworkZone = config.networks.zones[zoneName];
    const base: PathSegment[] = ["zones", zoneName];
    const subnet = parseSubnet(zone.subnet);
    if (!subnet) {
      problems.push(at(loaded, "networks", [...base, "subnet"], "config-network",
        `子网 "${zone.subnet}" 不是有效的 IPv4 网段（应形如 10.20.0.0/16）。`,
        `Subnet "${zone.subnet}" is not a valid IPv4 CIDR (like 10.20.0.0/16).`));
      continue;
    }
    for (const other of subnets) {
      if (subnet.first <= other.subnet.last && other.subnet.first <= subnet.last) {
        problems.push(at(loaded, "networks", [...base, "subnet"], "config-network",
          `区域 ${zoneName} 的子网 ${zone.subnet} 与区域 ${other.zone} 的子网重叠。各区域的子网不能重叠。`,
          `Zone ${zoneName}'s subnet ${zone.subnet} overlaps zone ${other.zone}'s. Zone subnets must not overlap.`));
      }
    }
    subnets.push({ zone: zoneName, subnet });
    const inSubnet = (ip: string): boolean => {
      const n = ipv4ToInt(ip);
      return n !== undefined && n >= subnet.first && n <= subnet.last;
    };
    zone.pool.forEach((range, i) => {
      const from = ipv4ToInt(range.from)!;
      const to = ipv4ToInt(range.to)!;
      if (!inSubnet(range.from) || !inSubnet(range.to)) {
        problems.push(at(loaded, "networks", [...base, "pool", i], "config-network",
          `地址池 ${range.from}–${range.to} 不在子网 ${zone.subnet} 内。`,
          `Pool ${range.from}–${range.to} is not inside subnet ${zone.subnet}.`));
      } else if (from > to) {
        problems.push(at(loaded, "networks", [...base, "pool", i], "config-network",
          `地址池起始地址 ${range.from} 大于结束地址 ${range.to}。`,
          `Pool start ${range.from} is above its end ${range.to}.`));
      }
    });
    if (!inSubnet(zone.gateway)) {
      problems.push(at(loaded, "networks", [...base, "gateway"], "config-network",
        `网关 ${zone.gateway} 不在子网 ${zone.subnet} 内。`,
        `Gateway ${zone.gateway} is not inside subnet ${zone.subnet}.`));
    } else if (zone.pool.some((range) => inRange(ipv4ToInt(zone.gateway)!, range))) {
      problems.push(at(loaded, "networks", [...base, "gateway"], "config-network",
        `网关 ${zone.gateway} 落在可分配地址池内，会被分配给服务器。请调整地址池，把网关排除在外。`,
        `Gateway ${zone.gateway} lies inside the allocatable pool and could be handed to a server. Exclude it from the pool.`));
    }
  }
  for (const role of ["informationCenterHead", "securityLeader"] as const) {
    if (!config.approvals.required.protected.includes(role)) {
      problems.push(at(loaded, "approvals", ["required", "protected"], "config-approvals",
        `修改 policies/、stacks/、.github/ 或 CODEOWNERS 必须有 ${role} 批准，请把它加入 required.protected。`,
        `Changes to policies/, stacks/, .github/ or CODEOWNERS must need ${role}; add it to required.protected.`));
    }
  }
  const { letters } = config;
  if (!letters.accepted.includes(letters.current)) {
    problems.push(at(loaded, "letters", ["current"], "config-letter",
      `现行责任书版本 "${letters.current}" 不在 accepted 列表中。`,
      `The current letter version "${letters.current}" is not in the accepted list.`));
  }
  if (config.letterTextVersion && config.letterTextVersion !== letters.current) {
    problems.push(at(loaded, "letters", ["current"], "config-letter",
      `责任书文本（${LETTER_TEXT_FILE}）的版本为 "${config.letterTextVersion}"，与现行版本 "${letters.current}" 不一致。修改责任书文本时请同时更新版本号。`,
      `The letter text (${LETTER_TEXT_FILE}) declares version "${config.letterTextVersion}", not the current "${letters.current}". Update both together.`));
  }
  return problems;
}
