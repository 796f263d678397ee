import { createHash } from "node:crypto";
import schema from "../../filings/filing.schema.json";
import type { Problem } from "../problems";
import { schemaChecker, type SchemaNode } from "../schema/check";
import { loadYaml, type LocatedValue, type SourceFile } from "../yaml/strict";
import type { Filing } from "./model";

/** A filing that passed the strict loader and the schema, with the means to point into its file. */
export interface LoadedFiling {
  readonly file: string;
  readonly filing: Filing;
  readonly source: LocatedValue;
}

const checker = schemaChecker<Filing>(schema as SchemaNode);

export interface ParsedFiling {
  readonly loaded?: LoadedFiling;
  readonly problems: readonly Problem[];
  /**
   * The file's YAML when it failed the schema, or failed the YAML loader only for mistakes whose fix
   * is certain (then as fixed, lib/yaml/strict.ts): what reads only its valid values can still run
   * on it (lib/filings/partial.ts), and where a value the schema refused can be read better.
   */
  readonly unchecked?: LocatedValue;
  /** With `unchecked`: the paths of the values the schema refused there. */
  readonly invalid?: readonly string[][];
}

/**
 * One parse per file content per process. `filing policy` reads the register in the CLI, in the
 * program once per stack and in the pack once per stack: five parses of every filing at two stacks,
 * with YAML parsing most of the time. The result is a function of the path and the bytes, so it is
 * shared; callers never change it.
 */
const parsedByContent = new Map<string, ParsedFiling>();
/**
 * Beyond this many contents the oldest are forgotten (a Map iterates in insertion order): a register
 * of up to 20,000 filings is parsed once, and a long-lived process (a test worker, an interactive
 * `filing new`) that sees ever new contents does not grow without end.
 */
export const REMEMBERED_PARSES = 20_000;

/**
 * Bytes → a schema-valid filing, or the located problems that prevent it. Pure (memoized by
 * content). `remember: false` for a caller that parses each file once and keeps only a summary
 * (`filing validate`): 10,000 parsed filings kept alive made every garbage collection slower.
 */
export function parseFiling(source: SourceFile, options: { remember?: boolean } = {}): ParsedFiling {
  if (options.remember === false) return parseUncached(source);
  const key = `${source.path}\u0000${createHash("sha1").update(source.bytes).digest("base64")}`;
  const known = parsedByContent.get(key);
  if (known) return known;
  const result = parseUncached(source);
  if (parsedByContent.size >= REMEMBERED_PARSES) parsedByContent.delete(parsedByContent.keys().next().value!);
  parsedByContent.set(key, result);
  return result;
}

function parseUncached(source: SourceFile): ParsedFiling {
  const parsed = loadYaml(source);
  if (!parsed.located) {
    // The next round's problems now: what the schema says of the file once the certain fixes are made.
    if (!parsed.repaired) return { problems: parsed.problems };
    const checked = checker.check(parsed.repaired, source.path);
    return { problems: [...parsed.problems, ...checked.problems], unchecked: parsed.repaired, invalid: checked.invalid ?? [] };
  }
  const checked = checker.check(parsed.located, source.path);
  if (!checked.value) return { problems: checked.problems, unchecked: parsed.located, invalid: checked.invalid ?? [] };
  return { loaded: { file: source.path, filing: checked.value, source: parsed.located }, problems: [] };
}
