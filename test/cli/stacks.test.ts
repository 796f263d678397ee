import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runBin } from "../helpers/cli";
import { REPO, edit, tempRoot } from "../helpers/register";

const roots: string[] = [];
afterAll(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

describe("filing stacks", () => {
  it("lists every stack file with its platform and what it owns; --format json feeds the deploy matrix", () => {
    const text = runBin(["stacks"]);
    expect(text.code).toBe(0);
    const rows = text.stdout.split("\n").filter((l) => l.startsWith("│")).map((l) => l.split("│").map((c) => c.trim()).filter(Boolean));
    expect(rows).toEqual([
      ["堆栈", "平台", "认领范围", "部门", "虚拟机"],
      ["campus-proxmox", "Proxmox VE", "校区 east", "外国语学院、化学化工学院", "4"],
      ["campus-vsphere", "VMware vSphere", "校区 main", "教务处、学生工作部、科学技术研究处、图书馆、财务处、人事处、计算机科学与技术学院", "19"],
    ]);
    const json = runBin(["stacks", "--format", "json"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([
      { name: "campus-proxmox", file: "stacks/Pulumi.campus-proxmox.yaml", platform: "proxmox", owns: { campuses: ["east"] } },
      { name: "campus-vsphere", file: "stacks/Pulumi.campus-vsphere.yaml", platform: "vsphere", owns: { campuses: ["main"] } },
    ]);
  });

  it("still lists the stacks when the register has errors, saying what it could not count", () => {
    const root = tempRoot();
    roots.push(root);
    fs.cpSync(path.join(REPO, "stacks"), path.join(root, "stacks"), { recursive: true });
    fs.writeFileSync(path.join(root, "filings/jwc/broken.yaml"), "id: [\n");
    const r = runBin(["stacks", "--root", root]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/│ campus-vsphere │ VMware vSphere │ 校区 main │ \? +│ \? +│/);
    expect(r.stdout).toContain("备案登记有错误，未统计各堆栈的部门和虚拟机");
  });

  it("exits 2 on a broken stack file or on none, so that a deploy never leaves one out quietly", () => {
    const root = tempRoot();
    roots.push(root);
    const none = runBin(["stacks", "--root", root, "--lang", "en"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("There is no stack file");
    fs.cpSync(path.join(REPO, "stacks"), path.join(root, "stacks"), { recursive: true });
    const file = path.join(root, "stacks/Pulumi.campus-proxmox.yaml");
    fs.writeFileSync(file, edit(fs.readFileSync(file, "utf8"), "server-filings:platform: proxmox", "server-filings:platform: xen"));
    const broken = runBin(["stacks", "--root", root, "--format", "json"]);
    expect(broken.code).toBe(2);
    expect(broken.stdout).toBe("");
    expect(broken.stderr).toMatch(/stacks\/Pulumi\.campus-proxmox\.yaml:\d+:\d+/);
  });
});
