import schema from "../../filings/filing.schema.json";
import type { Problem } from "../problems";
import { schemaChecker, type SchemaNode } from "../schema/check";
import { decodeSource, parseStrictYaml, type LocatedValue, type SourceFile } from "../yaml/strict";
import type { Filing } from "./model";

/** A filing that passed the strict loader and the schema, with the means to point into its file. */
export interface LoadedFiling {
  readonly file: string;
  readonly filing: Filing;
  readonly source: LocatedValue;
}

const checker = schemaChecker<Filing>(schema as SchemaNode);

/** Bytes → a schema-valid filing, or the located problems that prevent it. Pure. */
export function parseFiling(source: SourceFile): { loaded?: LoadedFiling; problems: Problem[] } {
  const decoded = decodeSource(source);
  if (decoded.text === undefined) return { problems: decoded.problems };
  const parsed = parseStrictYaml(decoded.text, source.path);
  if (!parsed.located) return { problems: parsed.problems };
  const checked = checker.check(parsed.located, source.path);
  if (!checked.value) return { problems: checked.problems };
  return { loaded: { file: source.path, filing: checked.value, source: parsed.located }, problems: [] };
}
