/**
 * A change made at the desk (lib/desk/change.ts), in process: the file edited in place, the gate's
 * classification and signers, what the gate would refuse said before submitting, the renewal's
 * period, and the pull request's branch and words. From a filing of the sample register, one thing
 * changed at a time.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import * as YAML from "yaml";
import { changedFiling, checkChange, decommissionedFiling, editedText, newFilingSigners, renewedPeriod, type Original } from "../../lib/desk/change";
import { prepareRegister, type PreparedRegister } from "../../lib/desk/check";
import { formFromFiling } from "../../lib/desk/form";
import { changePull, isDeskBranchFor } from "../../lib/desk/pull";
import { blobSha } from "../../lib/forge/desk";
import { readConfigFiles } from "../../lib/config/read";
import type { Filing } from "../../lib/filings/model";
import { readFilingFiles } from "../../lib/filings/read";
import { formText } from "../../lib/messages";
import { changeLine } from "../../lib/output/filing-summary";
import { REPO, TODAY } from "../helpers/register";

const register = prepareRegister(readFilingFiles(REPO), readConfigFiles(REPO), TODAY) as PreparedRegister;
const config = register.loaded.config;
const load = (file: string): Original => {
  const text = fs.readFileSync(path.join(REPO, file), "utf8");
  return { path: file, text, filing: YAML.parse(text) as Filing };
};
const OPAC = load("filings/tsg/opac.yaml");
const form = formFromFiling(OPAC.filing);
const changed = (values: Record<string, string>) => changedFiling(OPAC.filing, { ...form, values: { ...form.values, ...values } }, config).filing;
const tsg = config.departments.find((d) => d.slug === "tsg")!;

describe("a change at the desk", () => {
  it("the form made from a filing makes the same filing again: nothing to submit", () => {
    const check = checkChange(register, OPAC, changed({}), "tsg-staff");
    expect(check.text).toBe(OPAC.text);
    expect(check.changes).toEqual([]);
    expect(check.problems.map((p) => formText(p.message, "zh"))).toEqual(["还没有任何修改。"]);
    expect(check.signers).toEqual([]);
  });

  it("memory up: one line of the file changes, the gate's kind is an increase, and the four roles sign", () => {
    const check = checkChange(register, OPAC, changed({ "resources.memoryGiB": "32" }), "tsg-staff");
    expect(check.problems).toEqual([]);
    expect(check.text).toBe(OPAC.text.replace("  memoryGiB: 16\n", "  memoryGiB: 32\n"));
    expect(check.changes.map((c) => changeLine(c, "zh"))).toEqual(["内存（GiB）：16 → 32"]);
    expect(check.change?.kinds).toEqual(["increase"]);
    expect(check.signers.map((s) => s.role)).toEqual(["departmentHead", "schoolLeader", "informationCenterHead", "securityLeader"]);
  });

  it("a smaller disk is refused as the gate would refuse it, before anything is submitted", () => {
    const check = checkChange(register, OPAC, changed({ "resources.disks": "100, 1000" }), "tsg-staff");
    expect(check.problems.map((p) => [p.rule, formText(p.message, "zh")])).toEqual([
      ["change-refused", "tsg-opac：第 2 块硬盘从 2000 GiB 缩小到 1000 GiB，会销毁数据。硬盘只能保留或扩大。"],
    ]);
  });

  it("a form the schema refuses is said beside its box, not again as a change that cannot be classified", () => {
    const check = checkChange(register, OPAC, changed({ "resources.cpu": "很多" }), "tsg-staff");
    expect(check.problems.map((p) => [p.field, formText(p.message, "zh")])).toEqual([["resources.cpu", '填写的值 "很多" 不是整数。请只填整数（单位 核）。']]);
  });

  it("a box too long is refused before anything is built", () => {
    const check = checkChange(register, OPAC, changed({}), "tsg-staff", { limits: [{ field: "remarks", rule: "desk-input", severity: "error", message: { zh: "过长", en: "long" } }] });
    expect(check.text).toBeUndefined();
    expect(check.problems.map((p) => p.field)).toEqual(["remarks"]);
  });

  it("a decommission adds its record at the end, keeps the rest, and needs the department head and the information center", () => {
    const made = decommissionedFiling(OPAC.filing, { backupTakenAt: "2026年11月20日", remarks: " 并入学校统一平台 " }, TODAY);
    expect(made.normalised).toEqual([{ path: "decommission.backupTakenAt", typed: "2026年11月20日", recorded: "2026-11-20" }]);
    const check = checkChange(register, OPAC, made.filing, "tsg-staff");
    expect(check.problems).toEqual([]);
    expect(check.text).toBe(`${OPAC.text.replace("status: active\n", "status: decommissioned\n").replace('remarks: ""\n', 'remarks: "并入学校统一平台"\n')}decommission:\n  requestedAt: 2026-11-23\n  backupTakenAt: 2026-11-20\n`);
    expect(check.change?.kinds).toEqual(["decommission", "metadata"]);
    expect(check.signers.map((s) => s.role)).toEqual(["departmentHead", "informationCenterHead"]);
    // Without a backup date the request is still made; the VM is not switched off until one is recorded.
    expect(decommissionedFiling(OPAC.filing, { backupTakenAt: " ", remarks: "" }, TODAY).filing.decommission).toEqual({ requestedAt: TODAY });
  });

  it("a renewal starts the day after the current period's last day, or today once it has ended, for as long as before up to the maximum", () => {
    const f = (start: string, months: number) => ({ ...OPAC.filing, period: { start, months } });
    expect(renewedPeriod(f("2026-08-01", 12), TODAY, 12)).toEqual({ start: "2027-08-01", months: 12 });
    // Its last day is today: tomorrow.
    expect(renewedPeriod(f("2026-10-24", 1), TODAY, 12)).toEqual({ start: "2026-11-24", months: 1 });
    // Ended yesterday: today.
    expect(renewedPeriod(f("2026-10-23", 1), TODAY, 12)).toEqual({ start: TODAY, months: 1 });
    expect(renewedPeriod(f("2026-08-01", 12), TODAY, 6)).toEqual({ start: "2027-08-01", months: 6 });
  });

  it("edits a file in place: comments, quoting and flow style of what did not change stay; a removed key goes", () => {
    const text = "# 注释\na: 1 # 行尾注释\nb: { x: 1, y: 2 }\nc: \"13800138000\"\nd: [ 80/tcp ]\ne: gone\n";
    expect(editedText(text, { a: 2, b: { x: 1, y: 3 }, c: "13800138000", d: ["80/tcp"] })).toBe("# 注释\na: 2 # 行尾注释\nb: { x: 1, y: 3 }\nc: \"13800138000\"\nd: [ 80/tcp ]\n");
  });

  it("a new filing's signers come from the same evaluator", () => {
    expect(newFilingSigners(register, "filings/tsg/x.yaml", OPAC.text.replace("id: tsg-opac", "id: tsg-x").replace("203.0.113.13", "203.0.113.14"), "tsg-staff").map((s) => s.role))
      .toEqual(["departmentHead", "schoolLeader", "informationCenterHead", "securityLeader"]);
  });
});

describe("the change's pull request", () => {
  const check = checkChange(register, OPAC, changed({ "resources.memoryGiB": "32" }), "tsg-staff");
  const pull = changePull("change", check.change!, check.changes, check.signers, check.text!, OPAC.text, tsg, new Date("2026-12-07T23:04:05Z"));

  it("its branch comes from the action, the validated id and the time; its title from the strongest kind", () => {
    expect(pull.branch).toBe("change/tsg-opac-20261207230405");
    expect(pull.title).toBe("【扩容或扩大开放】图书馆 tsg-opac");
    expect(pull.files).toEqual([{ path: "filings/tsg/opac.yaml", content: check.text, basedOn: blobSha(OPAC.text) }]);
    expect(pull.body).toContain("```text\n内存（GiB）：16 → 32\n```");
    expect(pull.body).toContain("需要批准：使用部门负责人、部门校分管负责人、信息中心负责人、信息安全校分管负责人。");
  });

  it("the desk's branches for a filing are known, and no other filing's", () => {
    expect(isDeskBranchFor("change/tsg-opac-20261207230405", "tsg-opac")).toBe(true);
    expect(isDeskBranchFor("filing/tsg-opac-20261207230405", "tsg-opac")).toBe(true);
    expect(isDeskBranchFor("filing/tsg-opac", "tsg-opac")).toBe(false);
    expect(isDeskBranchFor("decommission/tsg-opac-20261207230405", "tsg-opac")).toBe(true);
    expect(isDeskBranchFor("change/tsg-opac-2-20261207230405", "tsg-opac")).toBe(false);
    expect(isDeskBranchFor("change/tsg-opac-x", "tsg-opac")).toBe(false);
    expect(isDeskBranchFor("filing/tsg-opac-2-20261207230405", "tsg-opac")).toBe(false);
  });

  it("a blob id is git's: the same as `git hash-object`", () => {
    expect(blobSha("hello\n")).toBe("ce013625030ba8dba906f756967f9e9ca394464a");
  });
});

describe("an edit that would not read back as the change", () => {
  it("is written afresh instead: what is proposed is always exactly the filing checked", () => {
    // A key written twice cannot be edited in place to one value.
    const text = "a: 1\nb: &x { y: 1 }\nc: *x\n";
    const out = editedText(text, { a: 1, b: { y: 1 }, c: { y: 2 } });
    expect(YAML.parse(out)).toEqual({ a: 1, b: { y: 1 }, c: { y: 2 } });
  });
});

describe("a physical server's new address and the open requests", () => {
  const HPC = load("filings/kyc/hpc-login.yaml");
  const moved = (ip: string, pending?: Map<string, { number: number; id: string }>) =>
    checkChange(register, HPC, changedFiling(HPC.filing, { values: { ...formFromFiling(HPC.filing).values, "network.ip": ip } }, config).filing, "kyc-staff", pending ? { pending } : {});

  it("a free address is taken: the baseline", () => {
    expect(moved("10.20.1.25").problems.filter((p) => p.severity === "error")).toEqual([]);
  });

  it("an address another open request asks for is refused beside the box, with another offered", () => {
    const check = moved("10.20.1.25", new Map([["10.20.1.25", { number: 1, id: "tsg-reading-room" }]]));
    expect(check.problems.map((p) => [p.field, p.severity, formText(p.message, "zh")])).toEqual([["network.ip", "error", "IP 地址 10.20.1.25 已由审批中的申请 #1（tsg-reading-room）申请。请换一个地址，例如 10.20.1.26。"]]);
  });

  it("a request for this same filing holds nothing against it", () => {
    expect(moved("10.20.1.25", new Map([["10.20.1.25", { number: 1, id: HPC.filing.id }]])).problems.filter((p) => p.severity === "error")).toEqual([]);
  });
});
