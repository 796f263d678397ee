/** The preview summary and the merged-PR comment, against the GitHub-shaped server. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli";
import { REPO } from "../helpers/register";
import { useFakeGitHub, type FakeGitHub, type Scenario } from "./fake-server";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "deploy-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const github = useFakeGitHub();

const SHA = "d".repeat(40);
const base: Scenario = {
  owner: "campus", repo: "filings", number: 21, author: "liu-jwc-staff", baseRef: "main", baseSha: "b".repeat(40), headSha: "c".repeat(40),
  trees: {}, files: [{ filename: "filings/jwc/exam-scheduling.yaml", status: "modified" }, { filename: "filings/jwc/timetable.yaml", status: "added" }, { filename: "filings/jwc/grade-archive.yaml", status: "modified" }],
  commits: [], reviews: [], teams: {}, mergedCommits: { [SHA]: [21] },
};

const filing = (s: FakeGitHub, args: string[]) => runCli(args, { cwd: dir, env: { GITHUB_TOKEN: "t", GITHUB_API_URL: s.url } });

const URN = (name: string) => `urn:pulumi:campus-vsphere::server-filings::server-filings:index:FilingServer$vsphere:index/virtualMachine:VirtualMachine::${name}`;

describe("pull-request comments from the workflows", () => {
  it("keeps one preview summary comment, with the gate's verdict", async () => {
    const s = await github.start(base);
    const file = path.join(dir, "preview.json");
    fs.writeFileSync(file, JSON.stringify({ steps: [{ op: "same", urn: "urn:pulumi:campus-vsphere::server-filings::pulumi:pulumi:Stack::server-filings-campus-vsphere" }, { op: "create", urn: URN("jwc-timetable") }, { op: "update", urn: URN("jwc-exam-scheduling") }], changeSummary: { create: 1, update: 1, same: 40 } }));
    const args = ["preview-gate", file, "--root", REPO, "--repo", "campus/filings", "--pr", "21", "--stack", "campus-vsphere"];
    expect((await filing(s, args)).code).toBe(0);
    expect((await filing(s, args)).code).toBe(0);
    expect(s.comments).toHaveLength(1);
    expect(s.comments[0]!.body).toContain("变更统计 Changes: create: 1, update: 1, same: 40");
    expect(s.comments[0]!.body).toContain("| jwc-timetable | create |");
    expect(s.comments[0]!.body).toContain("✓ 预览中没有删除或替换资源的步骤。 The preview deletes or replaces nothing.");
  });

  it("lists each VM of the merged PR's filings with its id, IP and zone", async () => {
    const s = await github.start(base);
    const outputs = path.join(dir, "servers.json");
    fs.writeFileSync(outputs, JSON.stringify({ notDeployed: [], servers: {
      "jwc-exam-scheduling": { department: "jwc", state: "running", platform: "vsphere", platformId: "4213-aaaa", zone: "internal", ip: "10.20.1.10", power: "on" },
      "jwc-timetable": { department: "jwc", state: "running", platform: "vsphere", platformId: "4213-bbbb", zone: "external", ip: "203.0.113.30", power: "on" },
      "xgb-counseling": { department: "xgb", state: "running", platform: "vsphere", platformId: "4213-cccc", zone: "internal", ip: "10.20.1.13", power: "on" },
      "jwc-grade-archive": { department: "jwc", state: "expired", platform: "vsphere", platformId: "4213-dddd", zone: "internal", ip: "10.20.1.11", power: "off" },
    } }));
    const r = await filing(s, ["deployed", "--repo", "campus/filings", "--sha", SHA, "--stack", "campus-vsphere", "--outputs", outputs]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("已在 #21 上列出部署结果");
    const body = s.comments[0]!.body;
    expect(body).toContain("| jwc-exam-scheduling | 4213-aaaa | 10.20.1.10 | 校内网 internal | 在用 in use |");
    expect(body).toContain("| jwc-timetable | 4213-bbbb | 203.0.113.30 | 外网 external | 在用 in use |");
    expect(body).not.toContain("xgb-counseling");
    // An expired vSphere VM is taken off the network, and the comment says so.
    expect(body).toContain("| jwc-grade-archive | 4213-dddd | 10.20.1.11 | 校内网 internal | 已过期（停止服务），网卡已隔离 expired (out of service), NIC quarantined |");
  });

  it("a deploy that went on past one of the PR's filings, and a stack that stopped: both said on the PR, with the run's link", async () => {
    const s = await github.start(base);
    const outputs = path.join(dir, "servers-partial.json");
    fs.writeFileSync(outputs, JSON.stringify({
      servers: { "jwc-exam-scheduling": { department: "jwc", state: "running", platform: "vsphere", platformId: "4213-aaaa", zone: "internal", ip: "10.20.1.10", power: "on" } },
      notDeployed: [{ id: "jwc-timetable", reason: "error cloning virtual machine: *types.DuplicateName" }],
    }));
    const run = "https://github.com/campus/filings/actions/runs/7";
    const r = await filing(s, ["deployed", "--repo", "campus/filings", "--sha", SHA, "--outputs", `campus-vsphere=${outputs}`, "--stopped", "campus-proxmox", "--run-url", run]);
    expect(r.code, r.stderr).toBe(0);
    const body = s.comments[0]!.body;
    expect(body).toContain("## 部分变更没有部署 Not all deployed（campus-vsphere、campus-proxmox）");
    expect(body).toContain("| jwc-exam-scheduling | 4213-aaaa | 10.20.1.10 |");
    expect(body).toContain("- ✗ jwc-timetable（campus-vsphere）：error cloning virtual machine: *types.DuplicateName");
    expect(body).toContain("- 堆栈 campus-proxmox（一个平台站点）：这次部署中止");
    expect(body).toContain(`(${run})`);
  });

  it("an outputs file in another shape (the bare servers object of earlier versions): exit 2, no comment", async () => {
    const s = await github.start(base);
    const outputs = path.join(dir, "servers-bare.json");
    fs.writeFileSync(outputs, JSON.stringify({ "jwc-exam-scheduling": { state: "running", zone: "internal", ip: "10.20.1.10" } }));
    const r = await filing(s, ["deployed", "--repo", "campus/filings", "--sha", SHA, "--outputs", `campus-vsphere=${outputs}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`无法读取堆栈 campus-vsphere 的输出 ${outputs}`);
    expect(s.comments).toEqual([]);
  });

  it("a merged-PR list that is an object: exit 2, no comment", async () => {
    const s = await github.start({ ...base, hostile: [{ match: /^GET \/repos\/campus\/filings\/commits\/[^/]+\/pulls$/, body: { number: 21, merged_at: "2026-11-23T02:00:00Z" } }] });
    const outputs = path.join(dir, "servers-hostile.json");
    fs.writeFileSync(outputs, JSON.stringify({ servers: {}, notDeployed: [] }));
    const r = await filing(s, ["deployed", "--repo", "campus/filings", "--sha", SHA, "--stack", "campus-vsphere", "--outputs", outputs]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("must be array");
    expect(s.comments).toEqual([]);
  });
});
