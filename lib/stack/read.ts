import fs from "node:fs";
import path from "node:path";
import { UsageError } from "../errors";
import { msg } from "../messages";
import type { Problem } from "../problems";
import { checkStackConfig, type StackConfig, type StackConfigInput } from "./config";
import type { StackOwner } from "../rules/types";
import { parseStackFile, stackFilePath } from "./file";

/** Stack names that have a file in `<root>/stacks`. */
export function availableStacks(root: string): string[] {
  const dir = path.join(root, "stacks");
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .flatMap((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1] ?? [])
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
  const parsed = parseStackFile({ path: file, bytes: fs.readFileSync(abs) });
  if (!parsed.input) return { name, problems: parsed.problems };
  const checked = checkStackConfig(parsed.input);
  return checked.config ? { name, input: parsed.input, config: checked.config } : { name, problems: checked.problems };
}

/**
 * Every stack of the register with what it owns, for the rule that each virtual filing belongs to
 * exactly one (`stack-ownership`). With a broken stack file nobody can tell who owns what: its
 * problems come back instead, and the rule does not run. No stacks/ folder: no stacks, no rule.
 */
export function readStackOwners(root: string): { owners?: StackOwner[]; problems: Problem[] } {
  const owners: StackOwner[] = [];
  const problems: Problem[] = [];
  for (const name of availableStacks(root)) {
    const opened = openStack(root, name);
    if ("problems" in opened) {
      problems.push(...opened.problems);
      continue;
    }
    const { locate, file } = opened.input;
    owners.push({ name, file, ...(opened.config.owns ? { owns: opened.config.owns } : {}), source: { locate: locate ?? (() => ({ line: 1, column: 1 })) } });
  }
  return problems.length > 0 ? { problems } : { owners, problems };
}
