import { parseConfig, type ConfigSources, type LoadedConfig } from "./config/parse";
import { parseFiling, type LoadedFiling } from "./filings/parse";
import type { IsoDate } from "./filings/period";
import type { Problem } from "./problems";
import { sortProblems } from "./problems";
import { RULES, type Finding, type Rule, type RuleContext } from "./rules";
import type { SourceFile } from "./yaml/strict";

export interface RegisterInput {
  /** Every filing file of the register (rules such as IP uniqueness look across all of them). */
  readonly filings: readonly SourceFile[];
  readonly config: ConfigSources;
  readonly today: IsoDate;
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
  if (loadedConfig) {
    const ctx: RuleContext = {
      config: loadedConfig.config,
      configSources: loadedConfig.sources,
      departments: new Map(loadedConfig.config.departments.map((d) => [d.slug, d])),
      today: input.today,
    };
    for (const rule of rules) {
      const found =
        rule.scope === "filing" ? filings.flatMap((f) => rule.check(f, ctx)) : rule.check(filings, ctx);
      for (const finding of found) problems.push(toProblem(rule, finding));
    }
  }
  return { config: loadedConfig, filings, problems: sortProblems(problems) };
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
