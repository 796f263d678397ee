import { isFilingPath, type FileVersions, type VerdictInputs } from "../approvals/classify";
import { RefusedError, UsageError } from "../errors";
import { msg } from "../messages";
import type { RawChange } from "../preview/data";
import { git, gitAsync, hasCommit, isAncestor, mergeBase } from "./run";
import type { WorkTree } from "./status";
import type { SourceFile } from "../yaml/strict";

/** Which filing files a change touches, and which of them it adds: what change-aware rules read. */
export interface RegisterChange {
  /** Root-relative paths of filing files added or modified (the files a pull request touches). */
  readonly changed: ReadonlySet<string>;
  /** The subset that did not exist before: new filings. */
  readonly added: ReadonlySet<string>;
}

function nulList(out: Buffer | string): string[] {
  return out.toString("utf8").split("\0").filter(Boolean);
}

function notACommit(ref: string): UsageError {
  return new UsageError(msg(`--changed-since 的值 "${ref}" 不是本仓库中的提交或分支。`, `--changed-since "${ref}" is not a commit or branch of this repository.`));
}

const diffSince = (ref: string) => ["diff", "--name-status", "-z", "--no-renames", "--relative", ref, "--", "filings/"];

/**
 * The filing files changed since `ref` in the work tree (committed, staged, modified or untracked);
 * a `ref` that names no commit is a usage error. The git call starts now, to run while the caller
 * lists the folder and reads its cache (at 10,000 filings two blocking calls after everything else
 * were 60 ms of a pull request's check). The returned function finishes the job once the work tree
 * is read; `tree` saves a git call.
 */
export async function startChangesSince(root: string, ref: string): Promise<(tree?: WorkTree) => RegisterChange> {
  if (ref.startsWith("-")) throw notACommit(ref);
  // One git call: `^{commit}` makes the diff fail for anything but a commit. Only then is it asked
  // which: no such commit (a usage error), or git itself failing (said with git's words).
  const diff = await gitAsync(root, diffSince(`${ref}^{commit}`));
  if (diff.status !== 0 && !hasCommit(root, ref)) throw notACommit(ref);
  const out = diff.status === 0 ? diff.out : git(root, diffSince(ref)).toString("utf8");
  return (tree) => changesFromDiff(root, out, tree);
}

function changesFromDiff(root: string, diff: string, tree: WorkTree | undefined): RegisterChange {
  const changed = new Set<string>();
  const added = new Set<string>();
  // -z: "<status>\0<path>\0"; renames and copies carry a second path (the new one).
  const fields = nulList(diff);
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const [status, file] = [fields[i]!, fields[i + 1]!];
    if (status === "D") continue;
    changed.add(file);
    if (status === "A") added.add(file);
  }
  for (const file of tree?.untracked ?? nulList(git(root, ["ls-files", "-z", "--others", "--exclude-standard", "--", "filings/"]))) {
    changed.add(file);
    added.add(file);
  }
  return { changed, added };
}

/**
 * The change a department is making before committing: files that HEAD does not hold yet. Undefined
 * outside a git work tree or before the first commit, where nothing can be told apart.
 */
export function uncommittedChange(tree: WorkTree | undefined): RegisterChange | undefined {
  if (!tree?.hasHead) return undefined;
  return tree.sinceHead.changed.size > 0 ? tree.sinceHead : undefined;
}

/**
 * The change a department made on top of the school's register once it has committed: the filing
 * files changed since where its branch left the upstream branch (or, with none set, the remote's
 * default branch). Undefined when there is no such base, or HEAD is on it (a checkout of main).
 */
export function committedChange(root: string, tree: WorkTree | undefined): RegisterChange | undefined {
  if (!tree?.hasHead) return undefined;
  for (const upstream of ["@{upstream}", "refs/remotes/origin/HEAD"]) {
    const sha = mergeBase(root, "HEAD", upstream);
    if (sha === undefined) continue;
    if (sha === git(root, ["rev-parse", "HEAD"]).toString("utf8").trim()) return undefined;
    const change = changesFromDiff(root, git(root, diffSince(sha)).toString("utf8"), tree);
    return change.changed.size > 0 ? change : undefined;
  }
  return undefined;
}

/** A commit on the main line: what re-verification looks at. */
export interface MainCommit {
  readonly sha: string;
  readonly subject: string;
}

/**
 * The first-parent commits after `since` up to HEAD, oldest first: each is one change that reached
 * main (a merge, a squash, or a direct push). A `since` that names no commit is a usage error.
 */
export function mainCommitsSince(root: string, since: string): MainCommit[] {
  if (since.startsWith("-") || !hasCommit(root, since)) {
    throw new UsageError(msg(`--since 的值 "${since}" 不是本仓库中的提交。`, `--since "${since}" is not a commit of this repository.`));
  }
  // An older commit than the last deploy (a re-run of an old workflow, deploys out of order) would
  // put back what a later deploy changed: refused, never deployed.
  if (!isAncestor(root, since, "HEAD")) {
    throw new RefusedError(msg(
      `上次部署的提交 ${since} 不在当前提交之前：这是一次过时的部署（例如重新运行了旧的工作流），为免把后来的变更退回，不予部署。`,
      `The last deployed commit ${since} is not an ancestor of this one: this deploy is out of date (an old workflow run again, for instance) and would undo later changes, so it does not run.`,
    ));
  }
  const out = git(root, ["log", "--first-parent", "--reverse", "--format=%H%x00%s%x00", `${since}..HEAD`]).toString("utf8");
  const fields = out.split("\0").map((f) => f.replace(/^\n/, ""));
  const commits: MainCommit[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) commits.push({ sha: fields[i]!, subject: fields[i + 1]! });
  return commits;
}

const EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
const REGULAR_FILE = new Set(["100644", "100755"]);

/**
 * What one commit on main changed against its first parent, with the institution config that parent
 * held: what the deploy's re-check judges. From git, not from the forge, so no list is cut short
 * (GitHub's 3000 files) and a merge commit's own edits are judged too; the rules are those main had
 * before the commit, which the commit cannot have changed. A filing version that is not a regular
 * file (a link, a submodule) is read as empty, which no filing parses from.
 */
export function commitVerdictInputs(root: string, sha: string, configPaths: readonly string[]): VerdictInputs {
  const [, parent = EMPTY_TREE] = git(root, ["rev-list", "--parents", "-n", "1", `${sha}^{commit}`]).toString("utf8").trim().split(" ");
  const fields = git(root, ["diff", "--raw", "-z", "--no-renames", "--no-abbrev", parent, sha]).toString("utf8").split("\0");
  const read = (path: string, mode: string, blobSha: string): SourceFile | undefined =>
    /^0+$/.test(mode) ? undefined : { path, bytes: REGULAR_FILE.has(mode) ? blob(root, blobSha) : Buffer.alloc(0) };
  const changedPaths: string[] = [];
  const versions: FileVersions[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const [oldMode = "", newMode = "", oldSha = "", newSha = ""] = fields[i]!.replace(/^:/, "").split(" ");
    const path = fields[i + 1]!;
    changedPaths.push(path);
    if (isFilingPath(path)) versions.push({ path, base: read(path, oldMode, oldSha), head: read(path, newMode, newSha) });
  }
  const configFiles = new Map<string, SourceFile>();
  // ls-tree -z: "<mode> <type> <sha>\t<path>\0" for each of the paths the parent holds.
  for (const entry of git(root, ["ls-tree", "-z", parent, "--", ...configPaths]).toString("utf8").split("\0").filter(Boolean)) {
    const [meta = "", path = ""] = entry.split("\t");
    const [mode = "", , blobSha = ""] = meta.split(" ");
    if (REGULAR_FILE.has(mode)) configFiles.set(path, { path, bytes: blob(root, blobSha) });
  }
  return { configFiles, configFrom: `${parent.slice(0, 7)}`, changes: { changedPaths, versions } };
}

/**
 * Of `paths` (what `commit` changed against its first parent), those the approved pull request does
 * not account for: a path the pull request itself did not change (it changed nothing there since it
 * branched from main), or whose content at `commit` is not its content at `head`, the head its
 * reviewers approved. That is what a merge brings beyond the approved change: edits made in the merge
 * commit, or a branch that was not up to date putting back what main changed since. Undefined when
 * the repository lacks `head` (the pull requests' heads not fetched).
 */
export function changedBeyond(root: string, commit: string, head: string, paths: readonly string[]): string[] | undefined {
  if (!hasCommit(root, head)) return undefined;
  const parent = `${commit}^1`;
  const since = hasCommit(root, parent) ? git(root, ["merge-base", parent, head]).toString("utf8").trim() : EMPTY_TREE;
  const own = new Set(nulList(git(root, ["diff", "--no-renames", "--name-only", "-z", since, head])));
  const differs = new Set(nulList(git(root, ["diff", "--no-renames", "--name-only", "-z", head, commit])));
  return paths.filter((p) => !own.has(p) || differs.has(p));
}

/** `git diff --raw` of `head` against its merge base with `base`, renames as delete + add. */
export function rawChanges(root: string, base: string, head: string): (RawChange & { sha: string })[] {
  for (const ref of [base, head]) {
    if (ref.startsWith("-") || !hasCommit(root, ref)) {
      throw new UsageError(msg(`"${ref}" 不是本仓库中的提交。请先获取 PR 的提交（git fetch origin pull/<编号>/head）。`, `"${ref}" is not a commit of this repository. Fetch the pull request first (git fetch origin pull/<number>/head).`));
    }
  }
  // -z: ":<old mode> <new mode> <old sha> <new sha> <status>\0<path>\0" per change.
  // base...head: what the pull request changed since it branched, not what main changed since.
  const fields = git(root, ["diff", "--raw", "-z", "--no-renames", "--no-abbrev", `${base}...${head}`]).toString("utf8").split("\0");
  const changes: (RawChange & { sha: string })[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const [, newMode = "", , newSha = "", status = ""] = fields[i]!.replace(/^:/, "").split(" ");
    changes.push({ newMode, status, path: fields[i + 1]!, sha: newSha });
  }
  return changes;
}

/** A blob's bytes. */
export function blob(root: string, sha: string): Buffer {
  return git(root, ["cat-file", "blob", sha]);
}
