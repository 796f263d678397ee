import fs from "node:fs";
import path from "node:path";
import type { StackConfigInput } from "../../lib/stack-files/config";
import { parseStackFile, stackFilePath } from "../../lib/stack-files/file";
import { REPO } from "./register";

export const STACKS = ["campus-vsphere", "campus-proxmox"] as const;

/** The example files' server-filings:owns block, with the comment above it. */
const OWNS_BLOCK = /^ {2}# The filings this stack provisions[^\n]*\n {2}# [^\n]*\n {2}server-filings:owns:\n(?: {4}[^\n]*\n)+/m;

/**
 * The example stack file as the program would read it, optionally with its text changed first.
 * By default as a school with only this stack has it: without `server-filings:owns`, so that it
 * provisions the whole sample register; `{ owns: true }` keeps the examples' split by campus.
 */
export function stackInput(stack: string, change: (text: string) => string = (t) => t, options: { owns?: boolean } = {}): StackConfigInput {
  const file = stackFilePath(stack);
  const original = fs.readFileSync(path.join(REPO, file), "utf8");
  if (!OWNS_BLOCK.test(original)) throw new Error(`${file} has no server-filings:owns block to leave out`);
  const text = change(options.owns ? original : original.replace(OWNS_BLOCK, ""));
  const parsed = parseStackFile({ path: file, bytes: Buffer.from(text, "utf8") });
  if (!parsed.input) throw new Error(`cannot read ${file}: ${JSON.stringify(parsed.problems)}`);
  return parsed.input;
}
