import fs from "node:fs";
import path from "node:path";
import type { StackConfigInput } from "../../lib/stack/config";
import { parseStackFile, stackFilePath } from "../../lib/stack/file";
import { REPO } from "./register";

export const STACKS = ["campus-vsphere", "campus-proxmox"] as const;

/** The example stack file as the program would read it, optionally with its text changed first. */
export function stackInput(stack: string, change: (text: string) => string = (t) => t): StackConfigInput {
  const file = stackFilePath(stack);
  const text = change(fs.readFileSync(path.join(REPO, file), "utf8"));
  const parsed = parseStackFile({ path: file, bytes: Buffer.from(text, "utf8") });
  if (!parsed.input) throw new Error(`cannot read ${file}: ${JSON.stringify(parsed.problems)}`);
  return parsed.input;
}
