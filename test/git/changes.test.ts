/**
 * What git says a change is (lib/git/changes.ts), over small real repositories: the filings a
 * department's work touches (`--changed-since`), the commits that reached main since the last deploy,
 * what each of them changed and by which rules it is judged, what a merge holds beyond the approved
 * head, and a pull request's raw file changes. Each case builds the history a user would have.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigurationError, RefusedError, UsageError } from "../../lib/errors";
import { blob, changedBeyond, commitVerdictInputs, committedChange, mainCommitsSince, rawChanges, startChangesSince, uncommittedChange } from "../../lib/git/changes";
import { readWorkTree, type WorkTree } from "../../lib/git/status";
import { gitIn } from "../helpers/git";

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

const CONFIG = ["policies/approvals.yaml", "policies/departments.yaml"];

/** A repository on `main` with `files` in its first commit. */
function repository(files: Record<string, string>) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "filings-git-"));
  roots.push(root);
  const run = gitIn(root);
  const git = (...args: string[]) => run(args);
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  const commit = (message: string, change: Record<string, string | null> = {}) => {
    for (const [rel, text] of Object.entries(change)) {
      if (text === null) fs.rmSync(path.join(root, rel));
      else write(rel, text);
    }
    git("add", "-A");
    git("commit", "-q", "--allow-empty", "-m", message);
    return git("rev-parse", "HEAD");
  };
  git("init", "-q", "-b", "main");
  const first = commit("first", files);
  return { root, git, write, commit, first };
}

const sorted = (s: ReadonlySet<string>) => [...s].sort();
const text = (b: { bytes: Uint8Array } | undefined) => (b ? Buffer.from(b.bytes).toString("utf8") : undefined);

describe("startChangesSince (validate --changed-since)", () => {
  it("every filing changed since the ref, committed, staged, modified or untracked, and which are new; deleted files and other folders left out", async () => {
    const r = repository({ "filings/jwc/a.yaml": "a", "filings/jwc/b.yaml": "b", "filings/jwc/c.yaml": "c", "filings/jwc/d.yaml": "d", "filings/jwc/gone.yaml": "g", "docs/x.md": "x" });
    r.commit("second", { "filings/jwc/a.yaml": "a2", "filings/xgb/new.yaml": "n", "docs/x.md": "x2", "filings/jwc/gone.yaml": null });
    r.write("filings/jwc/b.yaml", "b2");
    r.git("add", "filings/jwc/b.yaml");
    r.write("filings/jwc/c.yaml", "c2");
    r.write("filings/tsg/untracked.yaml", "u");
    const change = (await startChangesSince(r.root, r.first))();
    expect(sorted(change.changed)).toEqual(["filings/jwc/a.yaml", "filings/jwc/b.yaml", "filings/jwc/c.yaml", "filings/tsg/untracked.yaml", "filings/xgb/new.yaml"]);
    expect(sorted(change.added)).toEqual(["filings/tsg/untracked.yaml", "filings/xgb/new.yaml"]);
  });

  it("a renamed filing is a new file under its new name", async () => {
    const r = repository({ "filings/jwc/a.yaml": "same content, long enough for git to call it a rename" });
    fs.renameSync(path.join(r.root, "filings/jwc/a.yaml"), path.join(r.root, "filings/jwc/b.yaml"));
    r.git("add", "-A");
    const change = (await startChangesSince(r.root, "main"))();
    expect([sorted(change.changed), sorted(change.added)]).toEqual([["filings/jwc/b.yaml"], ["filings/jwc/b.yaml"]]);
  });

  it("a branch name works as the ref; nothing changed is an empty change", async () => {
    const r = repository({ "filings/jwc/a.yaml": "a" });
    const change = (await startChangesSince(r.root, "main"))();
    expect([change.changed.size, change.added.size]).toEqual([0, 0]);
  });

  it("a commit git cannot read (a damaged repository): git's own error, never an empty change", async () => {
    const r = repository({ "filings/jwc/a.yaml": "a" });
    const tree = r.git("rev-parse", "HEAD^{tree}");
    fs.rmSync(path.join(r.root, ".git/objects", tree.slice(0, 2), tree.slice(2)));
    const error = await startChangesSince(r.root, "main").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).userMessage.zh).toMatch(/^读取 git 历史失败（git diff）：.*。请在备案仓库的 git 工作目录中运行。$/s);
  });

  it("the untracked files of an already-read work tree are used, not asked again", async () => {
    const r = repository({ "filings/jwc/a.yaml": "a" });
    r.write("filings/jwc/on-disk.yaml", "x");
    const tree = { untracked: ["filings/jwc/from-tree.yaml"] } as unknown as WorkTree;
    const change = (await startChangesSince(r.root, "main"))(tree);
    expect(sorted(change.added)).toEqual(["filings/jwc/from-tree.yaml"]);
  });

  it.each([["no-such-branch"], ["--output=/tmp/x"], ["-p"]])("%s is not a commit: a usage error naming the option and the value", async (ref) => {
    const r = repository({ "filings/jwc/a.yaml": "a" });
    const error = await startChangesSince(r.root, ref).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).userMessage).toEqual({ zh: `--changed-since 的值 "${ref}" 不是本仓库中的提交或分支。`, en: `--changed-since "${ref}" is not a commit or branch of this repository.` });
  });

  it("a ref to a file's content (a blob) is not a commit either", async () => {
    const r = repository({ "filings/jwc/a.yaml": "a" });
    const error = await startChangesSince(r.root, r.git("rev-parse", "HEAD:filings/jwc/a.yaml")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
  });
});

describe("uncommittedChange", () => {
  const change = (changed: string[]) => ({ changed: new Set(changed), added: new Set<string>() });
  const tree = (hasHead: boolean, changed: string[]) => ({ hasHead, sinceHead: change(changed), untracked: [], blobIds: new Map() }) as WorkTree;

  it("the files HEAD does not hold yet, once there is a HEAD and something changed", () => {
    expect(uncommittedChange(tree(true, ["filings/jwc/a.yaml"]))?.changed).toEqual(new Set(["filings/jwc/a.yaml"]));
    expect(uncommittedChange(tree(true, []))).toBeUndefined();
    expect(uncommittedChange(tree(false, ["filings/jwc/a.yaml"]))).toBeUndefined();
    expect(uncommittedChange(undefined)).toBeUndefined();
  });
});

describe("committedChange (validate after a department committed in its clone)", () => {
  /** A clone of `origin`'s main, as a department gets it. */
  function cloneOf(origin: string) {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "filings-clone-"));
    roots.push(root);
    gitIn(os.tmpdir())(["clone", "-q", origin, root]);
    const run = gitIn(root);
    const git = (...args: string[]) => run(args);
    const commit = (message: string, change: Record<string, string>) => {
      for (const [rel, text] of Object.entries(change)) {
        fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
        fs.writeFileSync(path.join(root, rel), text);
      }
      git("add", "-A");
      git("commit", "-q", "-m", message);
    };
    return { root, git, commit };
  }
  const origin = () => repository({ "filings/jwc/a.yaml": "a", "filings/jwc/b.yaml": "b" });
  const change = async (root: string) => committedChange(root, await readWorkTree(root, "filings/"));

  it("on a branch that tracks main: the filings committed since it left main, and which are new", async () => {
    const c = cloneOf(origin().root);
    c.commit("mine", { "filings/tsg/new.yaml": "n", "filings/jwc/a.yaml": "a2", "docs/x.md": "x" });
    const got = (await change(c.root))!;
    expect([sorted(got.changed), sorted(got.added)]).toEqual([["filings/jwc/a.yaml", "filings/tsg/new.yaml"], ["filings/tsg/new.yaml"]]);
    // A work tree read as having no commit yet tells nothing apart, whatever git would say.
    expect(committedChange(c.root, { ...(await readWorkTree(c.root, "filings/"))!, hasHead: false })).toBeUndefined();
  });

  it("on a branch that tracks another branch: measured from that branch, not from main", async () => {
    const o = origin();
    o.git("checkout", "-q", "-b", "next");
    o.commit("on next", { "filings/jwc/next.yaml": "x" });
    o.git("checkout", "-q", "main");
    const c = cloneOf(o.root);
    c.git("checkout", "-q", "-b", "mine", "--track", "origin/next");
    c.commit("mine", { "filings/tsg/new.yaml": "n" });
    expect(sorted((await change(c.root))!.changed)).toEqual(["filings/tsg/new.yaml"]);
  });

  it("on a new branch with no upstream: measured from the remote's default branch", async () => {
    const c = cloneOf(origin().root);
    c.git("checkout", "-q", "-b", "tsg-new");
    c.commit("mine", { "filings/tsg/new.yaml": "n" });
    expect(sorted((await change(c.root))!.added)).toEqual(["filings/tsg/new.yaml"]);
  });

  it("nothing when HEAD is where main is, when only other folders changed, with no remote, or outside a work tree", async () => {
    const o = origin();
    const c = cloneOf(o.root);
    expect(await change(c.root)).toBeUndefined();
    // A file not yet committed is the uncommitted change's (uncommittedChange), not this one's.
    fs.mkdirSync(path.join(c.root, "filings/tsg"), { recursive: true });
    fs.writeFileSync(path.join(c.root, "filings/tsg/draft.yaml"), "d");
    expect(await change(c.root)).toBeUndefined();
    fs.rmSync(path.join(c.root, "filings/tsg"), { recursive: true });
    c.commit("docs only", { "docs/x.md": "x" });
    expect(await change(c.root)).toBeUndefined();
    o.commit("on the school's main", { "filings/jwc/c.yaml": "c" });
    expect(await change(o.root)).toBeUndefined();
    expect(committedChange(o.root, undefined)).toBeUndefined();
  });
});

describe("mainCommitsSince (the commits the deploy re-checks)", () => {
  it("each first-parent commit after the last deploy, oldest first, with its subject: a merge is one commit, not its branch's", () => {
    const r = repository({ "filings/jwc/a.yaml": "a" });
    const direct = r.commit("直接推送：修改 a", { "filings/jwc/a.yaml": "a2" });
    r.git("checkout", "-q", "-b", "topic");
    r.commit("on the branch 1", { "filings/jwc/b.yaml": "b" });
    r.commit("on the branch 2", { "filings/jwc/b.yaml": "b2" });
    r.git("checkout", "-q", "main");
    r.git("merge", "-q", "--no-ff", "-m", "Merge pull request #7 from campus/topic", "topic");
    const merge = r.git("rev-parse", "HEAD");
    expect(mainCommitsSince(r.root, r.first)).toEqual([{ sha: direct, subject: "直接推送：修改 a" }, { sha: merge, subject: "Merge pull request #7 from campus/topic" }]);
    expect(mainCommitsSince(r.root, merge)).toEqual([]);
  });

  it("a last deploy named by a tag that ends in a dash is still a commit", () => {
    const r = repository({ "filings/jwc/a.yaml": "a" });
    r.git("tag", "deployed-");
    const next = r.commit("next");
    expect(mainCommitsSince(r.root, "deployed-")).toEqual([{ sha: next, subject: "next" }]);
  });

  it("a commit with an empty subject is still a commit", () => {
    const r = repository({ "filings/jwc/a.yaml": "a" });
    r.git("commit", "-q", "--allow-empty", "--allow-empty-message", "-m", "");
    r.commit("after it");
    expect(mainCommitsSince(r.root, r.first).map((c) => c.subject)).toEqual(["", "after it"]);
  });

  it.each([["no-such-commit"], ["--all"]])("--since %s: a usage error", (since) => {
    const r = repository({ "filings/jwc/a.yaml": "a" });
    expect(() => mainCommitsSince(r.root, since)).toThrow(UsageError);
    try {
      mainCommitsSince(r.root, since);
    } catch (e) {
      expect((e as UsageError).userMessage).toEqual({ zh: `--since 的值 "${since}" 不是本仓库中的提交。`, en: `--since "${since}" is not a commit of this repository.` });
    }
  });

  it("a last deploy that is not before this commit (an old workflow run again): refused, nothing to deploy", () => {
    const r = repository({ "filings/jwc/a.yaml": "a" });
    const later = r.commit("later");
    r.git("checkout", "-q", r.first);
    expect(() => mainCommitsSince(r.root, later)).toThrow(RefusedError);
    try {
      mainCommitsSince(r.root, later);
    } catch (e) {
      expect((e as RefusedError).userMessage).toEqual({
        zh: `上次部署的提交 ${later} 不在当前提交之前：这是一次过时的部署（例如重新运行了旧的工作流），为免把后来的变更退回，不予部署。`,
        en: `The last deployed commit ${later} is not an ancestor of this one: this deploy is out of date (an old workflow run again, for instance) and would undo later changes, so it does not run.`,
      });
    }
  });
});

describe("commitVerdictInputs (what one commit on main changed, and the rules before it)", () => {
  it("every changed path, both versions of each filing, and the config its first parent held", () => {
    const r = repository({ "filings/jwc/a.yaml": "a", "filings/jwc/gone.yaml": "g", "policies/approvals.yaml": "rules v1", "policies/departments.yaml": "depts v1" });
    const sha = r.commit("change", { "filings/jwc/a.yaml": "a2", "filings/jwc/new.yaml": "n", "filings/jwc/gone.yaml": null, "policies/approvals.yaml": "rules v2", "stacks/x.ts": "code" });
    const inputs = commitVerdictInputs(r.root, sha, CONFIG);
    expect([...inputs.changes.changedPaths].sort()).toEqual(["filings/jwc/a.yaml", "filings/jwc/gone.yaml", "filings/jwc/new.yaml", "policies/approvals.yaml", "stacks/x.ts"]);
    expect(inputs.changes.versions.map((v) => [v.path, text(v.base), text(v.head)])).toEqual([
      ["filings/jwc/a.yaml", "a", "a2"],
      ["filings/jwc/gone.yaml", "g", undefined],
      ["filings/jwc/new.yaml", undefined, "n"],
    ]);
    // The commit changed the rules; it is judged by those it could not have changed.
    expect([...inputs.configFiles].map(([p, f]) => [p, f.path, text(f)])).toEqual([["policies/approvals.yaml", "policies/approvals.yaml", "rules v1"], ["policies/departments.yaml", "policies/departments.yaml", "depts v1"]]);
    expect(inputs.configFrom).toBe(r.first.slice(0, 7));
  });

  it("a renamed filing is the old one removed and a new one added, whatever git's rename detection says", () => {
    const text0 = "id: jwc-a\nstatus: active\n" + "x: 1\n".repeat(20);
    const r = repository({ "filings/jwc/a.yaml": text0 });
    r.git("config", "diff.renames", "true");
    r.git("mv", "filings/jwc/a.yaml", "filings/jwc/b.yaml");
    const sha = r.commit("rename");
    const inputs = commitVerdictInputs(r.root, sha, CONFIG);
    expect(inputs.changes.changedPaths).toEqual(["filings/jwc/a.yaml", "filings/jwc/b.yaml"]);
    expect(inputs.changes.versions.map((v) => [v.path, text(v.base), text(v.head)])).toEqual([["filings/jwc/a.yaml", text0, undefined], ["filings/jwc/b.yaml", undefined, text0]]);
  });

  it("a merge is compared with its first parent: what it brought to main, not what main brought to the branch", () => {
    const r = repository({ "filings/jwc/a.yaml": "a", "policies/approvals.yaml": "rules" });
    r.git("checkout", "-q", "-b", "topic");
    r.commit("branch", { "filings/jwc/b.yaml": "b" });
    r.git("checkout", "-q", "main");
    r.commit("main moves on", { "filings/jwc/a.yaml": "a2" });
    r.git("merge", "-q", "--no-ff", "-m", "merge", "topic");
    const inputs = commitVerdictInputs(r.root, r.git("rev-parse", "HEAD"), CONFIG);
    expect(inputs.changes.changedPaths).toEqual(["filings/jwc/b.yaml"]);
  });

  it("a filing or a config file that is a symbolic link is never read through: the filing reads as empty, the config as absent", () => {
    const r = repository({ "filings/jwc/a.yaml": "a", "docs/rules.yaml": "attacker's rules" });
    fs.mkdirSync(path.join(r.root, "policies"));
    fs.symlinkSync("../docs/rules.yaml", path.join(r.root, "policies/approvals.yaml"));
    r.git("add", "-A");
    r.git("commit", "-q", "-m", "links");
    fs.rmSync(path.join(r.root, "filings/jwc/a.yaml"));
    fs.symlinkSync("../../docs/rules.yaml", path.join(r.root, "filings/jwc/a.yaml"));
    const sha = r.commit("filing becomes a link");
    const inputs = commitVerdictInputs(r.root, sha, CONFIG);
    expect(inputs.changes.versions.map((v) => [v.path, text(v.base), text(v.head)])).toEqual([["filings/jwc/a.yaml", "a", ""]]);
    expect(inputs.configFiles.size).toBe(0);
  });

  it("a filing or config file committed as executable (as some Windows tools do) is still read", () => {
    const r = repository({ "filings/jwc/a.yaml": "a", "policies/approvals.yaml": "rules" });
    fs.chmodSync(path.join(r.root, "policies/approvals.yaml"), 0o755);
    fs.chmodSync(path.join(r.root, "filings/jwc/a.yaml"), 0o755);
    r.write("filings/jwc/a.yaml", "a2");
    r.commit("mode");
    const sha = r.commit("after", { "filings/jwc/a.yaml": "a3" });
    const inputs = commitVerdictInputs(r.root, sha, CONFIG);
    expect(inputs.changes.versions.map((v) => [v.path, text(v.base), text(v.head)])).toEqual([["filings/jwc/a.yaml", "a2", "a3"]]);
    expect(text(inputs.configFiles.get("policies/approvals.yaml"))).toBe("rules");
  });

  it("the first commit of a history is compared with nothing", () => {
    const r = repository({ "filings/jwc/a.yaml": "a" });
    const inputs = commitVerdictInputs(r.root, r.first, CONFIG);
    expect(inputs.changes.versions.map((v) => [v.path, text(v.base), text(v.head)])).toEqual([["filings/jwc/a.yaml", undefined, "a"]]);
    expect([inputs.configFiles.size, inputs.configFrom]).toEqual([0, "4b825dc"]);
  });
});

describe("changedBeyond (what a merge holds beyond the approved head)", () => {
  function merged(edit?: Record<string, string>) {
    const r = repository({ "filings/jwc/a.yaml": "a", "filings/jwc/b.yaml": "b" });
    r.git("checkout", "-q", "-b", "topic");
    const head = r.commit("the approved change", { "filings/jwc/a.yaml": "a2" });
    r.git("checkout", "-q", "main");
    r.git("merge", "-q", "--no-ff", "--no-commit", "topic");
    for (const [p, t] of Object.entries(edit ?? {})) {
      r.write(p, t);
      r.git("add", p);
    }
    r.git("commit", "-q", "-m", "merge");
    const merge = r.git("rev-parse", "HEAD");
    return { r, head, merge, paths: commitVerdictInputs(r.root, merge, CONFIG).changes.changedPaths };
  }

  it("a merge of exactly the approved head: nothing beyond", () => {
    const { r, head, merge, paths } = merged();
    expect(changedBeyond(r.root, merge, head, paths)).toEqual([]);
  });

  it("an edit made in the merge commit to an approved file, or to a file the pull request never touched: both named", () => {
    const { r, head, merge, paths } = merged({ "filings/jwc/a.yaml": "a3", "filings/jwc/b.yaml": "b-sneaked" });
    expect(changedBeyond(r.root, merge, head, paths)).toEqual(["filings/jwc/a.yaml", "filings/jwc/b.yaml"]);
  });

  it("an edit in the merge commit to code the pull request also changed is named, not only edits under filings/", () => {
    const r = repository({ "filings/jwc/a.yaml": "a", "stacks/program.ts": "v1" });
    r.git("checkout", "-q", "-b", "topic");
    const head = r.commit("the approved change", { "stacks/program.ts": "v2" });
    r.git("checkout", "-q", "main");
    r.git("merge", "-q", "--no-ff", "--no-commit", "topic");
    r.write("stacks/program.ts", "v2 and something nobody approved");
    r.git("add", "stacks/program.ts");
    r.git("commit", "-q", "-m", "merge");
    const merge = r.git("rev-parse", "HEAD");
    expect(changedBeyond(r.root, merge, head, commitVerdictInputs(r.root, merge, CONFIG).changes.changedPaths)).toEqual(["stacks/program.ts"]);
  });

  it("a squash that brings back what main changed since the branch left: the reverted file is named", () => {
    const r = repository({ "filings/jwc/a.yaml": "a", "filings/jwc/b.yaml": "b" });
    r.git("checkout", "-q", "-b", "topic");
    const head = r.commit("the approved change", { "filings/jwc/a.yaml": "a2" });
    r.git("checkout", "-q", "main");
    r.commit("main moves on", { "filings/jwc/b.yaml": "b2" });
    // A squash of the branch's tree as it was: b goes back to the branch's old version.
    const squash = r.commit("squash of #7", { "filings/jwc/a.yaml": "a2", "filings/jwc/b.yaml": "b" });
    const paths = commitVerdictInputs(r.root, squash, CONFIG).changes.changedPaths;
    expect(changedBeyond(r.root, squash, head, paths)).toEqual(["filings/jwc/b.yaml"]);
  });

  it("the approved head is not in the clone: undefined (the caller says to fetch it)", () => {
    const { r, merge, paths } = merged();
    expect(changedBeyond(r.root, merge, "f".repeat(40), paths)).toBeUndefined();
  });

  it("a first commit (no parent) is compared with the head from nothing", () => {
    const r = repository({ "filings/jwc/a.yaml": "a" });
    expect(changedBeyond(r.root, r.first, r.first, ["filings/jwc/a.yaml"])).toEqual([]);
  });
});

describe("rawChanges (a pull request's files, for the preview's data-only check)", () => {
  it("what the head changed since it left the base, with each new mode and blob; renames as delete + add; main's later changes left out", () => {
    const r = repository({ "filings/jwc/a.yaml": "same content, long enough for git to call it a rename", "filings/jwc/b.yaml": "b" });
    r.git("checkout", "-q", "-b", "topic");
    fs.renameSync(path.join(r.root, "filings/jwc/a.yaml"), path.join(r.root, "filings/jwc/c.yaml"));
    fs.symlinkSync("b.yaml", path.join(r.root, "filings/jwc/link.yaml"));
    const head = r.commit("topic", { "filings/jwc/b.yaml": "b2" });
    r.git("checkout", "-q", "main");
    r.commit("main moves on", { "docs/later.md": "later" });
    const changes = rawChanges(r.root, "main", head);
    const blobOf = (p: string) => r.git("rev-parse", `${head}:${p}`);
    expect(changes).toEqual([
      { newMode: "000000", status: "D", path: "filings/jwc/a.yaml", sha: "0".repeat(40) },
      { newMode: "100644", status: "M", path: "filings/jwc/b.yaml", sha: blobOf("filings/jwc/b.yaml") },
      { newMode: "100644", status: "A", path: "filings/jwc/c.yaml", sha: blobOf("filings/jwc/c.yaml") },
      { newMode: "120000", status: "A", path: "filings/jwc/link.yaml", sha: blobOf("filings/jwc/link.yaml") },
    ]);
    expect(blob(r.root, blobOf("filings/jwc/b.yaml")).toString()).toBe("b2");
  });

  it("a base branch whose name ends in a dash is a base like any other", () => {
    const r = repository({ "filings/jwc/a.yaml": "a" });
    r.git("branch", "release-");
    const head = r.commit("change", { "filings/jwc/a.yaml": "a2" });
    expect(rawChanges(r.root, "release-", head).map((c) => c.path)).toEqual(["filings/jwc/a.yaml"]);
  });

  it.each([["base"], ["head"]])("a %s that is not a commit here: a usage error saying to fetch the pull request", (which) => {
    const r = repository({ "filings/jwc/a.yaml": "a" });
    const [base, head] = which === "base" ? ["--output=x", "main"] : ["main", "f".repeat(40)];
    const bad = which === "base" ? base : head;
    expect(() => rawChanges(r.root, base!, head!)).toThrow(UsageError);
    try {
      rawChanges(r.root, base!, head!);
    } catch (e) {
      expect((e as UsageError).userMessage).toEqual({ zh: `"${bad}" 不是本仓库中的提交。请先获取 PR 的提交（git fetch origin pull/<编号>/head）。`, en: `"${bad}" is not a commit of this repository. Fetch the pull request first (git fetch origin pull/<number>/head).` });
    }
  });

  it("git failing outside a repository is said as a configuration error with git's words", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "filings-nogit-"));
    roots.push(dir);
    expect(() => blob(dir, "0".repeat(40))).toThrow(ConfigurationError);
  });
});
