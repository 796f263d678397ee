import { isFilingPath } from "../approvals/classify";
import { git, hasCommit, isWorkTree } from "./run";
import type { SourceFile } from "../yaml/strict";

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

/** "Merge pull request #12 from …" (merge commits) or "Title (#12)" (squash merges): the PR's number. */
export function pullNumber(subject: string): number | undefined {
  const m = /^Merge pull request #(\d+)\b/.exec(subject) ?? /\(#(\d+)\)\s*$/.exec(subject);
  return m ? Number(m[1]) : undefined;
}

/**
 * Per filing file, the commit on main's first-parent history that last changed it (up to `to`, after
 * `from`): the pull request its subject names, if any, and when it reached main (committer date,
 * ISO): the merge (or the squash) that brought the change. A file whose last change came without a
 * pull request has no number.
 */
export function lastMerges(root: string, range: { from?: string; to?: string } = {}): Map<string, { readonly pull?: number; readonly at: string }> {
  const merges = new Map<string, { pull?: number; at: string }>();
  const to = range.to ?? "HEAD";
  if (!isWorkTree(root) || !hasCommit(root, to)) return merges;
  // Newest first; per commit "\0<committer date>\t<subject>\n" then the files it changed (against its first parent, -m).
  // With `from`, only what main's merges brought after it (a month's changes).
  const revs = range.from ? [`${range.from}..${to}`] : [to];
  const out = git(root, ["log", "--first-parent", "-m", "--relative", "--name-only", "--format=%x00%cI%x09%s", ...revs, "--", "filings/"]).toString("utf8");
  for (const block of out.split("\0").slice(1)) {
    const [head = "", ...files] = block.split("\n");
    const tab = head.indexOf("\t");
    const at = head.slice(0, tab);
    const pull = pullNumber(head.slice(tab + 1));
    for (const file of files) {
      if (!isFilingPath(file) || merges.has(file)) continue;
      merges.set(file, pull === undefined ? { at } : { pull, at });
    }
  }
  return merges;
}

/** Per filing file, the pull request whose merge last changed it (lastMerges, with a number). */
export function approvingPulls(root: string, range: { from?: string; to?: string } = {}): Map<string, number> {
  return new Map([...lastMerges(root, range)].flatMap(([file, m]) => (m.pull === undefined ? [] : [[file, m.pull] as const])));
}
