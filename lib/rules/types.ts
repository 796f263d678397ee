import type { LoadedConfig } from "../config/parse";
import type { Department, InstitutionConfig } from "../config/model";
import type { FilingFacts } from "../filings/facts";
import type { Ownership } from "../stack-files/owns";
import type { LoadedFiling } from "../filings/parse";
import type { IsoDate } from "../filings/dates";
import type { RegisterChange } from "../git/changes";
import type { Message } from "../messages";
import type { Severity } from "../problems";
import type { LocatedValue, PathSegment } from "../yaml/strict";

/** What a finding needs to point into a file: a parsed filing has it, and so has a cached one (it parses on demand). */
export type Locator = Pick<LocatedValue, "locate">;

/**
 * What a filing rule may read besides the filing: the config only. Its result is therefore a
 * function of the file's path and bytes, the config and the code, which is what the validation
 * cache keys it by. Anything that depends on the day or on the change makes a register rule.
 */
export interface FilingContext {
  readonly config: InstitutionConfig;
  readonly configSources: LoadedConfig["sources"];
  readonly departments: ReadonlyMap<string, Department>;
}

/** A stack file's name, file and what it owns, with the means to point into the file. */
export interface StackOwner {
  readonly name: string;
  readonly file: string;
  readonly owns?: Ownership;
  readonly source: Locator;
}

export interface RuleContext extends FilingContext {
  /** The date rules judge "expired" and "in the future" against; an input, never the clock. */
  readonly today: IsoDate;
  /** The change under review, when there is one (see RegisterInput.change). */
  readonly change?: RegisterChange;
  /** The register's stacks (stacks/Pulumi.*.yaml), when it has any: who provisions each filing. */
  readonly stacks?: readonly StackOwner[];
  /** The whole register's addresses in use, when the entries are a part of it (see RegisterInput.usedIps). */
  readonly usedIps?: { has(ip: string): boolean };
}

/** One schema-valid filing as the register rules see it: its facts, and where to point. */
export interface RegisterEntry {
  readonly file: string;
  readonly facts: FilingFacts;
  readonly source: Locator;
}

/** What a rule found, pointing at a field of a filing (or of a config file). */
export interface Finding {
  readonly file: string;
  readonly source: Locator;
  readonly path: readonly PathSegment[];
  readonly at?: "key" | "value";
  readonly message: Message;
  /** Overrides the rule's default severity for this finding. */
  readonly severity?: Severity;
}

interface RuleBase {
  /** Stable kebab-case id, printed with every problem and used in docs and tests. */
  readonly id: string;
  readonly severity: Severity;
}

/** Looks at one filing's content, given the config: cached per file content. */
export interface FilingRule extends RuleBase {
  readonly scope: "filing";
  check(filing: LoadedFiling, ctx: FilingContext): Finding[];
}

/**
 * Looks at the facts of every filing on every run: across the register (uniqueness, quotas,
 * counts), or at what depends on today or on the change under review.
 */
export interface RegisterRule extends RuleBase {
  readonly scope: "register";
  check(entries: readonly RegisterEntry[], ctx: RuleContext): Finding[];
}

export type Rule = FilingRule | RegisterRule;

export function at(
  filing: { readonly file: string; readonly source: Locator },
  path: readonly PathSegment[],
  message: Message,
  options: { at?: "key" | "value"; severity?: Severity } = {},
): Finding {
  return { file: filing.file, source: filing.source, path, message, ...options };
}

/** Active virtual filings: the ones that count against quotas. */
export function activeVirtual(entries: readonly RegisterEntry[]): RegisterEntry[] {
  return entries.filter((e) => e.facts.type === "virtual" && e.facts.status === "active");
}
