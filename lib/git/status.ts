import { gitAsync as run } from "./run";
import type { RegisterChange } from "./changes";

/**
 * What git knows of the files under one folder of a register root, read with three git calls that
 * run at once, while the caller reads its cache (a warm `filing validate` at 10,000 filings waited
 * 0.12 s for them one after the other). Paths are relative to the root.
 */
export interface WorkTree {
  /** False before the first commit. */
  readonly hasHead: boolean;
  /** Files added or modified since HEAD (staged, unstaged or untracked), deleted ones left out. */
  readonly sinceHead: RegisterChange;
  /** Untracked files (git's ignore rules apply). */
  readonly untracked: readonly string[];
  /**
   * The blob id git holds for each tracked file whose work-tree bytes are the index's: committed or
   * staged and not modified since, and not in conflict. Other files are absent (hash their bytes).
   */
  readonly blobIds: ReadonlyMap<string, string>;
}

/** Undefined outside a git work tree (a register copied without .git). */
export async function readWorkTree(root: string, dir: string): Promise<WorkTree | undefined> {
  const [head, status, staged] = await Promise.all([
    // Whether this is a work tree (else it fails), where the root sits in it, and whether HEAD exists.
    run(root, ["rev-parse", "--show-prefix", "--verify", "--quiet", "HEAD^{commit}"]),
    run(root, ["status", "--porcelain=v2", "-z", "--no-renames", "--untracked-files=all", "--", dir]),
    run(root, ["ls-files", "-s", "-v", "-z", "--", dir]),
  ]);
  if (head.status !== 0 && head.status !== 1) return undefined;
  if (status.status !== 0 || staged.status !== 0) return undefined;
  const [prefix = ""] = head.out.split("\n");
  return parseWorkTree(head.status === 0, prefix, status.out, staged.out);
}

/**
 * `git status --porcelain=v2 -z --no-renames` (paths from the repository's top) and
 * `git ls-files -s -v -z` (paths from the root), the root being `prefix` below the top. Pure.
 */
export function parseWorkTree(hasHead: boolean, prefix: string, status: string, staged: string): WorkTree {
  const changed = new Set<string>();
  const added = new Set<string>();
  const untracked: string[] = [];
  const dirty = new Set<string>();
  const fromTop = (p: string): string => (p.startsWith(prefix) ? p.slice(prefix.length) : p);
  for (const record of status.split("\0")) {
    if (record.startsWith("? ")) {
      const file = fromTop(record.slice(2));
      untracked.push(file);
      changed.add(file);
      added.add(file);
      dirty.add(file);
      continue;
    }
    // "1 XY sub mH mI mW hH hI path" (8 fields before the path); "u XY sub m1 m2 m3 mW h1 h2 h3 path" (10).
    const fields = record.split(" ");
    const kind = fields[0];
    if (kind !== "1" && kind !== "u") continue;
    const file = fromTop(fields.slice(kind === "1" ? 8 : 10).join(" "));
    const [x = ".", y = "."] = fields[1] ?? "";
    if (kind === "u" || y !== ".") dirty.add(file);
    // X compares the index with HEAD, Y the work tree with the index.
    if (x === "D" || y === "D") continue;
    changed.add(file);
    if (x === "A") added.add(file);
  }
  const blobIds = new Map<string, string>();
  const conflicted = new Set<string>();
  // "<tag> <mode> <object> <stage>\t<path>"; a stage other than 0 is a merge conflict. Only tag H
  // is a plain cached file: git status does not look at one marked assume-unchanged (h) or
  // skip-worktree (S), so its work-tree bytes may not be the index's.
  for (const record of staged.split("\0")) {
    const m = /^(\S) (\d{6}) ([0-9a-f]{40,64}) (\d)\t(.+)$/s.exec(record);
    if (!m) continue;
    const [, tag, mode, id, stage, file] = m as unknown as [string, string, string, string, string, string];
    if (stage !== "0") conflicted.add(file);
    // Regular files only: links and submodules are not filings (the reader does not follow links).
    else if (tag === "H" && (mode === "100644" || mode === "100755") && !dirty.has(file)) blobIds.set(file, id);
  }
  for (const file of conflicted) blobIds.delete(file);
  return { hasHead, sinceHead: { changed, added }, untracked, blobIds };
}
