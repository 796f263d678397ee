import fs from "node:fs";
import { readSourceFile } from "../source-files";
import path from "node:path";
import { UsageError } from "../errors";
import { msg } from "../messages";
import type { Problem } from "../problems";
import { checkStackConfig, type StackConfig, type StackConfigInput } from "./config";
import type { StackOwner } from "../rules/types";
import { decodeSource, lazyLocator, type SourceFile } from "../yaml/strict";
import type { Ownership } from "./owns";
import { parseStackFile, stackFilePath } from "./file";

/** Stack names that have a file in `<root>/stacks`. */
export function availableStacks(root: string): string[] {
  const dir = path.join(root, "stacks");
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    // Pulumi reads Pulumi.<stack>.yaml only (stackConfigDir); a .yml file would be ignored by it.
    .flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1] ?? [])
    .sort();
}

export type OpenedStack =
  | { readonly name: string; readonly input: StackConfigInput; readonly config: StackConfig }
  | { readonly name: string; readonly problems: readonly Problem[] };

/** Reads and checks `stacks/Pulumi.<name>.yaml`; a missing file is a usage error listing the stacks there are. */
export function openStack(root: string, name: string): OpenedStack {
  const file = stackFilePath(name);
  const abs = path.join(root, file);
  if (!fs.existsSync(abs)) {
    const known = availableStacks(root).join(", ") || "-";
    throw new UsageError(msg(`找不到堆栈配置 ${file}。已有的堆栈：${known}。`, `No stack file ${file}. Stacks: ${known}.`));
  }
  return checkStackFile(name, readSourceFile(root, file));
}

/** A stack file's bytes → its checked config, or the problems that prevent it. Pure. */
export function checkStackFile(name: string, source: SourceFile): OpenedStack {
  const parsed = parseStackFile(source);
  if (!parsed.input) return { name, problems: parsed.problems };
  const checked = checkStackConfig(parsed.input);
  return checked.config ? { name, input: parsed.input, config: checked.config } : { name, problems: checked.problems };
}

/** Every stack file of the register, by stack name, sorted. */
export function readStackFiles(root: string): { name: string; source: SourceFile }[] {
  return availableStacks(root).map((name) => {
    return { name, source: readSourceFile(root, stackFilePath(name)) };
  });
}

export interface StackOwners {
  /** Absent when a stack file is broken: then nobody can tell who owns what. */
  readonly owners?: StackOwner[];
  readonly problems: Problem[];
}

/**
 * Every stack of the register with what it owns, for the rule that each virtual filing belongs to
 * exactly one (`stack-ownership`). With a broken stack file nobody can tell who owns what: its
 * problems come back instead, and the rule does not run. No stacks/ folder: no stacks, no rule.
 */
export function readStackOwners(root: string): StackOwners {
  return stackOwnersOf(readStackFiles(root));
}

/** The pure part of readStackOwners. */
export function stackOwnersOf(files: readonly { name: string; source: SourceFile }[]): StackOwners {
  const owners: StackOwner[] = [];
  const problems: Problem[] = [];
  for (const { name, source } of files) {
    const opened = checkStackFile(name, source);
    if ("problems" in opened) {
      problems.push(...opened.problems);
      continue;
    }
    const { locate, file } = opened.input;
    owners.push({ name, file, ...(opened.config.owns ? { owns: opened.config.owns } : {}), source: { locate: locate ?? (() => ({ line: 1, column: 1 })) } });
  }
  return problems.length > 0 ? { problems } : { owners, problems };
}

/**
 * Owners already known (the validation cache keeps them per stack-file digest), joined again with
 * their files: a file is parsed only when a rule points into it. Pure.
 */
export function knownStackOwners(known: readonly { name: string; file: string; owns?: Ownership }[], files: readonly { name: string; source: SourceFile }[]): StackOwner[] {
  return known.map((k) => {
    const source = files.find((f) => f.name === k.name)?.source;
    // Paths are relative to the file's `config:` map, as parseStackFile's locate takes them.
    const locate = lazyLocator(() => source && decodeSource(source).text);
    return { name: k.name, file: k.file, ...(k.owns ? { owns: k.owns } : {}), source: { locate: (at, where) => locate(["config", ...at], where) } };
  });
}
