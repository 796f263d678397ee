/**
 * `filing reverify` — the deploy job's re-check — against the GitHub-shaped server, over a real git
 * history: every change on main since the last deploy must come from a pull request that satisfies
 * the approval chain now, whatever status it carried when it was merged.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli";
import { committedRoot } from "../helpers/git";
import { useFakeGitHub, type Scenario } from "./fake-server";
import { HEAD_SHA, INFO, JWC, SECURITY, TEAMS, addFiling, review, scenario } from "./scenarios";

// main: the last deploy, then PR #7 merged (a merge commit), then a direct push.
const { repo, git } = committedRoot("register at the last deploy");
afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));
const deployed = git("rev-parse", "HEAD");
git("checkout", "-q", "-b", "jwc-fixture");
fs.copyFileSync(path.join(__dirname, "../fixtures/filings/valid/fixture.yaml"), path.join(repo, "filings/jwc/fixture.yaml"));
git("add", "-A");
git("commit", "-q", "-m", "jwc: fixture");
const prHead = git("rev-parse", "HEAD");
git("checkout", "-q", "main");
git("merge", "-q", "--no-ff", "-m", "Merge pull request #7 from campus/jwc-fixture", "jwc-fixture");
const merged = git("rev-parse", "HEAD");

const github = useFakeGitHub();

/** The scenario's pull request with `head` (a commit of this repository) as its head, its commits and reviews on it. */
function onHead(s: Scenario, head: string): Scenario {
  const at = (sha: string | null) => (sha === HEAD_SHA ? head : sha);
  return { ...s, headSha: head, commits: s.commits.map((c) => ({ ...c, sha: at(c.sha)! })), reviews: s.reviews.map((r) => ({ ...r, commit: at(r.commit) })) };
}

async function reverify(s: Scenario, since = deployed, head = prHead) {
  const server = await github.start(onHead(s, head));
  const r = await runCli(["reverify", "--repo", "campus/filings", "--since", since, "--root", repo], { cwd: repo, env: { GITHUB_TOKEN: "t", GITHUB_API_URL: server.url } });
  return { ...r, server };
}

describe("filing reverify", () => {
  it("passes when every change since the last deploy came through a satisfied pull request", async () => {
    const r = await reverify(scenario(addFiling, { mergedCommits: { [merged]: [7] } }));
    expect(r.stdout).toContain("✓ #7：审批齐全");
    expect(r.code).toBe(0);
    expect(r.server.issues).toEqual([]);
  });

  it("refuses a merged pull request whose signatures are not complete now (a forged green status), and opens one issue", async () => {
    // Only the two department roles signed; a rogue workflow had set filings/approval to success.
    const s = scenario(addFiling, { mergedCommits: { [merged]: [7] }, reviews: [review(JWC.head), review(JWC.leader)] });
    const r = await reverify(s);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("✗ #7：审批不完整");
    expect(r.server.issues).toHaveLength(1);
    expect(r.server.issues[0]!.labels).toEqual(["filings-deploy-blocked"]);
    expect(r.server.issues[0]!.title).toContain("#7");
    expect(r.server.statuses).toEqual([]);
  });

  it("refuses a pull request signed by someone who has since left the role's team (membership checked live)", async () => {
    const s = scenario(addFiling, { mergedCommits: { [merged]: [7] }, teams: { ...TEAMS, "campus/info-center-heads": [] } });
    const r = await reverify(s);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("✗ #7");
  });

  it("refuses a filing change pushed to main without a pull request, naming the commit", async () => {
    fs.writeFileSync(path.join(repo, "filings/jwc/fixture.yaml"), fs.readFileSync(path.join(repo, "filings/jwc/fixture.yaml"), "utf8").replace("cpu: 4", "cpu: 16"));
    git("commit", "-q", "-am", "jwc: more CPU, pushed straight to main");
    const direct = git("rev-parse", "HEAD");
    try {
      const r = await reverify(scenario(addFiling, { mergedCommits: { [merged]: [7] } }));
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(`✗ ${direct.slice(0, 7)} “jwc: more CPU, pushed straight to main”：没有经过 PR`);
      expect(r.server.issues[0]!.body).toContain(direct.slice(0, 7));
    } finally {
      git("reset", "-q", "--hard", merged);
    }
  });

  it("closes the blocked-deploy issue once the re-check passes", async () => {
    const s = scenario(addFiling, {
      mergedCommits: { [merged]: [7] },
      issues: [{ number: 40, title: "[部署已阻止 deploy blocked] #7", body: "<!-- filings/deploy-blocked -->\nold", labels: ["filings-deploy-blocked"] }],
    });
    const r = await reverify(s);
    expect(r.code).toBe(0);
    expect(r.server.issues[0]!.state).toBe("closed");
  });

  /** A merge of `branch` into main made here, then undone after `check`. */
  async function merging(branch: () => void, inMerge: () => void, check: (mergeCommit: string, head: string) => Promise<void>) {
    git("checkout", "-q", "-b", "pr-under-test");
    branch();
    git("add", "-A");
    git("commit", "-q", "-m", "the pull request's commit");
    const head = git("rev-parse", "HEAD");
    git("checkout", "-q", "main");
    git("merge", "-q", "--no-ff", "--no-commit", "pr-under-test");
    inMerge();
    git("add", "-A");
    git("commit", "-q", "-m", "Merge pull request #7");
    try {
      await check(git("rev-parse", "HEAD"), head);
    } finally {
      git("reset", "-q", "--hard", merged);
      git("branch", "-q", "-D", "pr-under-test");
    }
  }
  const exam = path.join(repo, "filings/jwc/exam-scheduling.yaml");
  const scholarship = path.join(repo, "filings/xgb/scholarship.yaml");

  it("judges what the merge commit brought to main, not the pull request's file list: an edit made in the merge itself is refused", async () => {
    // The pull request changes a phone number (the department head alone signs it); whoever merged
    // also turned another department's server external in the merge commit.
    await merging(
      () => fs.writeFileSync(exam, fs.readFileSync(exam, "utf8").replace('phone: "13800138000"', 'phone: "13800138001"')),
      () => fs.writeFileSync(scholarship, fs.readFileSync(scholarship, "utf8").replace("cpu: 2", "cpu: 8")),
      async (mergeCommit, head) => {
        const s = scenario({ files: [{ filename: "filings/jwc/exam-scheduling.yaml", status: "modified" }], head: {} }, { mergedCommits: { [mergeCommit]: [7] }, reviews: [review(JWC.head)] });
        const r = await reverify(s, merged, head);
        expect(r.code).toBe(1);
        expect(r.stdout).toContain("✗ #7：审批不完整");
        expect(r.stdout).toContain("合并提交改动的内容与 PR 批准时的最新提交");
        expect(r.stdout).toContain("filings/xgb/scholarship.yaml");
      },
    );
  });

  it("judges every file of a merge whose list GitHub would cut at 3000, from git", async () => {
    // 3000 notes the two school roles sign, and past them another department's server changed.
    await merging(
      () => {
        fs.mkdirSync(path.join(repo, "docs/notes"), { recursive: true });
        for (let i = 0; i < 3000; i++) fs.writeFileSync(path.join(repo, `docs/notes/${String(i).padStart(4, "0")}.md`), `${i}\n`);
        fs.writeFileSync(scholarship, fs.readFileSync(scholarship, "utf8").replace("cpu: 2", "cpu: 8"));
      },
      () => undefined,
      async (mergeCommit, head) => {
        const padding = Array.from({ length: 3000 }, (_, i) => ({ filename: `docs/notes/${String(i).padStart(4, "0")}.md`, status: "added" as const }));
        const s = scenario({ files: [...padding, { filename: "filings/xgb/scholarship.yaml", status: "modified" }], head: {} }, {
          author: "ops-engineer", commits: [{ sha: HEAD_SHA, author: "ops-engineer", committer: "ops-engineer" }], mergedCommits: { [mergeCommit]: [7] }, reviews: [review(INFO), review(SECURITY)],
        });
        const r = await reverify(s, merged, head);
        expect(r.code).toBe(1);
        expect(r.stdout).toContain("缺少使用部门负责人的批准");
      },
    );
  });

  it("refuses edits made in the merge commit even where the pull request's signers hold every role they need (rules, workflows, code)", async () => {
    // A fully signed new filing, merged by hand with a loosened approvals.yaml, a new workflow and more CPU elsewhere.
    const approvals = path.join(repo, "policies/approvals.yaml");
    await merging(
      () => fs.writeFileSync(path.join(repo, "filings/jwc/extra.yaml"), fs.readFileSync(path.join(__dirname, "../fixtures/filings/valid/fixture.yaml"), "utf8").replace("id: jwc-fixture", "id: jwc-extra")),
      () => {
        fs.writeFileSync(approvals, fs.readFileSync(approvals, "utf8").replace("new: [departmentHead, schoolLeader, informationCenterHead, securityLeader]", "new: [departmentHead]"));
        fs.mkdirSync(path.join(repo, ".github/workflows"), { recursive: true });
        fs.writeFileSync(path.join(repo, ".github/workflows/deploy.yml"), "name: Deploy\non: push\njobs: {}\n");
        fs.writeFileSync(exam, fs.readFileSync(exam, "utf8").replace(/cpu: \d+/, "cpu: 32"));
      },
      async (mergeCommit, head) => {
        const s = scenario({ files: [{ filename: "filings/jwc/extra.yaml", status: "added" }], head: {} }, { mergedCommits: { [mergeCommit]: [7] } });
        const r = await reverify(s, merged, head);
        expect(r.code).toBe(1);
        expect(r.stdout).toContain(".github/workflows/deploy.yml, filings/jwc/exam-scheduling.yaml, policies/approvals.yaml");
      },
    );
  });

  it("refuses a merge of an out-of-date branch that puts back what main changed since (found by a second attacker review)", async () => {
    // #7 is a README typo fix signed by the information center and security, branched before main's
    // approvals.yaml was tightened; merged by hand with the branch's tree, it would undo the tightening.
    const approvals = path.join(repo, "policies/approvals.yaml");
    git("checkout", "-q", "-b", "typo", merged);
    fs.writeFileSync(path.join(repo, "README.md"), "typo fixed\n");
    git("add", "-A");
    git("commit", "-q", "-m", "README typo");
    const typo = git("rev-parse", "HEAD");
    git("checkout", "-q", "main");
    fs.writeFileSync(approvals, fs.readFileSync(approvals, "utf8").replace("metadata: [departmentHead]", "metadata: [departmentHead, informationCenterHead]"));
    git("commit", "-q", "-am", "tighten (a signed change on main)");
    const tightened = git("rev-parse", "HEAD");
    git("merge", "-q", "--no-ff", "--no-commit", "typo");
    git("checkout", typo, "--", ".");
    git("add", "-A");
    git("commit", "-q", "-m", "Merge pull request #7");
    const mergeCommit = git("rev-parse", "HEAD");
    try {
      const s = scenario({ files: [{ filename: "README.md", status: "added" }], head: {} }, {
        author: "ops-engineer", commits: [{ sha: HEAD_SHA, author: "ops-engineer", committer: "ops-engineer" }], mergedCommits: { [mergeCommit]: [7] }, reviews: [review(INFO), review(SECURITY)],
      });
      const r = await reverify(s, tightened, typo);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain("合并提交改动的内容与 PR 批准时的最新提交");
      expect(r.stdout).toContain("policies/approvals.yaml");
      expect(r.stdout).not.toContain("README.md");
    } finally {
      git("reset", "-q", "--hard", merged);
      git("branch", "-q", "-D", "typo");
    }
  });

  it("refuses a merge it cannot compare with the approved head (the pull request's head not fetched)", async () => {
    const r = await reverify(scenario(addFiling, { mergedCommits: { [merged]: [7] } }), deployed, "f".repeat(40));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("本地仓库中没有 PR 的最新提交 fffffff");
  });

  it("refuses a pull request that was merged into another branch", async () => {
    const r = await reverify(scenario(addFiling, { baseRef: "release", mergedCommits: { [merged]: [7] } }));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("PR 合并到了 release，不是默认分支 main");
  });

  it("refuses to deploy a commit older than the last deploy (an old run started again)", async () => {
    // The tag is at the merge; the commit being deployed is the one before it.
    git("checkout", "-q", deployed);
    try {
      const s = await github.start(scenario(addFiling, { mergedCommits: { [merged]: [7] } }));
      const r = await runCli(["reverify", "--repo", "campus/filings", "--since", merged, "--root", repo], { cwd: repo, env: { GITHUB_TOKEN: "t", GITHUB_API_URL: s.url } });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("这是一次过时的部署");
    } finally {
      git("checkout", "-q", "main");
    }
  });

  it("refuses a --since that is not a commit", async () => {
    const r = await reverify(scenario(addFiling), "--all");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("不是本仓库中的提交");
  });
});
