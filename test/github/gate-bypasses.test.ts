/**
 * The approval gate's bypasses found by the second outside review (issue 29), each as the attacker
 * staged it, against a GitHub-shaped server that serves several pull requests on one head and cuts its
 * lists where GitHub does (3000 files, 250 commits). Each hostile pull request is otherwise in order,
 * so it fails for the one reason it is named for.
 */
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli";
import { BASE, edit } from "../helpers/register";
import { useFakeGitHub, type FakeGitHub, type Scenario, type ScenarioPull } from "./fake-server";
import { ALL_FOUR, BASE_SHA, EXAM, HEAD_SHA, INFO, JWC, NEW_FILE, SECURITY, TREE, addFiling, review, scenario } from "./scenarios";

const github = useFakeGitHub();

/** A branch the attacker pushed, and the commit it points at. */
const ATTACKER_BRANCH = "jwc-base";
const ATTACKER_SHA = "d".repeat(40);
/** Where a push during the check moves the head. */
const PUSHED_SHA = "e".repeat(40);

/** approvals.yaml with a new server needing the department head alone. */
const LOOSE_APPROVALS = edit(TREE["policies/approvals.yaml"]!, "new: [departmentHead, schoolLeader, informationCenterHead, securityLeader]", "new: [departmentHead]");

async function approvals(s: Scenario, args: string[]): Promise<{ code: number; stdout: string; stderr: string; server: FakeGitHub }> {
  const server = await github.start(s);
  const r = await runCli(["approvals", "--repo", "campus/filings", ...args], { env: { GITHUB_TOKEN: "t", GITHUB_API_URL: server.url } });
  return { ...r, server };
}

/** Another pull request of the same repository with the same head commit. */
function sibling(number: number, extra: Partial<ScenarioPull>): ScenarioPull {
  return {
    number,
    author: JWC.staff,
    baseRef: "main",
    baseSha: BASE_SHA,
    headSha: HEAD_SHA,
    files: [{ filename: NEW_FILE, status: "added" }],
    commits: [{ sha: HEAD_SHA, author: JWC.staff, committer: JWC.staff }],
    reviews: [],
    ...extra,
  };
}

/** The attacker's branch already holds the new filing (or a loosened rule), as a branch and as a commit. */
function withAttackerBranch(s: Scenario, tree: Record<string, string>): Scenario {
  return { ...s, branches: { [ATTACKER_BRANCH]: ATTACKER_SHA }, trees: { ...s.trees, [ATTACKER_BRANCH]: tree, [ATTACKER_SHA]: tree } };
}

const states = (server: FakeGitHub) => server.statuses.map((x) => x.state);

describe("finding 1: a green status for one pull request can come from another", () => {
  it("a sibling PR into the attacker's branch, whose base already holds the new server, approved for a one-line remark: the status stays red", async () => {
    // PR #7 (into main) adds a server and has one signature of four; PR #8 (same head) differs from
    // its base only by a remark, which the department head honestly approves.
    const remarkOnly = { ...TREE, [NEW_FILE]: BASE.replace(/^remarks: .*$/m, "remarks: 旧备注") };
    const s = withAttackerBranch(
      scenario(addFiling, {
        reviews: [review(JWC.head)],
        pulls: [sibling(8, { baseRef: ATTACKER_BRANCH, baseSha: ATTACKER_SHA, files: [{ filename: NEW_FILE, status: "modified" }], reviews: [review(JWC.head)] })],
      }),
      remarkOnly,
    );
    const r = await approvals(s, ["--head-sha", HEAD_SHA]);
    expect(r.code).toBe(1);
    expect(states(r.server)).toEqual(["pending", "failure"]);
    expect(r.stdout).toContain(`PR #8 的目标分支是 ${ATTACKER_BRANCH}，不是默认分支，不判断，也不影响状态`);
    expect(r.server.comments.map((c) => c.issue)).toEqual([7]);
  });

  it("a sibling PR into a branch whose approvals.yaml is loosened: judged by nothing but main's rules", async () => {
    const loose = { ...TREE, "policies/approvals.yaml": LOOSE_APPROVALS };
    const s = withAttackerBranch(
      scenario(addFiling, { reviews: [review(JWC.head)], pulls: [sibling(8, { baseRef: ATTACKER_BRANCH, baseSha: ATTACKER_SHA, reviews: [review(JWC.head)] })] }),
      loose,
    );
    const r = await approvals(s, ["--head-sha", HEAD_SHA]);
    expect(r.code).toBe(1);
    expect(states(r.server)).toEqual(["pending", "failure"]);
  });

  it("one PR opened against the attacker's branch and relayed by a review: nothing is judged, no status is set", async () => {
    const loose = { ...TREE, "policies/approvals.yaml": LOOSE_APPROVALS };
    const s = withAttackerBranch(scenario(addFiling, { baseRef: ATTACKER_BRANCH, baseSha: ATTACKER_SHA, reviews: [review(JWC.head)] }), loose);
    const r = await approvals(s, ["--head-sha", HEAD_SHA]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("无需判断");
    expect(r.server.statuses).toEqual([]);
  });

  it("the same PR asked for by number: refused with an error status, never success", async () => {
    const loose = { ...TREE, "policies/approvals.yaml": LOOSE_APPROVALS };
    const s = withAttackerBranch(scenario(addFiling, { baseRef: ATTACKER_BRANCH, baseSha: ATTACKER_SHA, reviews: [review(JWC.head)] }), loose);
    const r = await approvals(s, ["--pr", "7"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`PR #7 的目标分支是 ${ATTACKER_BRANCH}，不是默认分支 main`);
    expect(states(r.server)).toEqual(["error"]);
  });

  it("two PRs into main on one head, one fully signed and one not: the head is green only when both are", async () => {
    const s = scenario(addFiling, { reviews: ALL_FOUR(), pulls: [sibling(9, {})] });
    const r = await approvals(s, ["--pr", "7", "--format", "json"]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).satisfied).toBe(true); // PR #7's own evaluation
    expect(states(r.server)).toEqual(["pending", "failure"]);
    expect(r.server.statuses[1]!.description).toContain("#7 #9");
    const signed = await approvals({ ...s, pulls: [sibling(9, { reviews: ALL_FOUR() })] }, ["--pr", "7"]);
    expect(signed.code).toBe(0);
    expect(states(signed.server)).toEqual(["pending", "success"]);
  });

  it("the rules come from the default branch's commit, not from a tag that is also called main", async () => {
    // refs/tags/main carries loosened rules; `?ref=main` would have read them.
    const s = scenario(addFiling, { reviews: [review(JWC.head)] });
    const r = await approvals({ ...s, trees: { ...s.trees, main: { ...TREE, "policies/approvals.yaml": LOOSE_APPROVALS } } }, ["--pr", "7"]);
    expect(r.code).toBe(1);
    expect(states(r.server)).toEqual(["pending", "failure"]);
  });

  it("a push while the check runs: the old head gets an error, never a verdict on the new file list", async () => {
    const s = scenario(addFiling, { push: { after: /\/pulls\/7\/reviews$/, number: 7, to: PUSHED_SHA } });
    const r = await approvals(s, ["--pr", "7"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("PR #7 在检查过程中有了新的提交或改了目标分支");
    expect(r.server.statuses).toEqual([expect.objectContaining({ sha: HEAD_SHA, state: "pending" }), expect.objectContaining({ sha: HEAD_SHA, state: "error" })]);
  });
});

describe("found by this round's attacker review", () => {
  it("a review withdrawn on a pull request from a fork is judged: the head turns red (GitHub lists no pull request for a commit that lives only in the fork)", async () => {
    const s = scenario(addFiling, {
      reviews: [...ALL_FOUR(), review(JWC.head, "CHANGES_REQUESTED")],
      hostile: [{ match: new RegExp(`^GET /repos/campus/filings/commits/${HEAD_SHA}/pulls$`), body: [] }],
    });
    const r = await approvals(s, ["--head-sha", HEAD_SHA]);
    expect(r.code).toBe(1);
    expect(states(r.server)).toEqual(["pending", "failure"]);
  });
});

describe("a filing replaced by a symbolic link (found by the attacker review)", () => {
  it("is not read through the link: the register reads no links, so it is a deleted filing, refused", async () => {
    // GitHub's contents API serves the link's target as the file; only the folder's listing says symlink.
    const s = scenario(
      { files: [{ filename: EXAM, status: "modified" }, { filename: "docs/exam.yaml", status: "added" }], head: { "docs/exam.yaml": TREE[EXAM]! } },
      { reviews: [review(JWC.head), review(INFO), review(SECURITY)], links: { [HEAD_SHA]: { [EXAM]: "docs/exam.yaml" } } },
    );
    const r = await approvals(s, ["--pr", "7", "--format", "json"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${EXAM}：文件不是有效的备案，无法判断变更类型`);
    expect(states(r.server)).toEqual(["pending", "failure"]);
  });
});

describe("found by the second attacker review", () => {
  const SEAT = "filings/tsg/seat-booking.yaml"; // decommissioned
  const back = TREE[SEAT]!.replace("status: decommissioned", "status: active").replace(/decommission:\n(  .*\n)+/, "").replace(/cpu: \d+/, "cpu: 16");
  const reactivate = (hostile: Scenario["hostile"]) =>
    scenario({ files: [{ filename: SEAT, status: "modified" }], head: { [SEAT]: back } }, {
      author: "lu-tsg-staff", commits: [{ sha: HEAD_SHA, author: "lu-tsg-staff", committer: "lu-tsg-staff" }], reviews: [review(INFO)], hostile,
    });

  it("a folder GitHub lists only in part (1000 entries) is not trusted: a reactivated filing past the list never reads as a deletion", async () => {
    const thousand = Array.from({ length: 1000 }, (_, i) => ({ name: `a${String(i).padStart(4, "0")}.yaml`, type: "file" }));
    const r = await approvals(reactivate([{ match: /^GET \/repos\/campus\/filings\/contents\/filings(%2F|\/)tsg$/, body: thousand }]), ["--pr", "7"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("filings/tsg 在 ccccccc 中有 1000 个以上的条目");
    expect(states(r.server)).toEqual(["pending", "error"]);
  });

  it("a changed filing missing from its folder's listing reads as unreadable, not deleted", async () => {
    const r = await approvals(reactivate([{ match: /^GET \/repos\/campus\/filings\/contents\/filings(%2F|\/)tsg$/, body: [{ name: "other.yaml", type: "file" }] }]), ["--pr", "7", "--format", "json"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${SEAT}：文件不是有效的备案`);
  });

  it("a run for an older event leaves a pull request that moved on to the newer event's run (the concurrency group is the event's head)", async () => {
    const s = scenario(addFiling, { push: { after: /^GET \/repos\/campus\/filings$/, number: 7, to: PUSHED_SHA }, reviews: ALL_FOUR().map((x) => ({ ...x, commit: PUSHED_SHA })) });
    const r = await approvals(s, ["--pr", "7", "--expect-head", HEAD_SHA]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("PR #7 已有更新的提交 eeeeeee");
    expect(r.server.statuses).toEqual([]);
  });
});

describe("finding 2: files past GitHub's 3000th are never judged", () => {
  // 3000 changes to protected paths that the two school roles sign; then, unlisted, another
  // department's server turned external and a change to the program.
  const padding = Array.from({ length: 3000 }, (_, i) => ({ filename: `docs/notes/${String(i).padStart(4, "0")}.md`, status: "added" as const }));
  const hidden = [{ filename: "filings/xgb/scholarship.yaml", status: "modified" as const }, { filename: "stacks/program.ts", status: "modified" as const }];

  it("a PR of 3002 files, of which GitHub lists 3000: refused with the reason, error status", async () => {
    const s = scenario({ files: [...padding, ...hidden], head: {} }, { author: "ops-engineer", commits: [{ sha: HEAD_SHA, author: "ops-engineer", committer: "ops-engineer" }], reviews: [review(INFO), review(SECURITY)] });
    const r = await approvals(s, ["--pr", "7"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("PR #7 修改了 3002 个文件，GitHub 只列出了 3000 个");
    expect(states(r.server)).toEqual(["pending", "error"]);
  });

  it("exactly 3000 files, all listed: judged as usual", async () => {
    const s = scenario({ files: padding, head: {} }, { author: "ops-engineer", commits: [{ sha: HEAD_SHA, author: "ops-engineer", committer: "ops-engineer" }], reviews: [review(INFO), review(SECURITY)] });
    const r = await approvals(s, ["--pr", "7"]);
    expect(r.code).toBe(0);
    expect(states(r.server)).toEqual(["pending", "success"]);
  });
});

describe("an author who files for no department", () => {
  it("may not change a department's filing, however it is signed", async () => {
    const phone = { files: [{ filename: EXAM, status: "modified" as const }], head: { [EXAM]: edit(TREE[EXAM]!, 'phone: "13800138000"', 'phone: "13800138001"') } };
    const s = scenario(phone, { author: "stranger", commits: [{ sha: HEAD_SHA, author: "stranger", committer: "stranger" }], reviews: ALL_FOUR() });
    const r = await approvals(s, ["--pr", "7", "--format", "json", "--dry-run"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("提交人 stranger 不在任何部门的成员名单（departments.yaml 的 members）中");
  });
});
