import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { classifyChanges, filingIdFromPath, isFilingPath } from "../../lib/approvals/classify";
import { REPO, edit } from "../helpers/register";

const P = "filings/jwc/course-selection.yaml"; // external, 443/tcp, two disks
const base = fs.readFileSync(path.join(REPO, P), "utf8");
const file = (text: string) => ({ path: P, bytes: Buffer.from(text, "utf8") });

function classify(head: string | undefined) {
  const result = classifyChanges([P], [{ path: P, base: file(base), head: head === undefined ? undefined : file(head) }]);
  return result.filings[0]!;
}

describe("change kinds", () => {
  it.each([
    ["a new port", (t: string) => edit(t, "ports: [ 443/tcp ]", "ports: [ 443/tcp, 80/tcp ]"), ["increase"]],
    ["a bigger second disk", (t: string) => edit(t, "- sizeGiB: 500", "- sizeGiB: 600"), ["increase"]],
    ["less memory", (t: string) => edit(t, "memoryGiB: 16", "memoryGiB: 8"), ["decrease"]],
    ["a new period", (t: string) => edit(t, "months: 12", "months: 6"), ["renewal"]],
    ["another administrator phone", (t: string) => t.replace(/phone: "\d+"/, 'phone: "13900000000"'), ["metadata"]],
    ["more CPU with a renewal", (t: string) => edit(edit(t, "cpu: 8", "cpu: 12"), "months: 12", "months: 6"), ["increase", "renewal"]],
    ["a comment only", (t: string) => `${t}# reviewed\n`, ["metadata"]],
  ])("%s", (_name, change, kinds) => {
    const c = classify(change(base));
    expect(c.kinds).toEqual(kinds);
    expect(c.refusals).toEqual([]);
  });

  // A VM keeps the address, zone and type it was created with: the deploy cannot change them.
  it.each([
    ["another address", (t: string) => edit(t, "ip: 203.0.113.10", "ip: 203.0.113.20"), ["increase"], "jwc-course-selection：IP 地址从 203.0.113.10 改为 203.0.113.20。虚拟机的 IP 地址在创建时写入系统，部署无法原地修改。请改为新建一份备案（新的文件名和地址，可用 node scripts/filing.js new 分配，须重新签字），新服务器上线、迁移完成后，再提交本备案的下线申请。"],
    ["moving inside the campus", (t: string) => edit(edit(edit(t, "zone: external", "zone: internal"), "ports: [ 443/tcp ]", "ports: []"), "ip: 203.0.113.10", "ip: 10.20.1.99"), ["increase", "decrease"], "jwc-course-selection：网络区域从外网改为校内网，IP 地址必须随之更换，而虚拟机的 IP 地址在创建时写入系统，部署无法原地修改。请改为新建一份备案（新的文件名和地址，可用 node scripts/filing.js new 分配，须重新签字），新服务器上线、迁移完成后，再提交本备案的下线申请。"],
    ["a virtual server filed as physical", (t: string) => edit(t, "type: virtual", "type: physical"), ["increase"], "jwc-course-selection：服务器类型从虚拟服务器改为物理服务器，已创建的虚拟机不能变成物理服务器。请改为新建一份备案（新的文件名和地址，可用 node scripts/filing.js new 分配，须重新签字），新服务器上线、迁移完成后，再提交本备案的下线申请。"],
  ])("refuses %s, saying what to do instead", (_name, change, kinds, says) => {
    const c = classify(change(base));
    expect(c.kinds).toEqual(kinds);
    expect(c.refusals.map((r) => r.zh)).toEqual([says]);
    expect(c.refusals[0]!.en).toContain("File a new filing instead (a new file name and address, which node scripts/filing.js new assigns, and its own signatures); once the new server runs and the service has moved, decommission this one.");
  });

  it("lets a physical server change its address or become virtual: no VM holds the old one", () => {
    const G = "filings/jsj/gpu-lab.yaml"; // physical
    const gpu = fs.readFileSync(path.join(REPO, G), "utf8");
    const physical = (head: string) => classifyChanges([G], [{ path: G, base: { path: G, bytes: Buffer.from(gpu) }, head: { path: G, bytes: Buffer.from(head) } }]).filings[0]!;
    const ip = /ip: (\S+)/.exec(gpu)![1]!;
    expect(physical(gpu.replace(`ip: ${ip}`, "ip: 10.20.2.99")).refusals).toEqual([]);
    expect(physical(gpu.replace(`ip: ${ip}`, "ip: 10.20.2.99")).kinds).toEqual(["increase"]);
  });

  it("lists the changed fields", () => {
    expect(classify(edit(base, "cpu: 8", "cpu: 12")).fields).toEqual(["resources.cpu"]);
  });

  it("refuses a removed disk and a head that is not a valid filing", () => {
    const removed = classify(base.replace(/\n\s+- sizeGiB: 500/, ""));
    expect(removed.refusals.map((r) => r.zh).join()).toContain("第 2 块硬盘（500 GiB）被删除");
    const broken = classify("id: [");
    expect(broken.refusals.map((r) => r.zh).join()).toContain("文件不是有效的备案");
  });

  it("treats everything outside department filings as protected", () => {
    const r = classifyChanges(["filings/filing.schema.json", "lib/rules/ports.ts", "CODEOWNERS", P], [{ path: P, base: file(base), head: file(`${base}#\n`) }]);
    expect(r.protectedPaths).toEqual(["CODEOWNERS", "filings/filing.schema.json", "lib/rules/ports.ts"]);
    expect(r.filings.map((f) => f.id)).toEqual(["jwc-course-selection"]);
  });
});

/** Each kind of change the chain distinguishes, from base and head as a pull request brings them. */
describe("every change a filing can undergo", () => {
  const SEAT = "filings/tsg/seat-booking.yaml"; // decommissioned, backup recorded
  const seat = fs.readFileSync(path.join(REPO, SEAT), "utf8");
  const seatFile = (text: string) => ({ path: SEAT, bytes: Buffer.from(text, "utf8") });
  const decommissioned = edit(base, "status: active", "status: decommissioned\ndecommission:\n  requestedAt: 2026-11-20\n  backupTakenAt: 2026-11-21");

  it.each([
    ["more memory", (t: string) => edit(t, "memoryGiB: 16", "memoryGiB: 32"), ["increase"]],
    ["an added disk", (t: string) => edit(t, "    - sizeGiB: 500", "    - sizeGiB: 500\n    - sizeGiB: 50"), ["increase"]],
    ["fewer CPUs", (t: string) => edit(t, "cpu: 8", "cpu: 4"), ["decrease"]],
    ["a closed port", (t: string) => edit(t, "ports: [ 443/tcp ]", "ports: []"), ["decrease"]],
    ["a port quoted, the same port", (t: string) => edit(t, "ports: [ 443/tcp ]", 'ports: [ "443/tcp" ]'), ["metadata"]],
    ["decommissioning", () => decommissioned, ["decommission"]],
    ["decommissioning with more CPU and a new period", () => edit(edit(decommissioned, "cpu: 8", "cpu: 12"), "months: 12", "months: 6"), ["increase", "decommission", "renewal"]],
  ])("%s", (_name, change, kinds) => {
    expect(classify(change(base)).kinds).toEqual(kinds);
  });

  it.each([
    ["letting the whole Internet reach a port open to one range is an increase", "      sources: [ 10.8.0.0/16 ]\n", "", ["increase"]],
    ["letting a second range reach it is an increase", "      sources: [ 10.8.0.0/16 ]\n", "      sources: [ 10.8.0.0/16, 192.0.2.0/24 ]\n", ["increase"]],
    ["a narrower range is a change of record", "      sources: [ 10.8.0.0/16 ]\n", "      sources: [ 10.8.1.0/24 ]\n", ["metadata"]],
  ])("%s", (_name, before, after, kinds) => {
    const restrict = (sources: string) => (sources ? edit(base, "  ports: [ 443/tcp ]\n", `  ports: [ 443/tcp ]\n  exposures:\n    - port: 443/tcp\n      reason: 只供校内访问\n${sources}`) : base);
    const r = classifyChanges([P], [{ path: P, base: file(restrict(before)), head: file(restrict(after)) }]).filings[0]!;
    expect(r.refusals).toEqual([]);
    expect(r.kinds).toEqual(kinds);
  });

  it.each([
    ["onto the Internet with the same ports and address is an increase", "internal", "external", ["increase"]],
    ["inside the campus with the same ports and address is a decrease", "external", "internal", ["decrease"]],
  ])("moving %s", (_what, from, to, kinds) => {
    const at = (zone: string) => edit(base, "zone: external", `zone: ${zone}`);
    const r = classifyChanges([P], [{ path: P, base: file(at(from)), head: file(at(to)) }]).filings[0]!;
    expect(r.kinds).toEqual(kinds);
  });

  it("moving inside the campus drops a source restriction without counting as opening the port", () => {
    const restricted = edit(base, "  ports: [ 443/tcp ]\n", "  ports: [ 443/tcp ]\n  exposures:\n    - port: 443/tcp\n      reason: 只供校内访问\n      sources: [ 10.8.0.0/16 ]\n");
    const inside = edit(base, "zone: external", "zone: internal");
    expect(classifyChanges([P], [{ path: P, base: file(restricted), head: file(inside) }]).filings[0]!.kinds).toEqual(["decrease"]);
  });

  it.each([
    ["another purpose with more CPU", (t: string) => edit(edit(t, "purpose: 本科生选课系统", "purpose: 选课系统"), "cpu: 8", "cpu: 12"), ["increase", "metadata"]],
  ])("a change of record beside another kind is both: %s", (_name, change, kinds) => {
    expect(classify(change(base)).kinds).toEqual(kinds);
  });

  it("a decommissioned filing renewed, nothing else changed, is a renewal only", () => {
    const r = classifyChanges([SEAT], [{ path: SEAT, base: seatFile(seat), head: seatFile(edit(seat, "months: 12", "months: 6")) }]).filings[0]!;
    expect(r.kinds).toEqual(["renewal"]);
  });

  it("a decommissioned filing renewed with another backup date is a renewal and a change of record", () => {
    const head = edit(edit(seat, "backupTakenAt: 2026-10-10", "backupTakenAt: 2026-10-11"), "months: 12", "months: 6");
    const r = classifyChanges([SEAT], [{ path: SEAT, base: seatFile(seat), head: seatFile(head) }]).filings[0]!;
    expect(r.kinds).toEqual(["renewal", "metadata"]);
  });

  it("an unreadable new file: no kind, no fields, no earlier status", () => {
    const r = classifyChanges([P], [{ path: P, head: file("id: [") }]).filings[0]!;
    expect(r).toMatchObject({ id: "jwc-course-selection", kinds: [], fields: [] });
    expect(r.statusBefore).toBeUndefined();
  });

  it("moving onto the Internet is an increase", () => {
    const internal = edit(edit(base, "zone: external", "zone: internal"), "ports: [ 443/tcp ]", "ports: []");
    const r = classifyChanges([P], [{ path: P, base: file(internal), head: file(base) }]).filings[0]!;
    expect(r.kinds).toEqual(["increase"]);
  });

  it.each([
    ["bringing a decommissioned filing back is a new application", edit(seat, "status: decommissioned", "status: active").replace(/decommission:\n(  .*\n)+/, ""), ["new"]],
    ["another backup date on a decommissioned filing is a change of record", edit(seat, "backupTakenAt: 2026-10-10", "backupTakenAt: 2026-10-11"), ["metadata"]],
  ])("%s", (_name, head, kinds) => {
    const r = classifyChanges([SEAT], [{ path: SEAT, base: seatFile(seat), head: seatFile(head) }]).filings[0]!;
    expect(r.kinds).toEqual(kinds);
    expect(r.statusBefore).toBe("decommissioned");
  });

  it("a new file is a new filing, with the filing as it will be", () => {
    const r = classifyChanges([P], [{ path: P, head: file(base) }]).filings[0]!;
    expect(r).toMatchObject({ path: P, id: "jwc-course-selection", department: "jwc", kinds: ["new"], fields: [], refusals: [] });
    expect(r.filing?.resources.cpu).toBe(8);
    expect(r.base).toBeUndefined();
  });

  it.each([
    ["an active filing's file deleted: refused, decommission first", base, [{
      zh: "jwc-course-selection：删除了在用备案的文件。在用服务器不能直接删除：请先提交下线申请（status: decommissioned 并登记备份时间），合并后再删除该文件。",
      en: "jwc-course-selection: the file of an active filing is deleted. Active servers cannot be removed directly: decommission first (status: decommissioned with the backup time), then delete the file in a later PR.",
    }]],
    ["a decommissioned filing's file deleted: the lifecycle's last step", decommissioned, []],
  ])("%s", (_name, before, refusals) => {
    const r = classifyChanges([P], [{ path: P, base: file(before) }]).filings[0]!;
    expect(r.kinds).toEqual(["delete"]);
    expect(r.fields).toEqual([]);
    expect(r.refusals).toEqual(refusals);
    expect(r.filing?.id).toBe("jwc-course-selection");
  });

  it.each([
    ["the second disk shrinks", (t: string) => edit(t, "- sizeGiB: 500", "- sizeGiB: 400"), {
      zh: "jwc-course-selection：第 2 块硬盘从 500 GiB 缩小到 400 GiB，会销毁数据。硬盘只能保留或扩大。",
      en: "jwc-course-selection: disk 2 shrinks from 500 GiB to 400 GiB, which destroys data. Disks may only stay or grow.",
    }],
    ["the second disk is removed", (t: string) => t.replace(/\n\s+- sizeGiB: 500/, ""), {
      zh: "jwc-course-selection：第 2 块硬盘（500 GiB）被删除，会销毁其中的数据。硬盘只能保留或扩大；不再需要时请整体下线。",
      en: "jwc-course-selection: disk 2 (500 GiB) is removed, which destroys its data. Disks may only stay or grow; decommission the server instead.",
    }],
  ])("refuses data loss: %s", (_name, change, refusal) => {
    expect(classify(change(base)).refusals).toEqual([refusal]);
  });

  it.each([
    ["head", undefined, "id: [", {
      zh: `${P}：文件不是有效的备案，无法判断变更类型。请先按 filing validate 的提示修改。`,
      en: `${P}: the file is not a valid filing, so the change cannot be classified. Fix what filing validate reports first.`,
    }],
    ["base", "id: [", undefined, {
      zh: `${P}：基准分支上的版本不是有效的备案，无法判断变更类型。请联系信息中心。`,
      en: `${P}: the base branch's version is not a valid filing, so the change cannot be classified. Ask the information center.`,
    }],
  ])("an unreadable %s version: no kind, refused with the reason, named by its file", (_side, before, after, refusal) => {
    const r = classifyChanges([P], [{ path: P, base: file(before ?? base), head: file(after ?? base) }]).filings[0]!;
    expect(r).toMatchObject({ id: "jwc-course-selection", department: "jwc", kinds: [], fields: [], refusals: [refusal] });
  });

  it("names the changed fields by their path, nested and sorted", () => {
    expect(classify(edit(edit(base, 'phone: "13800138000"', 'phone: "13900000000"'), "cpu: 8", "cpu: 12")).fields).toEqual(["administrator.phone", "resources.cpu"]);
    // purpose comes before the administrator in the file, after it in the list.
    expect(classify(edit(edit(base, "purpose: 本科生选课系统", "purpose: 选课系统"), 'phone: "13800138000"', 'phone: "13900000000"')).fields).toEqual(["administrator.phone", "purpose"]);
  });

  it("names a list as one field, not its items", () => {
    expect(classify(edit(base, "ports: [ 443/tcp ]", "ports: [ 443/tcp, 80/tcp ]")).fields).toEqual(["network.ports"]);
  });
});

describe("which paths are a department's filings", () => {
  it.each([
    ["filings/jwc/x.yaml", { department: "jwc", id: "jwc-x" }],
    ["filings/jwc/x.yml", { department: "jwc", id: "jwc-x" }],
    ["filings/jsj2/lab-1.yaml", { department: "jsj2", id: "jsj2-lab-1" }],
    ["filings/jwc/x.yaml.js", undefined],
    ["stacks/filings/jwc/a.yaml", undefined],
    ["filings/jwc/sub/a.yaml", undefined],
    ["filings/filing.schema.json", undefined],
    ["filings/JWC/a.yaml", undefined],
    ["filings/2jwc/a.yaml", undefined],
    ["filings/jwc/a.YAML", undefined],
  ])("%s", (p, expected) => {
    expect(filingIdFromPath(p)).toEqual(expected);
    expect(isFilingPath(p)).toBe(expected !== undefined);
    // Anything that is not a department filing needs the information center and security.
    expect(classifyChanges([p], []).protectedPaths).toEqual(expected ? [] : [p]);
  });
});
