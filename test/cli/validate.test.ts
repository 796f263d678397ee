import os from "node:os";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runBin } from "../helpers/cli";
import { committedRoot, gitIn } from "../helpers/git";
import { BASE, REPO, TODAY, edit, tempRoot } from "../helpers/register";

function filing(args: string[], cwd = REPO) {
  return runBin([...args, "--today", TODAY], cwd);
}

const root = tempRoot();
fs.writeFileSync(path.join(root, "filings/jwc/bad.yaml"), edit(edit(BASE, "id: jwc-fixture", "id: jwc-bad"), "ports: []", 'ports: ["3128/tcp"]'));
fs.writeFileSync(path.join(root, "filings/jwc/ok.yaml"), edit(edit(BASE, "id: jwc-fixture", "id: jwc-ok"), "10.20.1.200", "10.20.1.201"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe("filing validate", () => {
  it("exits 0 on the sample register and says so in Chinese", () => {
    const r = filing(["validate"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("没有错误");
  });

  it("exits 1 with a located Chinese message on a bad filing", () => {
    const r = filing(["validate", "--root", root]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^filings\/jwc\/bad\.yaml:23:\d+ {2}错误 {2}\[forbidden-port\] {2}端口 3128\/tcp 禁止开放/m);
  });

  it("prints exactly the documented JSON shape, files relative to the root", () => {
    const r = filing(["validate", "--root", root, "--format", "json"]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(["ok", "filings", "problems"]);
    expect(out.ok).toBe(false);
    expect(out.filings).toBe(28);
    // The one error, and the sample register's warning for its justified SSH port.
    expect(out.problems.map((p: { rule: string; severity: string }) => `${p.severity} ${p.rule}`).sort()).toEqual(["error forbidden-port", "warning sensitive-port"]);
    const error = out.problems.find((p: { severity: string }) => p.severity === "error");
    expect(Object.keys(error)).toEqual(["file", "line", "column", "rule", "severity", "message"]);
    expect(error).toMatchObject({ file: "filings/jwc/bad.yaml", line: 23, rule: "forbidden-port", severity: "error" });
  });

  it("prints workflow annotations with --format github, in English with --lang en", () => {
    const r = filing(["validate", "--root", root, "--format", "github", "--lang", "en"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error file=filings\/jwc\/bad\.yaml,line=23,col=\d+,title=forbidden-port::Port 3128\/tcp may not be opened/m);
    expect(r.stdout).toMatch(/^::warning file=filings\/jsj\/online-judge\.yaml,line=\d+,col=\d+,title=sensitive-port::Approvers, note/m);
  });

  it("reports only the paths it is given, still checking against the whole register", () => {
    const ok = filing(["validate", "--root", root, "--format", "json", path.join(root, "filings/jwc/ok.yaml")]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ ok: true, filings: 1, problems: [] });
    const folder = filing(["validate", "--format", "json", "filings/jwc"], root);
    expect(JSON.parse(folder.stdout)).toMatchObject({ ok: false, filings: 5 });
  });

  it("exits 2 on bad usage", () => {
    expect(filing(["validate", "--format", "xml"]).code).toBe(2);
    expect(filing(["validate", "--no-such-flag"]).code).toBe(2);
    expect(filing(["frobnicate"]).code).toBe(2);
    const missing = filing(["validate", "filings/jwc/nope.yaml"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("不存在");
    const notRoot = filing(["validate", "--root", "/tmp", "--lang", "en"]);
    expect(notRoot.code).toBe(2);
    expect(notRoot.stderr).toContain("is not a register root");
  });

  it("exits 1 when the institution config is broken, naming the config file", () => {
    const broken = tempRoot();
    fs.writeFileSync(path.join(broken, "policies/limits.yaml"), "perVm: {}\n");
    const r = filing(["validate", "--root", broken, "--format", "json"]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).problems[0].file).toBe("policies/limits.yaml");
    fs.rmSync(broken, { recursive: true, force: true });
  });
});

describe("filing validate and the change under review", () => {
  const { repo, git } = committedRoot("register");
  afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));
  const ended = edit(edit(BASE, "start: 2026-09-01", "start: 2025-06-01"), "10.20.1.200", "10.20.1.201");

  it("holds a file not yet committed to what a new application must meet (an ended period is an error)", () => {
    fs.writeFileSync(path.join(repo, "filings/jwc/late.yaml"), edit(ended, "id: jwc-fixture", "id: jwc-late"));
    const r = filing(["validate"], repo);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^filings\/jwc\/late\.yaml:\d+:\d+ {2}错误 {2}\[period-expired\] {2}这是一份新备案/m);
    git("add", "-A");
    git("commit", "-q", "-m", "late filing");
    // Once on the base, the same ended period is a renewal reminder, not an error.
    expect(filing(["validate"], repo).code).toBe(0);
  });

  it("after a department commits in its clone, the change is what it committed on top of the school's branch: only the new filing is told to move off a taken IP", () => {
    const clone = fs.mkdtempSync(path.join(os.tmpdir(), "filings-clone-"));
    try {
      gitIn(os.tmpdir())(["clone", "-q", repo, clone]);
      const taken = edit(edit(BASE, "id: jwc-fixture", "id: jwc-copy"), "10.20.1.200", "10.20.1.10");
      fs.writeFileSync(path.join(clone, "filings/jwc/copy.yaml"), taken);
      gitIn(clone)(["add", "-A"]);
      gitIn(clone)(["commit", "-q", "-m", "new filing"]);
      const r = filing(["validate", "--format", "json"], clone);
      expect(r.code).toBe(1);
      const unique = (JSON.parse(r.stdout) as { problems: { file: string; rule: string; message: string }[] }).problems.filter((p) => p.rule === "ip-unique");
      expect(unique.map((p) => p.file)).toEqual(["filings/jwc/copy.yaml"]);
      expect(unique[0]!.message).toBe("IP 地址 10.20.1.10 已被 filings/jwc/exam-scheduling.yaml 使用。每个地址全校只能登记一次：请改用其他空闲地址，例如 10.20.1.25。");
      // Another department's warning (jsj opens SSH to its VPN) is counted, not listed as this department's.
      const plain = filing(["validate"], clone);
      expect(plain.stdout).not.toContain("filings/jsj/online-judge.yaml");
      expect(plain.stdout).toMatch(/（另有 \d+ 个警告属于本次未修改的其他备案，未列出；运行 node scripts\/filing\.js validate filings\/ 可查看全部。）/);
      expect(filing(["validate", "filings/"], clone).stdout).toContain("filings/jsj/online-judge.yaml");
    } finally {
      fs.rmSync(clone, { recursive: true, force: true });
    }
  });

  it("--changed-since reports the filings changed since the ref, and refuses a ref that is no commit", () => {
    fs.writeFileSync(path.join(repo, "filings/jwc/again.yaml"), edit(edit(ended, "id: jwc-fixture", "id: jwc-again"), "10.20.1.201", "10.20.1.202"));
    const r = filing(["validate", "--changed-since", "HEAD", "--format", "json"], repo);
    expect(r.code).toBe(1);
    const files = new Set((JSON.parse(r.stdout) as { problems: { file: string }[] }).problems.map((p) => p.file));
    expect([...files]).toEqual(["filings/jwc/again.yaml"]);
    for (const ref of ["--output=/tmp/x", "no-such-branch"]) {
      const bad = filing(["validate", "--changed-since", ref], repo);
      expect(bad.code, ref).toBe(2);
      expect(bad.stderr, ref).toContain(`--changed-since 的值 "${ref}" 不是本仓库中的提交或分支`);
    }
  });
});
