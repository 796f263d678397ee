import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runBin } from "../helpers/cli";
import { BASE, REPO, TODAY, edit, tempRoot } from "../helpers/register";

function filing(args: string[], today = TODAY) {
  return runBin([...args, "--today", today]);
}

/** A copy of the repository's register and stacks, with `change` applied to it. */
function copy(change: (root: string) => void): string {
  const root = tempRoot();
  fs.cpSync(path.join(REPO, "stacks"), path.join(root, "stacks"), { recursive: true });
  change(root);
  roots.push(root);
  return root;
}
const roots: string[] = [];
afterAll(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

describe("filing policy", () => {
  it("finds no violation in the sample register on either example stack, each with the VMs it owns", () => {
    const r = filing(["policy"]);
    expect(r.code).toBe(0);
    // The examples split the sample by campus: the east campus's 4 VMs on Proxmox, the main campus's 19 on vSphere.
    expect(r.stdout).toContain("堆栈 campus-proxmox（Proxmox VE）：检查了 4 台虚拟机\n  ✓ 没有违反强制策略。");
    expect(r.stdout).toContain("堆栈 campus-vsphere（VMware vSphere）：检查了 19 台虚拟机\n");
    expect(r.stdout).toMatch(/堆栈 campus-vsphere[^\n]*\n(  · 注意 [^\n]*\n)*  ✓ 没有违反强制策略。/);
    // The program's notices are part of the report, in its language, not Pulumi's bilingual warnings.
    expect(r.stdout).toContain("  · 注意  tsg-seat-booking：已下线，网卡在隔离端口组 filings-quarantine-internal（暂停网络服务，数据保留）；电源状态为 on。");
    expect(r.stdout).not.toContain("its power is");
    expect(r.stderr).not.toContain("warning: [runtime]");
  });

  it("reports the zone mix when a stack puts both zones on one network", () => {
    const root = copy((dir) => {
      const file = path.join(dir, "stacks/Pulumi.campus-proxmox.yaml");
      fs.writeFileSync(file, edit(fs.readFileSync(file, "utf8"), "bridge: vmbr1\n      vlanId: 300", "bridge: vmbr0\n      vlanId: 120"));
    });
    const r = filing(["policy", "--root", root, "--stack", "campus-proxmox", "--lang", "en"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ blocked {2}\[stack-zone-networks-separate\] {2}Network vmbr0\.120 carries VMs filed internal \(.*hxy-safety-training.*\) and external \(.*hxy-instrument-booking.*\)/);
    expect(r.stdout).toContain("pulumi up would be blocked");
  });

  it("passes an expired filing's vSphere VM that the program took off the network, and says so", () => {
    const r = filing(["policy", "--stack", "campus-vsphere"], "2027-02-01");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("xgb-counseling：备案已过期且超过宽限期，网卡已移入隔离端口组 filings-quarantine-internal");
  });

  it("exits 1 with the validator's message when the register is invalid", () => {
    const root = copy((dir) => fs.writeFileSync(path.join(dir, "filings/jwc/bad.yaml"), edit(edit(BASE, "id: jwc-fixture", "id: jwc-bad"), "cpu: 4", "cpu: 64")));
    const r = filing(["policy", "--root", root]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("filings/jwc/bad.yaml");
    expect(r.stderr).toContain("备案登记有错误，程序不会创建任何资源");
  });

  it("exits 2 naming the stacks there are when the stack does not exist", () => {
    const r = filing(["policy", "--stack", "campus-hyperv"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("找不到堆栈配置 stacks/Pulumi.campus-hyperv.yaml。已有的堆栈：campus-proxmox, campus-vsphere。");
  });
});
