import { parseConfig, type ConfigSources, type LoadedConfig } from "./config/parse";
import { parseFiling, type LoadedFiling } from "./filings/parse";
import type { IsoDate } from "./filings/period";
import type { Problem } from "./problems";
import { sortProblems } from "./problems";
import { RULES, type Finding, type Rule, type RuleContext } from "./rules";
import type { SourceFile } from "./yaml/strict";
import type { RegisterChange } from "./git/changes";

export interface RegisterInput {
  /** Every filing file of the register (rules such as IP uniqueness look across all of them). */
  readonly filings: readonly SourceFile[];
  readonly config: ConfigSources;
  readonly today: IsoDate;
  /**
   * The files a change touches, when there is one (a pull request, a file not yet committed,
   * `filing new`). Register-wide problems are then reported on those files only, and a new
   * filing is held to what a new application must meet.
   */
  readonly change?: RegisterChange;
}

export interface RegisterResult {
  /** Present when the institution config is usable. */
  readonly config?: LoadedConfig;
  /** Filings that passed the strict loader and the schema. */
  readonly filings: readonly LoadedFiling[];
  readonly problems: readonly Problem[];
}

/**
 * The whole check a department's pull request gets: config, then each file (encoding, strict
 * YAML, schema), then every institution rule over the schema-valid filings. Pure.
 */
export function validateRegister(input: RegisterInput, rules: readonly Rule[] = RULES): RegisterResult {
  const configResult = parseConfig(input.config);
  const problems: Problem[] = [...configResult.problems];
  const filings: LoadedFiling[] = [];
  for (const source of input.filings) {
    const parsed = parseFiling(source);
    problems.push(...parsed.problems);
    if (parsed.loaded) filings.push(parsed.loaded);
  }
  const loadedConfig = configResult.loaded;
  if (loadedConfig) problems.push(...checkRules(filings, loadedConfig, input.today, input.change, rules));
  return { config: loadedConfig, filings, problems: sortProblems(problems) };
}

/**
 * The institution rules over filings that already passed the loader and the schema. `filing new`
 * calls it per answer, on the register it loaded once plus the filing being written.
 */
export function checkRules(
  filings: readonly LoadedFiling[],
  config: LoadedConfig,
  today: IsoDate,
  change: RegisterChange | undefined,
  rules: readonly Rule[] = RULES,
): Problem[] {
  const ctx: RuleContext = {
    config: config.config,
    configSources: config.sources,
    departments: new Map(config.config.departments.map((d) => [d.slug, d])),
    today,
    change,
  };
  const problems: Problem[] = [];
  for (const rule of rules) {
    const found = rule.scope === "filing" ? filings.flatMap((f) => rule.check(f, ctx)) : rule.check(filings, ctx);
    for (const finding of found) problems.push(toProblem(rule, finding));
  }
  return problems;
}

function toProblem(rule: Rule, finding: Finding): Problem {
  const pos = finding.source.locate(finding.path, finding.at ?? "value");
  return {
    file: finding.file,
    line: pos.line,
    column: pos.column,
    rule: rule.id,
    severity: finding.severity ?? rule.severity,
    message: finding.message,
  };
}
