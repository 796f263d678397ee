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
import { JWC, TEAMS, addFiling, review, scenario } from "./scenarios";

// main: the last deploy, then PR #7 merged (a merge commit), then a direct push.
const { repo, git } = committedRoot("register at the last deploy");
afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));
const deployed = git("rev-parse", "HEAD");
git("checkout", "-q", "-b", "jwc-fixture");
fs.copyFileSync(path.join(__dirname, "../fixtures/filings/valid/fixture.yaml"), path.join(repo, "filings/jwc/fixture.yaml"));
git("add", "-A");
git("commit", "-q", "-m", "jwc: fixture");
git("checkout", "-q", "main");
git("merge", "-q", "--no-ff", "-m", "Merge pull request #7 from campus/jwc-fixture", "jwc-fixture");
const merged = git("rev-parse", "HEAD");

const github = useFakeGitHub();

async function reverify(s: Scenario, since = deployed) {
  const server = await github.start(s);
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

  it("refuses a --since that is not a commit", async () => {
    const r = await reverify(scenario(addFiling), "--all");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("不是本仓库中的提交");
  });
});
