import { isFilingPath } from "../../lib/approvals/classify";
import { git } from "../../lib/git/run";
import type { SourceFile } from "../../lib/yaml/strict";

/** The last commit on the first-parent line of HEAD before `instant`, or undefined when there is none. */
export function commitBefore(root: string, instant: string): string | undefined {
  const sha = git(root, ["rev-list", "-1", "--first-parent", `--before=${instant}`, "HEAD"]).toString().trim();
  return sha === "" ? undefined : sha;
}

/** Every filing file of the register at `rev` (empty before the first commit). */
export function registerAt(root: string, rev: string | undefined): Map<string, SourceFile> {
  const files = new Map<string, SourceFile>();
  if (!rev) return files;
  const paths = git(root, ["ls-tree", "-r", "--name-only", rev, "--", "filings/"]).toString().split("\n").filter(isFilingPath);
  if (paths.length === 0) return files;
  // One `cat-file --batch` for all files: "<sha> blob <size>\n<bytes>\n" per request.
  const out = git(root, ["cat-file", "--batch"], paths.map((p) => `${rev}:${p}\n`).join(""));
  let at = 0;
  for (const p of paths) {
    const nl = out.indexOf(0x0a, at);
    const [, type, size] = out.subarray(at, nl).toString().split(" ");
    if (type !== "blob") throw new Error(`git cat-file: ${p} at ${rev} is ${type}`);
    const n = Number(size);
    files.set(p, { path: p, bytes: out.subarray(nl + 1, nl + 1 + n) });
    at = nl + 1 + n + 1;
  }
  return files;
}
