import { describe, expect, it } from "vitest";
import { validateRegister } from "../../lib/validate";
import { BASE, BASE_PATH, TODAY, edit, problemsIn, sampleConfig, sampleFilings, validateWith } from "../helpers/register";

/**
 * The mistakes department staff make when they write a filing by hand: each case starts from the
 * valid base filing, changes one thing, and checks that the one message the user reads names the
 * mistake and the corrected form.
 */
interface Case {
  name: string;
  text: string;
  rule: string;
  line: number;
  zh: RegExp[];
  en?: RegExp[];
  /** Wording that would send the user the wrong way. */
  notZh?: RegExp[];
}

const cases: Case[] = [
  {
    name: "a full-width colon after a key",
    text: edit(BASE, "purpose: ", "purpose："),
    rule: "yaml-full-width", line: 5,
    zh: [/全角冒号“：”/, /purpose: /],
    en: [/full-width colon/],
    notZh: [/Implicit keys/],
  },
  {
    name: "a full-width colon in a nested key",
    text: edit(BASE, "  name: ", "  name："),
    rule: "yaml-full-width", line: 8,
    zh: [/全角冒号/, /name: 张三/],
  },
  {
    name: "one tab in the indentation",
    text: edit(BASE, "  name: ", "\tname: "),
    rule: "yaml-tab", line: 8,
    zh: [/第 8 行的缩进中有制表符（Tab）/, /两个空格/],
    notZh: [/YAML 语法错误/],
  },
  {
    name: "a tab before a list item",
    text: edit(BASE, "    - sizeGiB", "\t- sizeGiB"),
    rule: "yaml-tab", line: 19,
    zh: [/制表符/],
  },
  {
    name: "full-width spaces as indentation",
    text: edit(BASE, "  name: ", "\u3000\u3000name: "),
    rule: "yaml-full-width", line: 8,
    zh: [/全角空格（U\+3000）/],
  },
  {
    name: "a zero-width space in a key",
    text: edit(BASE, "status:", "status\u200b:"),
    rule: "yaml-invisible-character", line: 29,
    zh: [/U\+200B（零宽空格）/, /重新输入 status/],
    notZh: [/未知字段/, /允许/],
  },
  {
    name: "a zero-width space in an enum value",
    text: edit(BASE, "status: active", "status: active\u200b"),
    rule: "schema-enum", line: 29,
    zh: [/U\+200B（零宽空格）/, /"active"/],
  },
  {
    name: "a zero-width space in an e-mail address",
    text: edit(BASE, "@example.edu.cn", "\u200b@example.edu.cn"),
    rule: "schema-format", line: 11,
    zh: [/U\+200B/],
  },
  {
    name: "a misspelt key",
    text: edit(BASE, "purpose:", "purpse:"),
    rule: "schema-unknown-field", line: 5,
    zh: [/是否应为 purpose？/],
    en: [/Did you mean purpose\?/],
  },
  {
    name: "a key written as its Chinese title",
    text: edit(BASE, "purpose:", "用途:"),
    rule: "schema-unknown-field", line: 5,
    zh: [/是否应为 purpose？/],
  },
  {
    name: "memory with its unit",
    text: edit(BASE, "memoryGiB: 8", "memoryGiB: 8G"),
    rule: "schema-type", line: 17,
    zh: [/memoryGiB: 8（单位 GiB）/],
    en: [/memoryGiB: 8 \(in GiB\)/],
  },
  {
    name: "yes for a boolean",
    text: edit(BASE, "daily: true", "daily: yes"),
    rule: "schema-type", line: 25,
    zh: [/daily: true/],
  },
  {
    name: "否 for a boolean",
    text: edit(BASE, "secondCopy: true", "secondCopy: 否"),
    rule: "schema-type", line: 25,
    zh: [/secondCopy: false/],
  },
];

describe("messages for the mistakes department staff make", () => {
  it.each(cases)("$name: one message that names it", (c) => {
    const problems = problemsIn(validateWith({ [BASE_PATH]: c.text }), BASE_PATH);
    expect(problems.map((p) => `${p.rule}:${p.line}`)).toEqual([`${c.rule}:${c.line}`]);
    const [p] = problems;
    for (const re of c.zh) expect(p!.message.zh).toMatch(re);
    for (const re of c.en ?? []) expect(p!.message.en).toMatch(re);
    for (const re of c.notZh ?? []) expect(p!.message.zh).not.toMatch(re);
  });

  it("the base filing itself passes (the cases above change one thing each)", () => {
    expect(problemsIn(validateWith({ [BASE_PATH]: BASE }), BASE_PATH)).toEqual([]);
  });
});

describe("technician phone (维保技术电话)", () => {
  const physical = (phone: string) =>
    edit(
      edit(BASE, "type: virtual", "type: physical"),
      "status: active",
      `status: active\nmaintenance:\n  vendor: 某某科技\n  underWarranty: true\n  technician: { name: 李四, phone: "${phone}" }\nonlineSince: 2026-11-01`,
    );
  it.each(["13800138000", "010-62751234", "0755-8765432", "01062751234", "010-62751234-805", "400-810-1234", "4008101234", "800-810-1234"])(
    "accepts %s",
    (phone) => {
      expect(problemsIn(validateWith({ [BASE_PATH]: physical(phone) }), BASE_PATH).filter((p) => p.severity === "error")).toEqual([]);
    },
  );
  it.each(["12345", "138001380001", "62751234", "400-810-12"])("refuses %s", (phone) => {
    expect(problemsIn(validateWith({ [BASE_PATH]: physical(phone) }), BASE_PATH).map((p) => p.rule)).toEqual(["schema-pattern"]);
  });
});

describe("change-aware rules", () => {
  // jwc's quota is 64 vCPU; the sample's jwc filings use some of it. 60 more goes over.
  const big = edit(BASE, "cpu: 4", "cpu: 60");
  const files = [...sampleFilings, { path: BASE_PATH, bytes: Buffer.from(big, "utf8") }];
  const quota = (change?: { changed: Set<string>; added: Set<string> }) =>
    validateRegister({ filings: files, config: sampleConfig, today: TODAY, change }).problems.filter((p) => p.rule === "department-quota");

  it("without a change, a quota overrun is reported on every active filing of the department", () => {
    const files = new Set(quota().map((p) => p.file));
    expect(files.size).toBeGreaterThan(1);
    expect(files.has(BASE_PATH)).toBe(true);
  });

  it("with a change, only on the filings it touches, with used, requested and quota", () => {
    const found = quota({ changed: new Set([BASE_PATH]), added: new Set([BASE_PATH]) });
    expect(found.map((p) => p.file)).toEqual([BASE_PATH]);
    expect(found[0]!.message.zh).toMatch(/vCPU：其他在用备案已用 (\d+) vCPU，本备案申请 60 vCPU，合计 \d+ vCPU，超过配额 64 vCPU（本备案最多可申请 \d+ vCPU）/);
    const [, used, total, left] = /已用 (\d+) vCPU.*合计 (\d+) vCPU.*最多可申请 (\d+) vCPU/.exec(found[0]!.message.zh)!;
    expect(Number(used) + 60).toBe(Number(total));
    expect(Number(left)).toBe(Math.max(0, 64 - Number(used)));
  });

  it("a change that does not touch the department reports nothing for it", () => {
    expect(quota({ changed: new Set(["filings/xgb/other.yaml"]), added: new Set() })).toEqual([]);
  });

  const over = edit(BASE, "start: 2026-09-01", "start: 2025-06-01");
  const expired = (added: boolean) =>
    validateRegister({
      filings: [...sampleFilings, { path: BASE_PATH, bytes: Buffer.from(over, "utf8") }],
      config: sampleConfig,
      today: TODAY,
      change: { changed: new Set([BASE_PATH]), added: new Set(added ? [BASE_PATH] : []) },
    }).problems.filter((p) => p.file === BASE_PATH && p.rule === "period-expired");

  it("a new filing whose period is already over is an error", () => {
    const [p] = expired(true);
    expect(p!.severity).toBe("error");
    expect(p!.message.zh).toContain("这是一份新备案");
  });

  it("an existing filing past its period stays a warning (renewal)", () => {
    expect(expired(false).map((p) => p.severity)).toEqual(["warning"]);
  });
});
