/**
 * The gate's GitHub side (lib/github/check.ts) in-process, over the forge ports fed plain data
 * (memory-forge.ts): which pull requests a head commit's status speaks for, what it reads from where,
 * the lists it refuses to believe when cut short, and what it leaves behind when anything goes wrong.
 * Each case starts from a pull request every role has signed and changes one thing. The same paths
 * through octokit and a GitHub-shaped server are in approvals.test.ts and gate-bypasses.test.ts.
 */
import { describe, expect, it } from "vitest";
import { ConfigurationError, GitHubApiError, RefusedError } from "../../lib/errors";
import { checkHead, type ApprovalTarget } from "../../lib/github/check";
import { COMMENT_MARKER } from "../../lib/output/approvals";
import { memoryForge, memoryPull, memoryRepo, type MemoryPull, type MemoryRepo } from "./memory-forge";
import { addFiling, BASE_SHA, EXAM, HEAD_SHA, JWC, NEW_FILE, OLD_SHA, TREE, type Change } from "./scenarios";

const OTHER_HEAD = "d".repeat(40);
const MAIN_NOW = "e".repeat(40);

const signed = memoryPull(addFiling);
/** Signed by the department head alone. */
const unsigned = memoryPull(addFiling, { reviews: [signed.reviews[0]!] });

async function check(r: MemoryRepo, target: ApprovalTarget = { pr: 7 }, dryRun = false) {
  const forge = memoryForge(r);
  const result = await checkHead(forge.repo, forge.portFor, target, { dryRun, today: "2026-11-24" });
  return { result, ...forge.written };
}

async function refused(r: MemoryRepo, target: ApprovalTarget = { pr: 7 }) {
  const forge = memoryForge(r);
  const error = await checkHead(forge.repo, forge.portFor, target, { dryRun: false }).then(() => undefined, (e: unknown) => e);
  return { error, ...forge.written };
}

const states = (w: { statuses: { state: string }[] }) => w.statuses.map((s) => s.state);

describe("checkHead: one pull request", () => {
  it("every role signed: pending while judging, then success on the head, and one comment with the verdict", async () => {
    const r = await check(memoryRepo(addFiling, [signed]));
    expect(r.result.satisfied).toBe(true);
    expect(r.result.headSha).toBe(HEAD_SHA);
    expect(r.statuses).toEqual([
      { sha: HEAD_SHA, state: "pending", description: "审批检查进行中 / checking the approvals" },
      { sha: HEAD_SHA, state: "success", description: "审批齐全 / all approvals in" },
    ]);
    expect(r.comments.get(7)).toEqual([r.result.pulls[0]!.comment]);
    expect(r.comments.get(7)![0]).toContain(COMMENT_MARKER);
    expect(r.comments.get(7)![0]).toContain("jwc-fixture");
  });

  it("signed by the department head alone: failure, counting the three signatures still missing", async () => {
    const r = await check(memoryRepo(addFiling, [unsigned]));
    expect(r.result.satisfied).toBe(false);
    expect(states(r)).toEqual(["pending", "failure"]);
    expect(r.statuses[1]!.description).toBe("审批未齐全：3 项待处理 / 3 items outstanding");
    expect(r.comments.get(7)![0]).toContain("缺少部门校分管负责人的批准");
  });

  it("a change no signature can pass counts its refusal as outstanding, even fully signed", async () => {
    const ip: Change = { files: [{ filename: EXAM, status: "modified" }], head: { [EXAM]: TREE[EXAM]!.replace("ip: 10.20.1.10", "ip: 10.20.1.99") } };
    const r = await check(memoryRepo(ip, [memoryPull(ip)]));
    expect(r.result.satisfied).toBe(false);
    expect(r.statuses[1]!.description).toBe("审批未齐全：1 项待处理 / 1 items outstanding");
  });

  it("tells once per change of the verdict: a run for an event that changed nothing leaves the comment and tells no one", async () => {
    const r: { -readonly [K in keyof MemoryRepo]: MemoryRepo[K] } = memoryRepo(addFiling, [unsigned]);
    const forge = memoryForge(r);
    const run = () => checkHead(forge.repo, forge.portFor, { pr: 7 }, { dryRun: false, today: "2026-11-24" });
    expect((await run()).pulls.map((p) => p.told)).toEqual([true]);
    expect((await run()).pulls.map((p) => p.told)).toEqual([false]);
    expect(forge.written.comments.get(7)).toHaveLength(1);
    // Every role signs: the verdict reads differently, and is told.
    r.pulls = [signed];
    expect((await run()).pulls.map((p) => p.told)).toEqual([true]);
    expect(forge.written.comments.get(7)).toHaveLength(2);
    // The status is written on every run all the same: it is the gate.
    expect(states(forge.written)).toEqual(["pending", "failure", "pending", "failure", "pending", "success"]);
  });

  it("a dry run judges the same and writes nothing", async () => {
    const r = await check(memoryRepo(addFiling, [unsigned]), { pr: 7 }, true);
    expect(r.result.pulls.map((p) => p.told)).toEqual([false]);
    expect(r.result.satisfied).toBe(false);
    expect(r.result.pulls[0]!.evaluation.decisions[0]!.roles.filter((x) => !x.signer).map((x) => x.role)).toEqual(["schoolLeader", "informationCenterHead", "securityLeader"]);
    expect(r.statuses).toEqual([]);
    expect(r.comments.size).toBe(0);
  });

  it("a run for an older event (its head is no longer the pull request's) judges nothing and writes nothing", async () => {
    const r = await check(memoryRepo(addFiling, [signed]), { pr: 7, expectHead: OLD_SHA });
    expect(r.result).toEqual({ headSha: HEAD_SHA, pulls: [], skipped: [], satisfied: false, stale: true });
    expect(r.statuses).toEqual([]);
  });

  it("the event's head is still the pull request's: judged as usual", async () => {
    const r = await check(memoryRepo(addFiling, [signed]), { pr: 7, expectHead: HEAD_SHA });
    expect(r.result.satisfied).toBe(true);
    expect(r.result.stale).toBeUndefined();
  });

  it("asked for a pull request into another branch: refused with the branch named, and the head's status is error", async () => {
    const r = await refused(memoryRepo(addFiling, [{ ...signed, baseRef: "jwc-base" }]));
    expect(r.error).toBeInstanceOf(RefusedError);
    expect((r.error as RefusedError).userMessage.zh).toBe("PR #7 的目标分支是 jwc-base，不是默认分支 main。审批只对合并到 main 的 PR 作出判断；请把 PR 的目标分支改为 main。");
    expect(r.statuses).toEqual([{ sha: HEAD_SHA, state: "error", description: "审批检查失败 / approval check failed: PR #7 targets jwc-base, not the default branch main. Approvals are judged only for pull requests into main; change the pull request's base to main." }]);
  });

  it("the rules come from the default branch as it is now, not from the pull request's base", async () => {
    // The PR branched before main named its department head; main now has a different one.
    const departments = "policies/departments.yaml";
    const now = { ...TREE, [departments]: TREE[departments]!.replaceAll(`"@${JWC.head}"`, '"@someone-else"') };
    expect(now[departments]).not.toBe(TREE[departments]);
    const repo = memoryRepo(addFiling, [signed], { main: { name: "main", sha: MAIN_NOW } });
    const r = await check({ ...repo, trees: { ...repo.trees, [MAIN_NOW]: now } });
    expect(r.result.satisfied).toBe(false);
    expect(r.comments.get(7)![0]).toContain("缺少使用部门负责人的批准");
  });

  it("the default branch's config has errors: refused, naming where it was read, and the status is error", async () => {
    const repo = memoryRepo(addFiling, [signed]);
    const broken = { ...TREE, "policies/approvals.yaml": "roles: [", "policies/departments.yaml": "departments: {" };
    const r = await refused({ ...repo, trees: { ...repo.trees, [BASE_SHA]: broken } });
    expect(r.error).toBeInstanceOf(ConfigurationError);
    const m = (r.error as ConfigurationError).userMessage;
    // Every problem on its own line, each with its file and position.
    expect(m.zh).toMatch(/^main（bbbbbbb） 上的机构配置有错误，无法判断审批：\npolicies\/departments\.yaml:1:15 .*\npolicies\/approvals\.yaml:1:9 [^\n]*$/);
    expect(m.en).toMatch(/^The institution config on main（bbbbbbb） has errors, so approvals cannot be judged:\npolicies\/departments\.yaml:1:15 .*\npolicies\/approvals\.yaml:1:9 [^\n]*$/);
    expect(states(r)).toEqual(["pending", "error"]);
  });

  it("team membership is read case-blind: a leader whose login GitHub lists in capitals still signs", async () => {
    const repo = memoryRepo(addFiling, [signed]);
    const teams = Object.fromEntries(Object.entries(repo.teams).map(([t, members]) => [t, members.map((m) => m.toUpperCase())]));
    expect((await check({ ...repo, teams })).result.satisfied).toBe(true);
  });
});

describe("checkHead: the lists GitHub cuts short are refused, never believed", () => {
  it("more files than GitHub listed (it lists 3000): refused, split the pull request; status error", async () => {
    const r = await refused(memoryRepo(addFiling, [{ ...signed, changedFileCount: 3001 }]));
    expect(r.error).toBeInstanceOf(GitHubApiError);
    expect((r.error as GitHubApiError).userMessage.zh).toBe("PR #7 修改了 3001 个文件，GitHub 只列出了 1 个（上限 3000），未列出的文件无法审查，因此不能判断审批。请拆分为多个较小的 PR。");
    expect(r.statuses.at(-1)).toEqual({ sha: HEAD_SHA, state: "error", description: "审批检查失败 / approval check failed: PR #7 changes 3001 files but GitHub listed 1 (it lists at most 3000); files not listed cannot be judged, so approvals cannot be. Split the pull request into smaller ones." });
  });

  it("more commits than GitHub listed (it lists 250): refused, squash or split; status error", async () => {
    const r = await refused(memoryRepo(addFiling, [{ ...signed, commitCount: 251 }]));
    expect(r.error).toBeInstanceOf(GitHubApiError);
    expect((r.error as GitHubApiError).userMessage.zh).toBe("PR #7 有 251 个提交，GitHub 只列出了 1 个（上限 250），无法确认每一位提交人，因此不能判断审批。请把提交合并（squash）为较少的提交后重新推送，或拆分为多个 PR。");
    expect(r.statuses.at(-1)!.description).toBe("审批检查失败 / approval check failed: PR #7 has 251 commits but GitHub listed 1 (it lists at most 250), so not every committer can be known and approvals cannot be judged. Squash the commits and push again, or split the pull request.");
  });
});

describe("checkHead: what each filing version is read from", () => {
  const exam = TREE[EXAM]!;

  it("a changed filing is compared with the pull request's base, not with main as it is now", async () => {
    // main has since grown the filing's memory; against main the PR's version would read as a decrease.
    const grown: Change = { files: [{ filename: EXAM, status: "modified" }], head: { [EXAM]: exam.replace("cpu: 4", "cpu: 6") } };
    const repo = memoryRepo(grown, [memoryPull(grown)], { main: { name: "main", sha: MAIN_NOW } });
    const r = await check({ ...repo, trees: { ...repo.trees, [MAIN_NOW]: { ...TREE, [EXAM]: exam.replace("cpu: 4", "cpu: 8") } } }, { pr: 7 }, true);
    const change = r.result.pulls[0]!.evaluation.decisions[0]!.subject;
    expect(change.kind === "filing" && change.change.kinds).toEqual(["increase"]);
  });

  it("a removed filing has no head version: a deletion", async () => {
    const removed: Change = { files: [{ filename: EXAM, status: "removed" }], head: { [EXAM]: null } };
    const r = await check(memoryRepo(removed, [memoryPull(removed)]), { pr: 7 }, true);
    const change = r.result.pulls[0]!.evaluation.decisions[0]!.subject;
    expect(change.kind === "filing" && [change.change.kinds, change.change.base?.id]).toEqual([["delete"], "jwc-exam-scheduling"]);
  });

  it("an added filing is new even if the base happens to hold a file of that path", async () => {
    const repo = memoryRepo(addFiling, [signed]);
    const r = await check({ ...repo, trees: { ...repo.trees, [BASE_SHA]: { ...TREE, [NEW_FILE]: exam } } }, { pr: 7 }, true);
    const change = r.result.pulls[0]!.evaluation.decisions[0]!.subject;
    expect(change.kind === "filing" && change.change.kinds).toEqual(["new"]);
  });

  it("a renamed filing is the old path removed and the new one added, both judged", async () => {
    const to = "filings/jwc/exam-arrangement.yaml";
    const renamed: Change = { files: [{ filename: to, status: "renamed", previous_filename: EXAM }], head: { [EXAM]: null, [to]: exam.replace("id: jwc-exam-scheduling", "id: jwc-exam-arrangement") } };
    const r = await check(memoryRepo(renamed, [memoryPull(renamed)]), { pr: 7 }, true);
    const subjects = r.result.pulls[0]!.evaluation.decisions.map((d) => (d.subject.kind === "filing" ? [d.subject.change.path, d.subject.change.kinds] : d.subject));
    expect(subjects).toEqual([[to, ["new"]], [EXAM, ["delete"]]]);
  });

  it("a filing moved out of filings/ is a removal; its new path is a protected path", async () => {
    const to = "docs/exam.yaml";
    const moved: Change = { files: [{ filename: to, status: "renamed", previous_filename: EXAM }], head: { [EXAM]: null, [to]: exam } };
    const r = await check(memoryRepo(moved, [memoryPull(moved)]), { pr: 7 }, true);
    const subjects = r.result.pulls[0]!.evaluation.decisions.map((d) => (d.subject.kind === "filing" ? [d.subject.change.path, d.subject.change.kinds] : d.subject.paths));
    expect(subjects).toEqual([[EXAM, ["delete"]], [to]]);
  });

  it("a renamed filing is new even if the base holds a file at its new name (main gained one since the branch left)", async () => {
    const to = "filings/jwc/exam-arrangement.yaml";
    const renamed: Change = { files: [{ filename: to, status: "renamed", previous_filename: EXAM }], head: { [EXAM]: null, [to]: exam } };
    const repo = memoryRepo(renamed, [memoryPull(renamed)]);
    const r = await check({ ...repo, trees: { ...repo.trees, [BASE_SHA]: { ...TREE, [to]: exam } } }, { pr: 7 }, true);
    const change = r.result.pulls[0]!.evaluation.decisions.find((d) => d.subject.kind === "filing" && d.subject.change.path === to)!.subject;
    expect(change.kind === "filing" && change.change.kinds).toEqual(["new"]);
  });

  it("a file moved into filings/ from elsewhere: its old path is a protected path, its new one a new filing", async () => {
    const from = "docs/exam.yaml";
    const to = "filings/jwc/exam-copy.yaml";
    const moved: Change = { files: [{ filename: to, status: "renamed", previous_filename: from }], head: { [from]: null, [to]: exam.replace("id: jwc-exam-scheduling", "id: jwc-exam-copy") } };
    const repo = memoryRepo(moved, [memoryPull(moved)]);
    const r = await check({ ...repo, trees: { ...repo.trees, [BASE_SHA]: { ...TREE, [from]: exam } } }, { pr: 7 }, true);
    const subjects = r.result.pulls[0]!.evaluation.decisions.map((d) => (d.subject.kind === "filing" ? [d.subject.change.path, d.subject.change.kinds] : d.subject.paths));
    expect(subjects).toEqual([[to, ["new"]], [from]]);
  });

  it.each([
    ["a symbolic link (GitHub serves its target as the file)", "symlink"],
    ["a submodule", "submodule"],
    ["missing from its folder's listing", "absent"],
  ])("a filing that is %s reads as empty: not a valid filing, refused whoever signs", async (_name, kind) => {
    const linked: Change = { files: [{ filename: EXAM, status: "modified" }], head: { [EXAM]: exam } };
    const r = await check(memoryRepo(linked, [memoryPull(linked)], { entries: { [HEAD_SHA]: { [EXAM]: kind } } }));
    expect(r.result.satisfied).toBe(false);
    const decision = r.result.pulls[0]!.evaluation.decisions[0]!;
    expect(decision.refusals.map((m) => m.zh)).toEqual([`${EXAM}：文件不是有效的备案，无法判断变更类型。请先按 filing validate 的提示修改。`]);
  });

  it("a filing listed as changed but absent at the head reads as empty, never as deleted", async () => {
    const vanished: Change = { files: [{ filename: EXAM, status: "modified" }], head: { [EXAM]: null } };
    const r = await check(memoryRepo(vanished, [memoryPull(vanished)], { entries: { [HEAD_SHA]: { [EXAM]: "file" } } }));
    const change = r.result.pulls[0]!.evaluation.decisions[0]!.subject;
    expect(change.kind === "filing" && change.change.kinds).not.toContain("delete");
    expect(r.result.satisfied).toBe(false);
  });
});

describe("checkHead: a head commit that several pull requests share", () => {
  const sibling = (extra: Partial<MemoryPull>): MemoryPull => ({ ...memoryPull(addFiling), number: 9, ...extra });

  it("a review event (the commit only): every open pull request into main with that head is judged, in number order, one comment each", async () => {
    const r = await check(memoryRepo(addFiling, [sibling({}), signed]), { headSha: HEAD_SHA });
    expect(r.result.pulls.map((p) => p.pr.number)).toEqual([7, 9]);
    expect(r.statuses.at(-1)!.description).toBe("#7 #9 审批齐全 / all approvals in");
    expect([...r.comments.keys()].sort()).toEqual([7, 9]);
  });

  it("one of two pull requests into main unsigned: the head is failure, naming both, counting the missing ones", async () => {
    const r = await check(memoryRepo(addFiling, [signed, sibling({ reviews: [signed.reviews[0]!] })]), { pr: 7 });
    expect(r.result.satisfied).toBe(false);
    expect(r.statuses.at(-1)).toEqual({ sha: HEAD_SHA, state: "failure", description: "#7 #9 审批未齐全：3 项待处理 / 3 items outstanding" });
    expect(r.result.pulls.map((p) => p.evaluation.satisfied)).toEqual([true, false]);
  });

  it("a pull request into another branch with the same head is skipped and has no say in the status", async () => {
    const r = await check(memoryRepo(addFiling, [signed, sibling({ baseRef: "jwc-base", reviews: [] })]), { headSha: HEAD_SHA });
    expect(r.result.skipped).toEqual([{ number: 9, baseRef: "jwc-base" }]);
    expect(r.result.satisfied).toBe(true);
    expect(r.statuses.at(-1)!.description).toBe("审批齐全 / all approvals in");
    expect([...r.comments.keys()]).toEqual([7]);
  });

  it("only pull requests into other branches: nothing judged, no status, not satisfied", async () => {
    const r = await check(memoryRepo(addFiling, [sibling({ baseRef: "jwc-base" })]), { headSha: HEAD_SHA });
    expect(r.result).toEqual({ headSha: HEAD_SHA, pulls: [], skipped: [{ number: 9, baseRef: "jwc-base" }], satisfied: false });
    expect(r.statuses).toEqual([]);
  });

  it("no open pull request heads the commit: nothing judged, no status", async () => {
    const r = await check(memoryRepo(addFiling, [signed]), { headSha: OTHER_HEAD });
    expect(r.result).toEqual({ headSha: OTHER_HEAD, pulls: [], skipped: [], satisfied: false });
    expect(r.statuses).toEqual([]);
  });
});

describe("checkHead: a push or a new base during the check voids the verdict", () => {
  const voided = "PR #7 在检查过程中有了新的提交或改了目标分支，本次结果作废；新的事件会重新检查。";

  it.each<[string, Partial<MemoryPull>]>([
    ["a new commit", { headSha: OTHER_HEAD }],
    ["another base branch", { baseRef: "jwc-base" }],
  ])("%s after the files were read: error, not the verdict on the old files", async (_name, move) => {
    const r = await refused(memoryRepo(addFiling, [signed], { moves: (_n, read) => (read >= 2 ? move : undefined) }));
    expect((r.error as RefusedError).userMessage.zh).toBe(voided);
    expect(states(r)).toEqual(["pending", "error"]);
    expect(r.statuses[1]!.description).toBe("审批检查失败 / approval check failed: PR #7 got a new commit or another base while it was being checked; this result is void, and the new event checks it again.");
    expect(r.comments.size).toBe(0);
  });

  it("a sibling found by its head has moved on by the time it is read: error", async () => {
    const r = await refused(memoryRepo(addFiling, [signed, { ...signed, number: 9 }], { moves: (n) => (n === 9 ? { headSha: OTHER_HEAD } : undefined) }), { headSha: HEAD_SHA });
    expect((r.error as RefusedError).userMessage.zh).toBe(voided.replace("#7", "#9"));
    expect(states(r)).toEqual(["error"]);
  });
});

describe("checkHead: anything unexpected leaves error, never an earlier green", () => {
  it("an error that is not the tool's own says only 'internal error' on the status", async () => {
    const repo = memoryRepo(addFiling, [signed]);
    const forge = memoryForge(repo);
    const port = await forge.portFor(7);
    const error = await checkHead(forge.repo, async () => ({ ...port, reviews: async () => { throw new TypeError("secret detail"); } }), { pr: 7 }, { dryRun: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(forge.written.statuses.at(-1)).toEqual({ sha: HEAD_SHA, state: "error", description: "审批检查失败 / approval check failed: internal error" });
  });

  it("a dry run that fails writes no status", async () => {
    const forge = memoryForge(memoryRepo(addFiling, [{ ...signed, commitCount: 251 }]));
    await expect(checkHead(forge.repo, forge.portFor, { pr: 7 }, { dryRun: true })).rejects.toBeInstanceOf(GitHubApiError);
    expect(forge.written.statuses).toEqual([]);
  });

  it("when even the error status cannot be written, the original error is what the caller gets", async () => {
    const forge = memoryForge(memoryRepo(addFiling, [{ ...signed, baseRef: "jwc-base" }], { statusFails: true }));
    await expect(checkHead(forge.repo, forge.portFor, { pr: 7 }, { dryRun: false })).rejects.toBeInstanceOf(RefusedError);
  });
});
