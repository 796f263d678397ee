import type { LoadedConfig } from "../config/parse";
import type { Department, InstitutionConfig } from "../config/model";
import type { LoadedFiling } from "../filings/parse";
import type { IsoDate } from "../filings/period";
import type { RegisterChange } from "../git/changes";
import type { Message } from "../messages";
import type { Severity } from "../problems";
import type { LocatedValue, PathSegment } from "../yaml/strict";

export interface RuleContext {
  readonly config: InstitutionConfig;
  readonly configSources: LoadedConfig["sources"];
  readonly departments: ReadonlyMap<string, Department>;
  /** The date rules judge "expired" and "in the future" against; an input, never the clock. */
  readonly today: IsoDate;
  /** The change under review, when there is one (see RegisterInput.change). */
  readonly change?: RegisterChange;
}

/** What a rule found, pointing at a field of a filing (or of a config file). */
export interface Finding {
  readonly file: string;
  readonly source: LocatedValue;
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
  /** One line for docs/rules: what the rule checks. */
  readonly description: string;
}

/** Looks at one filing at a time. */
export interface FilingRule extends RuleBase {
  readonly scope: "filing";
  check(filing: LoadedFiling, ctx: RuleContext): Finding[];
}

/** Looks across the register (uniqueness, quotas, counts). */
export interface RegisterRule extends RuleBase {
  readonly scope: "register";
  check(filings: readonly LoadedFiling[], ctx: RuleContext): Finding[];
}

export type Rule = FilingRule | RegisterRule;

export function at(
  filing: LoadedFiling,
  path: readonly PathSegment[],
  message: Message,
  options: { at?: "key" | "value"; severity?: Severity } = {},
): Finding {
  return { file: filing.file, source: filing.source, path, message, ...options };
}

/** Active virtual filings: the ones that count against quotas. */
export function activeVirtual(filings: readonly LoadedFiling[]): LoadedFiling[] {
  return filings.filter((f) => f.filing.type === "virtual" && f.filing.status === "active");
}

export function totalDiskGiB(disks: readonly { sizeGiB: number }[]): number {
  return disks.reduce((sum, d) => sum + d.sizeGiB, 0);
}
