import { parseConfig, type ConfigResult, type ConfigSources, type LoadedConfig } from "./config/parse";
import { factsOf, type FilingFacts } from "./filings/facts";
import { parseFiling, type LoadedFiling } from "./filings/parse";
import type { IsoDate } from "./filings/dates";
import type { Problem } from "./problems";
import { problem, sortProblems } from "./problems";
import { RULES, type Finding, type Rule, type RuleContext } from "./rules";
import type { FilingContext, Locator, RegisterEntry, StackOwner } from "./rules/types";
import type { LocatedValue, SourceFile } from "./yaml/strict";
import { departmentCodeFor } from "./rules/identity";
import { msg } from "./messages";
import type { RegisterChange } from "./git/changes";

/**
 * What one file's bytes make, given the config: the loader's and the filing rules' problems, and
 * the facts the register rules read. Plain JSON: the validation cache keeps it per file content.
 */
export interface FileResult {
  readonly problems: readonly Problem[];
  /** Present when the file passed the loader and the schema. */
  readonly facts?: FilingFacts;
}

/** A file whose result is already known (from the cache): it is not parsed again. */
export interface KnownFile {
  readonly path: string;
  readonly result: FileResult;
  /** Points into the file when a register rule reports on it (parsing it only then). */
  readonly source: Locator;
}

export interface RegisterInput {
  /** Every filing file of the register to parse (rules such as IP uniqueness look across all of them). */
  readonly filings: readonly SourceFile[];
  /** The register's other files, whose results are known: together with `filings`, the whole register. */
  readonly known?: readonly KnownFile[];
  readonly config: ConfigSources;
  /** What `config` makes, when already known (the cache): it is not parsed again. */
  readonly configResult?: ConfigResult;
  readonly today: IsoDate;
  /**
   * The files a change touches, when there is one (a pull request, a file not yet committed,
   * `filing new`). Register-wide problems are then reported on those files only, and a new
   * filing is held to what a new application must meet.
   */
  readonly change?: RegisterChange;
  /**
   * The register's stacks, when it has stack files (lib/stack-files/read.ts readStackOwners): each
   * virtual filing must belong to exactly one of them.
   */
  readonly stacks?: readonly StackOwner[];
}

export interface RegisterResult {
  /** Present when the institution config is usable. */
  readonly config?: LoadedConfig;
  /** The config's own result (what the cache stores with the entries). */
  readonly configResult: ConfigResult;
  /** Filings of `filings` that passed the strict loader and the schema. */
  readonly filings: readonly LoadedFiling[];
  readonly problems: readonly Problem[];
  /** Each file of `filings` by path, when the config is usable (what the cache stores). */
  readonly results: ReadonlyMap<string, FileResult>;
}

/**
 * The whole check a department's pull request gets: config, then each file (encoding, strict
 * YAML, schema, filing rules), then the register rules over the facts of every schema-valid
 * filing. Pure.
 */
export function validateRegister(input: RegisterInput, rules: readonly Rule[] = RULES): RegisterResult {
  const configResult = input.configResult ?? parseConfig(input.config);
  const loadedConfig = configResult.loaded;
  const problems: Problem[] = [...configResult.problems];
  const filings: LoadedFiling[] = [];
  const results = new Map<string, FileResult>();
  const entries: RegisterEntry[] = [];
  const ctx = loadedConfig && filingContext(loadedConfig);
  for (const source of input.filings) {
    const checked = checkFile(source, ctx, rules);
    problems.push(...checked.result.problems);
    if (checked.loaded) {
      filings.push(checked.loaded);
      entries.push({ file: source.path, facts: checked.result.facts!, source: checked.loaded.source });
    }
    if (ctx) results.set(source.path, checked.result);
  }
  for (const known of input.known ?? []) {
    problems.push(...known.result.problems);
    if (known.result.facts) entries.push({ file: known.path, facts: known.result.facts, source: known.source });
  }
  if (ctx) problems.push(...registerProblems(entries, { ...ctx, today: input.today, change: input.change, stacks: input.stacks }, rules));
  return { config: loadedConfig, configResult, filings, problems: sortProblems(problems), results };
}

/**
 * Each file's own result, given a usable config: what a worker thread computes for its share of a
 * large register (scripts/cli/validate-workers.ts). Pure.
 */
export function fileResults(sources: readonly SourceFile[], config: LoadedConfig, rules: readonly Rule[] = RULES): Map<string, FileResult> {
  const ctx = filingContext(config);
  return new Map(sources.map((source) => [source.path, checkFile(source, ctx, rules, false).result]));
}

function filingContext(config: LoadedConfig): FilingContext {
  return {
    config: config.config,
    configSources: config.sources,
    departments: new Map(config.config.departments.map((d) => [d.slug, d])),
  };
}

/** One file: the loader and schema, then (with a usable config) the filing rules. */
function checkFile(source: SourceFile, ctx: FilingContext | undefined, rules: readonly Rule[], remember = true): { result: FileResult; loaded?: LoadedFiling } {
  const parsed = parseFiling(source, { remember });
  const loaded = parsed.loaded;
  if (!loaded) return { result: { problems: ctx && parsed.unchecked ? withDepartmentByName(parsed.problems, parsed.unchecked, source.path, ctx) : parsed.problems } };
  const problems: Problem[] = [];
  if (ctx) {
    for (const rule of rules) {
      if (rule.scope === "filing") for (const finding of rule.check(loaded, ctx)) problems.push(toProblem(rule, finding));
    }
  }
  return { result: { problems, facts: factsOf(loaded.filing) }, loaded };
}

/**
 * A department written by its name (department: 图书馆) fails the schema's code pattern with a
 * message about characters; the config knows the code that name stands for, so that problem says it.
 */
function withDepartmentByName(problems: readonly Problem[], unchecked: LocatedValue, file: string, ctx: FilingContext): readonly Problem[] {
  const written = (unchecked.value as { department?: unknown } | null)?.department;
  const code = typeof written === "string" ? departmentCodeFor(written, ctx.departments) : undefined;
  if (!code) return problems;
  const at = unchecked.locate(["department"], "value");
  const named = problem(file, at, "filing-department", msg(
    `"${String(written).trim()}" 是部门名称，department 要写部门代码：请写 department: ${code}（${ctx.departments.get(code)!.name}）。`,
    `"${String(written).trim()}" is a department's name; department takes its code: write department: ${code}.`,
  ));
  return [...problems.filter((p) => !(p.line === at.line && p.column === at.column && p.rule.startsWith("schema-"))), named];
}

function registerProblems(entries: readonly RegisterEntry[], ctx: RuleContext, rules: readonly Rule[]): Problem[] {
  // In path order, whichever entries were parsed now and which came from the cache: a message that
  // lists other files ("also used by …") must read the same either way.
  const ordered = [...entries].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const problems: Problem[] = [];
  for (const rule of rules) {
    if (rule.scope === "register") for (const finding of rule.check(ordered, ctx)) problems.push(toProblem(rule, finding));
  }
  return problems;
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
  const ctx = filingContext(config);
  const problems: Problem[] = [];
  for (const rule of rules) {
    if (rule.scope === "filing") for (const f of filings) for (const finding of rule.check(f, ctx)) problems.push(toProblem(rule, finding));
  }
  const entries = filings.map((f) => ({ file: f.file, facts: factsOf(f.filing), source: f.source }));
  return [...problems, ...registerProblems(entries, { ...ctx, today, change }, rules)];
}

function toProblem(rule: Rule, finding: Finding): Problem {
  return problem(finding.file, finding.source.locate(finding.path, finding.at ?? "value"), rule.id, finding.message, finding.severity ?? rule.severity);
}
