import { describe, expect, it } from "vitest";
import { deployedComment, parseUpOutputs } from "../../lib/output/deploy";

const row = (platformId: string, ip: string, zone = "internal", state = "running") => ({ platformId, ip, zone, state });

describe("the merged pull request's deployment comment", () => {
  it("lists the pull request's VMs of every stack, one table per stack that has any", () => {
    const body = deployedComment(
      [
        { stack: "campus-vsphere", servers: { "jwc-exam-scheduling": row("4213-aaaa", "10.20.1.10"), "xgb-counseling": row("4213-cccc", "10.20.1.13") }, notDeployed: [] },
        { stack: "campus-proxmox", servers: { "hxy-instrument-booking": row("101", "203.0.113.40", "external") }, notDeployed: [] },
        { stack: "campus-spare", servers: {}, notDeployed: [] },
      ],
      ["jwc-exam-scheduling", "hxy-instrument-booking"],
    );
    expect(body).toContain("## 已部署 Deployed（campus-vsphere、campus-proxmox、campus-spare）");
    expect(body).toMatch(/### campus-vsphere\n\n\| 备案编号 Filing [^\n]*\n[^\n]*\n\| jwc-exam-scheduling \| 4213-aaaa \| 10\.20\.1\.10 \| 校内网 internal \| 在用 in use \|/);
    expect(body).toMatch(/### campus-proxmox\n\n[^\n]*\n[^\n]*\n\| hxy-instrument-booking \| 101 \| 203\.0\.113\.40 \| 外网 external \| 在用 in use \|/);
    // Not this pull request's filing, and a stack with none of them.
    expect(body).not.toContain("xgb-counseling");
    expect(body).not.toContain("### campus-spare");
  });

  it("says so when none of the pull request's filings has a VM in any stack", () => {
    const body = deployedComment([{ stack: "campus-vsphere", servers: { "jwc-exam-scheduling": row("4213-aaaa", "10.20.1.10") }, notDeployed: [] }], ["kyc-hpc-login"]);
    expect(body).toContain("The filings of this PR have no VM (physical server or removed).");
    expect(body).not.toContain("没有部署 Not deployed");
  });

  it("a merge whose changes did not all deploy: its title says so, each of its filings that did not is named with the first line of its error, and where the log is", () => {
    const body = deployedComment(
      [
        {
          stack: "campus-vsphere",
          servers: { "jwc-exam-scheduling": row("4213-aaaa", "10.20.1.10") },
          notDeployed: [{ id: "jwc-grade-archive", reason: "error cloning virtual machine: *types.DuplicateName\n  more detail" }, { id: "xgb-counseling", reason: "other department's" }],
        },
      ],
      ["jwc-exam-scheduling", "jwc-grade-archive"],
      "https://github.com/campus/filings/actions/runs/7",
    );
    expect(body).toContain("## 部分变更没有部署 Not all deployed（campus-vsphere）");
    expect(body).toContain("| jwc-exam-scheduling | 4213-aaaa |");
    expect(body).toContain("- ✗ jwc-grade-archive（campus-vsphere）：error cloning virtual machine: *types.DuplicateName\n");
    expect(body).not.toContain("more detail");
    // Another pull request's filing that did not deploy is that pull request's news.
    expect(body).not.toContain("xgb-counseling");
    expect(body).toContain("nothing needs resubmitting. [运行记录 Run log](https://github.com/campus/filings/actions/runs/7)");
  });

  it("a stack whose run stopped: named as not deployed, never with an empty table or the no-VM line", () => {
    const body = deployedComment([{ stack: "campus-proxmox", stopped: true }], ["hxy-instrument-booking"]);
    expect(body).toContain("## 部分变更没有部署 Not all deployed（campus-proxmox）");
    expect(body).toContain("- 堆栈 campus-proxmox（一个平台站点）：这次部署中止");
    expect(body).not.toContain("have no VM");
  });

  it("a stack that stopped with nothing written is no news to a pull request whose filings another stack accounts for", () => {
    const body = deployedComment([{ stack: "campus-vsphere", servers: { "jwc-exam-scheduling": row("4213-aaaa", "10.20.1.10") }, notDeployed: [] }, { stack: "campus-proxmox", stopped: true }], ["jwc-exam-scheduling"]);
    expect(body).toContain("## 已部署 Deployed");
    expect(body).not.toContain("campus-proxmox：");
  });

  it("a run the pack stopped midway: what the platform holds now, and that the change may have taken effect only in part", () => {
    const body = deployedComment(
      [{ stack: "campus-vsphere", servers: { "jwc-exam-scheduling": row("4213-aaaa", "10.20.1.10") }, notDeployed: [{ id: "jwc-course-selection", reason: "vm-within-filing：超出备案" }], stopped: "策略包阻止了这次运行。" }],
      ["jwc-exam-scheduling"],
    );
    expect(body).toContain("## 部分变更没有部署 Not all deployed");
    expect(body).toContain("| jwc-exam-scheduling | 4213-aaaa |");
    expect(body).toContain("- 堆栈 campus-vsphere：部署中途被中止（策略包阻止了这次运行。）。下表是平台现在的状态，本 PR 的变更可能只有一部分生效。");
    expect(body).not.toContain("jwc-course-selection");
  });

  it("reads filing up's outputs as written, and refuses any other shape with where it differs", () => {
    const good = { servers: { "jwc-exam-scheduling": row("4213-aaaa", "10.20.1.10") }, notDeployed: [{ id: "jwc-grade-archive", reason: "r" }] };
    expect(parseUpOutputs(good)).toEqual(good);
    const bad: [unknown, string][] = [
      [[], "expected { servers"],
      [{ servers: {} }, "expected { servers"],
      [{ servers: [], notDeployed: [] }, "expected { servers"],
      [{ servers: { a: { ip: "10.20.1.10", zone: "internal" } }, notDeployed: [] }, "servers.a is not a server row"],
      [{ servers: { a: "10.20.1.10" }, notDeployed: [] }, "servers.a is not a server row"],
      [{ servers: {}, notDeployed: [{ id: "a" }] }, "notDeployed[0] is not { id, reason }"],
      [{ servers: {}, notDeployed: ["a"] }, "notDeployed[0] is not { id, reason }"],
      [{ servers: {}, notDeployed: [], stopped: true }, "stopped is not a text"],
    ];
    for (const [value, message] of bad) expect(() => parseUpOutputs(value), JSON.stringify(value)).toThrow(message);
  });
});
