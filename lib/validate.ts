import { parseConfig, type ConfigResult, type ConfigSources, type LoadedConfig } from "./config/parse";
import { FACT_READERS, factsOf, type FilingFacts } from "./filings/facts";
import { parseFiling, type LoadedFiling } from "./filings/parse";
import type { IsoDate } from "./filings/dates";
import type { Problem } from "./problems";
import { problem, sortProblems } from "./problems";
import { RULES, type Finding, type Rule, type RuleContext } from "./rules";
import type { FilingContext, Locator, RegisterEntry, StackOwner } from "./rules/types";
import type { LocatedValue, SourceFile } from "./yaml/strict";
import { departmentCodeFor } from "./rules/identity";
import { msg } from "./messages";
import { isAbandoned, readingOnlyValid, withUnknown } from "./filings/partial";
import type { RegisterChange } from "./git/changes";

/**
 * What one file's bytes make, given the config: the loader's and the filing rules' problems, and
 * the facts the register rules read. Plain JSON: the validation cache keeps it per file content.
 */
export interface FileResult {
  readonly problems: readonly Problem[];
  /** Present when the file passed the loader and the schema, or (with `unknownFacts`) some of them when it did not. */
  readonly facts?: FilingFacts;
  /** The facts a file the schema refused has no valid value for (absent from `facts`). */
  readonly unknownFacts?: readonly string[];
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
  /**
   * The whole register's addresses in use, when `known` is only the part of the register that can
   * bear on `filings` (the desk's keystroke: the same department's filings and those of the same
   * address). The free address a message offers is then one no filing of the register holds.
   */
  readonly usedIps?: { has(ip: string): boolean };
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
    if (checked.loaded) filings.push(checked.loaded);
    const located = checked.loaded?.source ?? checked.located;
    if (checked.result.facts && located) entries.push(entryOf(source.path, checked.result, located));
    if (ctx) results.set(source.path, checked.result);
  }
  for (const known of input.known ?? []) {
    problems.push(...known.result.problems);
    if (known.result.facts) entries.push(entryOf(known.path, known.result, known.source));
  }
  if (ctx) problems.push(...registerProblems(entries, { ...ctx, today: input.today, change: input.change, stacks: input.stacks, ...(input.usedIps ? { usedIps: input.usedIps } : {}) }, rules));
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
function checkFile(source: SourceFile, ctx: FilingContext | undefined, rules: readonly Rule[], remember = true): { result: FileResult; loaded?: LoadedFiling; located?: LocatedValue } {
  const parsed = parseFiling(source, { remember });
  const loaded = parsed.loaded;
  if (!loaded) {
    if (!ctx || !parsed.unchecked) return { result: { problems: parsed.problems } };
    return { ...partlyChecked(source.path, parsed.unchecked, parsed.invalid ?? [], withDepartmentByName(parsed.problems, parsed.unchecked, source.path, ctx), ctx, rules), located: parsed.unchecked };
  }
  const problems: Problem[] = [];
  if (ctx) {
    for (const rule of rules) {
      if (rule.scope === "filing") for (const finding of rule.check(loaded, ctx)) problems.push(toProblem(rule, finding));
    }
  }
  return { result: { problems, facts: factsOf(loaded.filing) }, loaded };
}

/**
 * A file the schema (or the YAML loader, for a certain fix) refused: its problems, plus what each
 * filing rule finds reading only the values the schema accepted, and its facts when they need no
 * other value, so the register rules (IP conflicts, quotas) include it too. A department with
 * mistakes in several places hears of all of them in one run (lib/filings/partial.ts).
 */
function partlyChecked(file: string, located: LocatedValue, invalid: readonly string[][], known: readonly Problem[], ctx: FilingContext, rules: readonly Rule[]): { result: FileResult } {
  const problems: Problem[] = [...known];
  const seen = new Set(known.map((p) => `${p.line}:${p.column}`));
  const filing = (value: never): LoadedFiling => ({ file, filing: value, source: located });
  for (const rule of rules) {
    if (rule.scope !== "filing") continue;
    const findings = readingOnlyValid(located.value, invalid, (value) => rule.check(filing(value), ctx).map((f) => ({ ...f, path: [...f.path] })));
    // A place the schema already reported on is not reported twice.
    for (const finding of findings ?? []) {
      const p = toProblem(rule, finding);
      if (!seen.has(`${p.line}:${p.column}`)) problems.push(p);
    }
  }
  const facts: Record<string, unknown> = {};
  const unknownFacts: string[] = [];
  for (const [key, read] of Object.entries(FACT_READERS) as [string, (f: never) => unknown][]) {
    // Copied out whole while the reads are watched: a fact must not keep a path into the document.
    const got = readingOnlyValid(located.value, invalid, (value) => ({ value: JSON.parse(JSON.stringify(read(value) ?? null)) as unknown }));
    if (got === undefined) unknownFacts.push(key);
    else if (got.value !== null) facts[key] = got.value;
  }
  return { result: { problems, facts: facts as unknown as FilingFacts, ...(unknownFacts.length > 0 ? { unknownFacts } : {}) } };
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

/** A register entry; a file with unknown facts gets facts that say so when read (withUnknown). */
function entryOf(file: string, result: FileResult, source: Locator): RegisterEntry & { partial?: true } {
  const facts = result.facts!;
  return result.unknownFacts ? { file, facts: withUnknown(facts, result.unknownFacts), source, partial: true } : { file, facts, source };
}

function registerProblems(entries: readonly (RegisterEntry & { partial?: true })[], ctx: RuleContext, rules: readonly Rule[]): Problem[] {
  // In path order, whichever entries were parsed now and which came from the cache: a message that
  // lists other files ("also used by …") must read the same either way.
  const ordered = [...entries].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const problems: Problem[] = [];
  for (const rule of rules) {
    if (rule.scope !== "register") continue;
    let findings: Finding[];
    try {
      findings = [...rule.check(ordered, ctx)];
    } catch (e) {
      // The rule needed a fact a refused file does not have: it judges the register without such files.
      if (!isAbandoned(e)) throw e;
      findings = [...rule.check(ordered.filter((entry) => !entry.partial), ctx)];
    }
    for (const finding of findings) problems.push(toProblem(rule, finding));
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
