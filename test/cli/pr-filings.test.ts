/**
 * `filing pr-filings`: the credentialed preview takes a pull request's filings as data into a base
 * checkout, and nothing else. Each case is a real branch in a temporary repository.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli";
import { committedRoot } from "../helpers/git";
import { BASE, edit } from "../helpers/register";
import { REPOSITORY_ONLY, useFakeGitHub } from "../github/fake-server";

const { repo, git } = committedRoot("base");
afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));
const base = git("rev-parse", "HEAD");

/** A branch from base that `change` makes; returns its head, with main checked out again. */
function branch(name: string, change: () => void): string {
  git("checkout", "-q", "-b", name, base);
  change();
  git("add", "-A");
  git("commit", "-q", "-m", name);
  const head = git("rev-parse", "HEAD");
  git("checkout", "-q", "main");
  return head;
}
const write = (rel: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(repo, rel)), { recursive: true });
  fs.writeFileSync(path.join(repo, rel), text);
};

const take = (head: string) => runCli(["pr-filings", "--base", base, "--head", head, "--root", repo], { cwd: repo });

describe("filing pr-filings", () => {
  it("takes added, modified and deleted filings into the base checkout, as data", async () => {
    const head = branch("data", () => {
      write("filings/jwc/fixture.yaml", BASE);
      write("filings/jwc/exam-scheduling.yaml", edit(fs.readFileSync(path.join(repo, "filings/jwc/exam-scheduling.yaml"), "utf8"), "cpu: 4", "cpu: 6"));
      fs.rmSync(path.join(repo, "filings/tsg/seat-booking.yaml"));
    });
    const r = await take(head);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(repo, "filings/jwc/fixture.yaml"), "utf8")).toBe(BASE);
    expect(fs.readFileSync(path.join(repo, "filings/jwc/exam-scheduling.yaml"), "utf8")).toContain("cpu: 6");
    expect(fs.existsSync(path.join(repo, "filings/tsg/seat-booking.yaml"))).toBe(false);
    // The checkout stays on base: only the work tree's filings changed.
    expect(git("rev-parse", "HEAD")).toBe(base);
    git("checkout", "-q", "--", ".");
    git("clean", "-qfd");
  });

  const refused: [string, () => void, string][] = [
    ["a change to the program", () => write("stacks/program.ts", "export {}\n"), "stacks/program.ts 不是备案文件"],
    ["a change to package.json", () => write("package.json", "{}\n"), "package.json 不是备案文件"],
    ["a change to the filing schema", () => write("filings/filing.schema.json", "{}\n"), "filings/filing.schema.json 不是备案文件"],
    ["a workflow", () => write(".github/workflows/x.yml", "on: push\n"), ".github/workflows/x.yml 不是备案文件"],
    ["a filing that is a symbolic link", () => fs.symlinkSync("/etc/passwd", path.join(repo, "filings/jwc/link.yaml")), "filings/jwc/link.yaml 不是普通文件（模式 120000"],
    ["an executable filing", () => { write("filings/jwc/run.yaml", BASE); fs.chmodSync(path.join(repo, "filings/jwc/run.yaml"), 0o755); }, "模式 100755"],
  ];

  it.each(refused)("refuses %s and touches nothing", async (name, change, says) => {
    const head = branch(`bad-${refused.findIndex((c) => c[0] === name)}`, () => {
      write("filings/jwc/fixture.yaml", BASE);
      change();
    });
    const r = await take(head);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(says);
    expect(fs.existsSync(path.join(repo, "filings/jwc/fixture.yaml"))).toBe(false);
    expect(git("status", "--porcelain")).toBe("");
  });

  it("refuses a head that was not fetched", async () => {
    const r = await take("f".repeat(40));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("git fetch origin pull/<编号>/head");
  });

  it("takes what the PR changed since it branched, not what main changed since (base...head)", async () => {
    const head = branch("behind", () => write("filings/jwc/fixture.yaml", BASE));
    // main moves on after the PR branched: a workflow and a filing change that the PR does not have.
    write(".github/workflows/new.yml", "on: push\n");
    write("filings/jwc/grade-archive.yaml", edit(fs.readFileSync(path.join(repo, "filings/jwc/grade-archive.yaml"), "utf8"), "cpu: 4", "cpu: 8"));
    git("add", "-A");
    git("commit", "-q", "-m", "main moves on");
    const main = git("rev-parse", "HEAD");
    try {
      const r = await runCli(["pr-filings", "--base", main, "--head", head, "--root", repo], { cwd: repo });
      expect(r.code).toBe(0);
      expect(fs.readFileSync(path.join(repo, "filings/jwc/grade-archive.yaml"), "utf8")).toContain("cpu: 8");
      expect(fs.existsSync(path.join(repo, "filings/jwc/fixture.yaml"))).toBe(true);
    } finally {
      git("reset", "-q", "--hard", base);
      git("clean", "-qfd");
    }
  });

  const github = useFakeGitHub();
  it("says on the pull request why there is no credentialed preview", async () => {
    const head = branch("code", () => write("lib/evil.ts", "export {}\n"));
    const s = await github.start({ ...REPOSITORY_ONLY, number: 7 });
    const r = await runCli(["pr-filings", "--base", base, "--head", head, "--root", repo, "--repo", "campus/filings", "--pr", "7"], { cwd: repo, env: { GITHUB_TOKEN: "t", GITHUB_API_URL: s.url } });
    expect(r.code).toBe(1);
    expect(s.comments).toHaveLength(1);
    expect(s.comments[0]!.body).toContain("<!-- filings/preview -->");
    expect(s.comments[0]!.body).toContain("lib/evil.ts 不是备案文件");
    expect(s.comments[0]!.body).toContain("never meets them");
  });
});
