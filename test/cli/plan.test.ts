import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { planRegister } from "../../lib/plan/servers";
import { runBin } from "../helpers/cli";
import { BASE, REPO, TODAY, edit, sampleConfig, sampleFilings, tempRoot } from "../helpers/register";

function filing(args: string[], cwd = REPO) {
  return runBin([...args, "--today", TODAY], cwd);
}

const expected = planRegister({ filings: sampleFilings, config: sampleConfig, today: TODAY }).servers!;

const root = tempRoot();
fs.cpSync(path.join(REPO, "stacks"), path.join(root, "stacks"), { recursive: true });
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe("filing plan", () => {
  it("prints every active virtual filing with its filed resources, by department", () => {
    const r = filing(["plan"]);
    expect(r.code).toBe(0);
    for (const s of expected.filter((x) => x.type === "virtual" && x.status === "active")) {
      const row = r.stdout.split("\n").find((line) => line.includes(` ${s.id} `));
      expect(row, s.id).toBeDefined();
      const cells = row!.split("│").map((c) => c.trim()).filter(Boolean);
      expect(cells.slice(0, 8), s.id).toEqual([
        s.id,
        "虚拟服务器",
        "在用",
        String(s.resources.cpu),
        String(s.resources.memoryGiB),
        s.resources.disksGiB.join(" + "),
        s.network.zone === "external" ? "外网" : "校内网",
        s.network.ip,
      ]);
    }
    expect(r.stdout).toContain("教务处 (jwc)");
  });

  it("says type and status in their own columns: a physical server past its end has ended, a decommissioned filing has no days left", () => {
    // On TODAY (2026-11-23): hxy-spectra-db (physical) ends 2027-01-09; jsj-course-lab-2024 is decommissioned.
    const late = "2027-01-16";
    const r = runBin(["plan", "--today", late], REPO);
    expect(r.code).toBe(0);
    const cells = (id: string) => r.stdout.split("\n").find((line) => line.includes(` ${id} `))!.split("│").map((c) => c.trim()).filter(Boolean);
    expect(cells("hxy-spectra-db").slice(1, 3)).toEqual(["物理服务器", "在用 · 已到期"]);
    expect(cells("hxy-spectra-db").at(-1)).toBe("-7");
    expect(cells("jsj-course-lab-2024").slice(1, 3)).toEqual(["虚拟服务器", "已下线"]);
    expect(cells("jsj-course-lab-2024").at(-1)).toBe("-");
    // A VM past its end but within the grace period is still in service.
    expect(cells("cwc-payment-gateway").slice(1, 3)).toEqual(["虚拟服务器", "在用 · 已到期，宽限期内"]);
  });

  it("prints the ServerSpec[] as JSON, the same the program consumes", () => {
    const r = filing(["plan", "--format", "json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(JSON.stringify(expected)));
  });

  it("shows the stack's networks and only the filings it owns with --stack", () => {
    const r = filing(["plan", "--stack", "campus-proxmox", "--lang", "en"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Stack campus-proxmox: platform Proxmox VE");
    expect(r.stdout).toMatch(/hxy-instrument-booking .*external → vmbr1\.300/);
    // The main campus's filings belong to campus-vsphere.
    expect(r.stdout).not.toContain("jwc-course-selection");
    expect(filing(["plan", "--stack", "campus-vsphere", "--lang", "en"]).stdout).toContain("jwc-course-selection");
  });

  it("shows an out-of-service vSphere VM on its zone's quarantine port group, as the program puts it, and no port group for a physical server", () => {
    const r = filing(["plan", "--stack", "campus-vsphere", "--lang", "en"]);
    expect(r.stdout).toMatch(/tsg-seat-booking .*internal → filings-quarantine-internal/);
    expect(r.stdout).toMatch(/jwc-course-selection .*external → campus-dmz/);
    expect(r.stdout).toMatch(/jsj-gpu-lab .*│ internal +│/);
  });

  it("exits 1 with the validator's message and no plan when the register is invalid", () => {
    fs.writeFileSync(path.join(root, "filings/jwc/bad.yaml"), edit(edit(BASE, "id: jwc-fixture", "id: jwc-bad"), "cpu: 4", "cpu: 64"));
    try {
      const r = filing(["plan", "--root", root]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(/filings\/jwc\/bad\.yaml:\d+:\d+ {2}错误 {2}\[vm-limits\]/);
    } finally {
      fs.rmSync(path.join(root, "filings/jwc/bad.yaml"));
    }
  });

  it("exits 2 naming the stack file, line and key when the stack config is incomplete", () => {
    const file = path.join(root, "stacks/Pulumi.campus-vsphere.yaml");
    const original = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, original.replace("    datastore: datastore-01\n", ""));
    try {
      const r = filing(["plan", "--root", root, "--stack", "campus-vsphere"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^stacks\/Pulumi\.campus-vsphere\.yaml:11:\d+ .*server-filings:site\.datastore/m);
    } finally {
      fs.writeFileSync(file, original);
    }
  });

  it("exits 2 listing the stacks there are when the stack does not exist", () => {
    const r = filing(["plan", "--stack", "campus-hyperv"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("campus-proxmox, campus-vsphere");
  });
});
