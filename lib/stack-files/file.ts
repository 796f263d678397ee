import type { Problem } from "../problems";
import { loadYaml, type SourceFile } from "../yaml/strict";
import type { StackConfigInput } from "./config";

/** `stacks/Pulumi.<stack>.yaml`: where Pulumi.yaml's stackConfigDir puts each stack's config. */
export function stackFilePath(stack: string): string {
  return `stacks/Pulumi.${stack}.yaml`;
}

/** The stack a stack file holds (`stacks/Pulumi.<stack>.yaml`), or the file itself when it is named otherwise. */
export function stackOfFile(file: string): string {
  return /(?:^|\/)Pulumi\.(.+)\.ya?ml$/.exec(file)?.[1] ?? file;
}

function isSecure(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && typeof (value as { secure?: unknown }).secure === "string";
}

/**
 * Reads a stack file into the input checkStackConfig takes: its `config:` map, which keys are
 * secrets (`secure:` values), where each key sits in the file, and its `secretsprovider:` if any.
 */
export function parseStackFile(source: SourceFile): { input?: StackConfigInput; problems: Problem[] } {
  const parsed = loadYaml(source);
  if (!parsed.located) return { problems: parsed.problems };
  const root = parsed.located.value;
  const top: Record<string, unknown> = typeof root === "object" && root !== null && !Array.isArray(root) ? (root as Record<string, unknown>) : {};
  const config = top.config;
  const values: Record<string, unknown> =
    typeof config === "object" && config !== null && !Array.isArray(config) ? (config as Record<string, unknown>) : {};
  const located = parsed.located;
  const provider = top.secretsprovider;
  return {
    input: {
      file: source.path,
      values,
      ...(typeof provider === "string" ? { secretsProvider: provider } : {}),
      secretKeys: new Set(Object.keys(values).filter((k) => isSecure(values[k]))),
      locate: (path, at) => located.locate(config === undefined ? [] : ["config", ...path], at),
    },
    problems: parsed.problems,
  };
}
