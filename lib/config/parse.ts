import approvalsSchema from "../../policies/schemas/approvals.schema.json";
import departmentsSchema from "../../policies/schemas/departments.schema.json";
import lettersSchema from "../../policies/schemas/letters.schema.json";
import limitsSchema from "../../policies/schemas/limits.schema.json";
import networksSchema from "../../policies/schemas/networks.schema.json";
import institutionSchema from "../../policies/schemas/institution.schema.json";
import { msg } from "../messages";
import { FILE_START, problem, type Problem } from "../problems";
import { schemaChecker, type SchemaChecker, type SchemaNode } from "../schema/check";
import { decodeSource, lazyLocator, loadYaml, type LocatedValue, type SourceFile } from "../yaml/strict";
import {
  type Approvals,
  CONFIG_FILES,
  LETTER_TEXT_FILE,
  type Department,
  INSTITUTION_FILE,
  type Institution,
  type InstitutionConfig,
  type Letters,
  type Limits,
  type Networks,
} from "./model";
import { CONFIG_RULES } from "./rules";

export type ConfigKey = keyof typeof CONFIG_FILES;

const checkers: { [K in ConfigKey]: SchemaChecker<unknown> } = {
  departments: schemaChecker(departmentsSchema as SchemaNode),
  limits: schemaChecker(limitsSchema as SchemaNode),
  networks: schemaChecker(networksSchema as SchemaNode),
  letters: schemaChecker(lettersSchema as SchemaNode),
  approvals: schemaChecker(approvalsSchema as SchemaNode),
};

const institutionChecker = schemaChecker(institutionSchema as SchemaNode);

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
  let institution: Institution | undefined;
  const institutionFile = input.files.get(INSTITUTION_FILE);
  if (institutionFile) {
    const parsed = loadYaml(institutionFile);
    problems.push(...parsed.problems);
    const checked = parsed.located ? institutionChecker.check(parsed.located, INSTITUTION_FILE) : undefined;
    problems.push(...(checked?.problems ?? []));
    institution = checked?.value as Institution | undefined;
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
    ...(institution ? { institution } : {}),
  };
  const loaded: LoadedConfig = { config, sources: sources as LoadedConfig["sources"] };
  const semantic = CONFIG_RULES.flatMap((rule) => rule.check(loaded));
  return semantic.length > 0 ? { problems: semantic } : { loaded, problems: [] };
}

function missing(path: string): Problem {
  return problem(path, FILE_START, "config-missing", msg(
    `缺少机构配置文件 ${path}。请从仓库模板恢复该文件（见 docs/configuration.md）。`,
    `The institution config file ${path} is missing. Restore it from the repository template (see docs/configuration.md).`,
  ));
}
