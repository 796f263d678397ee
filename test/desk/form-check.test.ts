/**
 * The desk's check of a form (lib/desk/check.ts), in process: each value refused by the schema is
 * said beside its box in the form's words (Message.form: the item of a list, a row's column, what to
 * type), and what concerns a whole section is said above it. From a valid form with one box changed.
 */
import { describe, expect, it } from "vitest";
import { checkNewFiling } from "../../lib/desk/check";
import { formHints } from "../../lib/desk/form";
import { formText } from "../../lib/messages";
import { deskRegister, VALID_FORM } from "../helpers/desk";

const register = deskRegister();
const VALID = VALID_FORM;
type Row = { port: string; reason: string; sources: string };
const cases: { name: string; values: Record<string, string>; exposures?: Row[]; expected: [string | undefined, string, string][] }[] = [
  { name: "a pattern", values: { "administrator.phone": "1380013800" }, expected: [["administrator.phone", '填写的值 "1380013800" 格式不正确，应形如 "13800138000"（应为 11 位数字，这里是 10 位）。', '"1380013800" does not have the required form (like "13800138000"): 11 digits are needed, it has 10.']] },
  { name: "a digit too many", values: { "administrator.phone": "138001380001" }, expected: [["administrator.phone", '填写的值 "138001380001" 格式不正确，应形如 "13800138000"（应为 11 位数字，这里是 12 位）。', '"138001380001" does not have the required form (like "13800138000"): 11 digits are needed, it has 12.']] },
  { name: "a format, with the repair offered", values: { "period.start": "2026年13月1日" }, expected: [["period.start", '填写的值 "2026年13月1日" 不是有效的日期（YYYY-MM-DD，且须是真实存在的日期）。例如 "2026-12-01"。', '"2026年13月1日" is not a valid date. Example: "2026-12-01".']] },
  { name: "below the minimum", values: { "period.months": "0" }, expected: [["period.months", "填写的值 0 太小：至少为 1 个月。", "0 is below the minimum of 1 months."]] },
  { name: "words for a number", values: { "resources.cpu": "很多" }, expected: [["resources.cpu", '填写的值 "很多" 不是整数。请只填整数（单位 核）。', '"很多" is not a whole number. Write a whole number alone (in cores).']] },
  { name: "another unit in a list's item", values: { "resources.disks": "100, 4T" }, expected: [["resources.disks", '第 2 项的值 "4T" 不是整数。“T”不是这里的单位（这里以 GiB 计）：按 1T = 1024 GiB，4T 应填 4096。', 'Item 2: "4T" is not a whole number. "T" is not the unit here (it counts in GiB): at 1T = 1024 GiB, 4T is 4096.']] },
  { name: "a list left empty", values: { "resources.disks": "" }, expected: [["resources.disks", "请填写硬盘空间。", "Fill in resources.disks."]] },
  { name: "a port without its protocol: the way to write it", values: { "network.ports": "80, 443/tcp" }, expected: [["network.ports", '第 1 项的值 "80" 格式不正确。请改为 "80/tcp"。', 'Item 1: "80" does not have the required form. Write "80/tcp".']] },
  { name: "a list's item of the wrong form", values: { "network.ports": "http, 443/tcp" }, expected: [["network.ports", '第 1 项的值 "http" 格式不正确，应形如 "443/tcp"。', 'Item 1: "http" does not have the required form (like "443/tcp").']] },
  { name: "a row's column too short, another left empty", values: { "network.ports": "443/tcp" }, exposures: [{ port: "443/tcp", reason: "运维", sources: "" }], expected: [
    ["exposures", '第 1 行的理由的值 "运维" 太短：至少 4 个字。', 'Row 1\'s reason: "运维" is too short: at least 4 characters.'],
    ["exposures", "请填写第 1 行的允许访问的来源地址。", "Fill in row 1's sources."],
  ] },
  { name: "the department's quota, above the resources", values: { "resources.memoryGiB": "100" }, expected: [["resources", "部门 tsg 的在用虚拟服务器超出配额。内存：其他在用备案已用 32 GiB，本备案申请 100 GiB，合计 132 GiB，超过配额 128 GiB（本备案最多可申请 96 GiB）。请减少本次申请的配置，或请信息中心调整配额。", "Department tsg's active virtual servers exceed its quota. memory: 32 GiB used by the department's other active filings + 100 GiB requested here = 132 GiB, above the quota of 128 GiB (at most 96 GiB can be requested here). Request less, or ask the information center to raise the quota."]] },
  { name: "an empty box whose title starts in Latin letters", values: { "network.ip": "" }, expected: [["network.ip", "请填写 IP 地址。", "Fill in network.ip."]] },
];

describe("the desk's check, in the form's words", () => {
  it("the valid form passes: the baseline", () => {
    expect(checkNewFiling(register, "tsg", "reading-room", { values: VALID }).problems).toEqual([]);
  });

  it.each(cases)("$name", (c) => {
    const check = checkNewFiling(register, "tsg", "reading-room", { values: { ...VALID, ...c.values }, exposures: c.exposures });
    const seen = check.problems.map((p) => [p.field, formText(p.message, "zh"), formText(p.message, "en")]);
    if (process.env.PRINT_FORM_CHECK) console.log(`@@ ${c.name} :: ${JSON.stringify(seen)}`);
    expect(seen).toEqual(c.expected);
  });

  it("the boxes say the school's limits before the check does, from limits.yaml", () => {
    const hints = formHints(register.loaded.config);
    expect(hints["resources.disks"]!.zh).toBe("每块硬盘填一个容量（GiB），多块用逗号隔开，例如 100, 500；虚拟服务器每台最多 8 块、合计不超过 4096 GiB。");
    expect(hints["resources.cpu"]!.zh).toBe("虚拟服务器每台最多 32 核。");
    expect(hints["period.months"]!.zh).toBe("最长 12 个月，到期前可续期。");
    expect(hints["operations.logRetentionDays"]!.zh).toBe("不少于 60 天。");
    expect(hints["commitments.responsibilityLetter"]!.zh).toContain("已填入现行版本 2026-1");
  });
});

describe("what is certainly meant is recorded so", () => {
  it("a port in full-width characters or its protocol in capitals", () => {
    const check = checkNewFiling(register, "tsg", "reading-room", { values: { ...VALID, "network.ports": "８０／TCP, 443/tcp" } });
    expect(check.problems).toEqual([]);
    expect(check.normalised).toEqual([{ path: "network.ports", typed: "８０／TCP, 443/tcp", recorded: "80/tcp, 443/tcp" }]);
    expect(check.text).toContain("ports: [ 80/tcp, 443/tcp ]");
  });
});

describe("open requests' addresses", () => {
  const free = checkNewFiling(register, "tsg", "reading-room", { values: VALID }).freeIp!;
  const pending = new Map([[free, { number: 7, id: "jwc-lab-portal" }]]);

  it("are not offered: the next free address is", () => {
    const offered = checkNewFiling(register, "tsg", "reading-room", { values: VALID }, pending).freeIp!;
    expect(offered).not.toBe(free);
    expect(checkNewFiling(register, "tsg", "reading-room", { values: VALID }, new Map([[offered, { number: 8, id: "jwc-other" }], ...pending])).freeIp).not.toBe(offered);
  });

  it("are refused beside the address, naming the request and offering another", () => {
    const check = checkNewFiling(register, "tsg", "reading-room", { values: { ...VALID, "network.ip": free } }, pending);
    const next = check.freeIp!;
    expect(check.problems.map((p) => [p.field, p.severity, formText(p.message, "zh")])).toEqual([["network.ip", "error", `IP 地址 ${free} 已由审批中的申请 #7（jwc-lab-portal）申请。请换一个地址，例如 ${next}。`]]);
  });

  it("are not suggested by the register's own messages either (an address another filing holds)", () => {
    const check = checkNewFiling(register, "tsg", "reading-room", { values: { ...VALID, "network.ip": "10.20.1.11" } }, pending);
    const said = check.problems.map((p) => formText(p.message, "zh")).join(" ");
    expect(said).toContain("已被备案 jwc-grade-archive 使用");
    expect(said).toContain(`例如 ${check.freeIp}。`);
    expect(said).not.toContain(free);
  });

  it("are the filing's own when the open request is for the same filing", () => {
    expect(checkNewFiling(register, "tsg", "reading-room", { values: { ...VALID, "network.ip": free } }, new Map([[free, { number: 7, id: "tsg-reading-room" }]])).problems).toEqual([]);
  });
});
