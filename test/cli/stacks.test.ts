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
    expect(text.stdout).toBe("campus-proxmox  Proxmox VE      校区 east\ncampus-vsphere  VMware vSphere  校区 main\n");
    const json = runBin(["stacks", "--format", "json"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([
      { name: "campus-proxmox", file: "stacks/Pulumi.campus-proxmox.yaml", platform: "proxmox", owns: { campuses: ["east"] } },
      { name: "campus-vsphere", file: "stacks/Pulumi.campus-vsphere.yaml", platform: "vsphere", owns: { campuses: ["main"] } },
    ]);
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
