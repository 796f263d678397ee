/**
 * What the desk refuses or neutralises, found by trying to misuse it: forms too large to be filings
 * (a denial of service through one request), invisible characters, markup and mentions in a pull
 * request's body, a forged X-Forwarded-For against the rate limit, local trial mode on a shared
 * address. Requests go to the real application through Fastify's inject (no browser needed).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { buildDesk } from "../../web/server";
import { localForge } from "../../lib/forge/local";
import { checkNewFiling } from "../../lib/desk/check";
import { newFilingPull, verbatim } from "../../lib/desk/pull";
import { formFields, formHints } from "../../lib/desk/form";
import { newFilingPage } from "../../web/pages";
import { namesOf } from "../../lib/names";
import { REPO, TODAY, tempRoot } from "../helpers/register";
import { deskRegister, VALID_FORM } from "../helpers/desk";
import { runBin } from "../helpers/cli";
import type { Filing } from "../../lib/filings/model";
import * as YAML from "yaml";

const register = deskRegister();
const VALID = VALID_FORM;

describe("the desk's form limits", () => {
  it("the valid form passes: the baseline the cases below change one thing of", () => {
    expect(checkNewFiling(register, "tsg", "reading-room", { values: VALID }).problems.filter((p) => p.severity === "error")).toEqual([]);
  });

  it("with no name yet, says so and checks the rest of the form all the same, but makes no file", () => {
    const check = checkNewFiling(register, "tsg", "", { values: { ...VALID, "operations.logRetentionDays": "30" } });
    expect(check.text).toBeUndefined();
    expect(check.problems.map((p) => [p.field, p.message.zh])).toEqual([
      ["name", "请填写服务器名称。"],
      ["operations.logRetentionDays", "日志保存天数为 30 天，少于规定的 60 天。请改为不少于 60。"],
    ]);
  });

  it("refuses a list box of 200,000 items at once, before building or checking anything", () => {
    const check = checkNewFiling(register, "tsg", "reading-room", { values: { ...VALID, "resources.disks": Array(200_000).fill("1").join(",") } });
    // Work a keystroke's size, not seconds: judged by what it returns, not by timing the machine.
    expect(check.text).toBeUndefined();
    expect(check.problems).toEqual([{ field: "resources.disks", rule: "desk-input", severity: "error", message: { zh: "内容过长（超过 2000 个字符），请精简。", en: "Too long (over 2000 characters)." } }]);
    // A text of many words is one text, not a list: only lists are counted in items.
    const words = Array.from({ length: 80 }, (_, i) => `第${i}项`).join("，");
    expect(checkNewFiling(register, "tsg", "reading-room", { values: { ...VALID, purpose: words, remarks: words } }).problems.filter((p) => p.rule === "desk-input")).toEqual([]);
    const many = checkNewFiling(register, "tsg", "reading-room", { values: { ...VALID, "network.ports": Array(65).fill("1/tcp").join(",") } });
    expect(many.problems.map((p) => [p.field, p.message.zh])).toEqual([["network.ports", "列出的项目过多（超过 64 项）。"]]);
  });

  it("refuses more sensitive-port rows than the form has room for", () => {
    const rows = Array.from({ length: 9 }, (_, i) => ({ port: `${2200 + i}/tcp`, reason: "运维", sources: "10.8.0.0/16" }));
    expect(checkNewFiling(register, "tsg", "reading-room", { values: VALID, exposures: rows }).problems.map((p) => [p.field, p.message.zh])).toEqual([["exposures", "敏感端口说明最多 8 行。"]]);
  });

  it("refuses invisible control characters (a lone carriage return, an escape, a right-to-left override), and keeps line breaks in the remarks", () => {
    for (const bad of ["教学\r===", "教学\u001b[2J", "教学\u202e系统"]) {
      const check = checkNewFiling(register, "tsg", "reading-room", { values: { ...VALID, purpose: bad } });
      expect(check.problems.map((p) => [p.field, p.rule])).toEqual([["purpose", "desk-input"]]);
    }
    expect(checkNewFiling(register, "tsg", "reading-room", { values: { ...VALID, remarks: "第一行\r\n第二行" } }).problems.filter((p) => p.rule === "desk-input")).toEqual([]);
  });

  it("refuses a line break in a one-line box, which a browser never sends and a crafted post does", () => {
    for (const field of ["purpose", "administrator.name"]) {
      const check = checkNewFiling(register, "tsg", "reading-room", { values: { ...VALID, [field]: "选课\n对外开放 Exposure: 无 none" } });
      expect(check.text).toBeUndefined();
      expect(check.problems.map((p) => [p.field, p.message.zh])).toEqual([[field, "这一栏只能填一行，请去掉换行。"]]);
    }
    const row = checkNewFiling(register, "tsg", "reading-room", { values: VALID, exposures: [{ port: "22/tcp", reason: "运维\n✅ 所有签字已齐全", sources: "10.8.0.0/16" }] });
    expect(row.problems.map((p) => p.field)).toEqual(["exposures"]);
  });

  it("refuses characters that hide or change what a leader reads: soft hyphen, tags, fillers, variation selectors", () => {
    for (const bad of ["吴\u00ad桐", "吴桐\u{e0049}\u{e0047}", "吴\u3164桐", "吴\u061c桐", "吴桐\ufe0f", "吴\u180e桐", "吴\u115f桐"]) {
      const check = checkNewFiling(register, "tsg", "reading-room", { values: { ...VALID, "administrator.name": bad } });
      expect(check.problems.map((p) => [p.field, p.rule]), JSON.stringify(bad)).toEqual([["administrator.name", "desk-input"]]);
    }
  });
});

describe("local trial mode's sign-in", () => {
  it("takes a login whatever its case as the one login (roles and approvals compare lower case)", async () => {
    const token = await localForge(REPO).tokenFor("Info-Center-Heads", "");
    expect((await localForge(REPO).session(token).account()).login).toBe("info-center-heads");
  });
});

describe("what people type into the desk's boxes", () => {
  it("the field's own unit and wrapping quotes are taken off and said; another unit is not guessed", () => {
    const check = checkNewFiling(register, "tsg", "reading-room", { values: { ...VALID, "resources.memoryGiB": "8G", "resources.cpu": "４核", "administrator.phone": "\"13812345678\"", "resources.disks": "100G 4T" } });
    // Nothing is said to be recorded for the disks while one of them is in error.
    expect(check.normalised.map((n) => [n.path, n.recorded])).toEqual([["administrator.phone", "13812345678"], ["resources.cpu", "4"], ["resources.memoryGiB", "8"]]);
    expect(checkNewFiling(register, "tsg", "reading-room", { values: { ...VALID, "resources.disks": "100G 500" } }).normalised.map((n) => [n.path, n.recorded])).toEqual([["resources.disks", "100, 500"]]);
    expect(check.problems.filter((p) => p.severity === "error").map((p) => [p.field, p.message.zh])).toEqual([
      ["resources.disks", "字段 resources.disks[1].sizeGiB（容量，GiB）应为整数，实际为 \"4T\"（文字（字符串））。“T”不是这里的单位（这里以 GiB 计）：按 1T = 1024 GiB，4T 应填 4096。"],
    ]);
  });
});

describe("the form's hints", () => {
  it("say a yes/no box's answer as the box shows it, and leave out YAML quoting and commands", () => {
    const html = newFilingPage({ lang: "zh", school: "示例大学", mode: "local", user: { login: "tsg-staff", departments: [] } }, { fields: formFields(), hints: {}, values: {} });
    expect(html).toContain("是否每天备份数据和日志（必须为 “是”）。");
    expect(html).not.toMatch(/必须为 true|英文双引号|npx filing/);
  });

  it("give the school's limit once: the schema's \"by default\" gives way to limits.yaml's", () => {
    const html = newFilingPage({ lang: "zh", school: "示例大学", mode: "local", user: { login: "tsg-staff", departments: [] } }, { fields: formFields(), hints: formHints(register.loaded.config), values: {} });
    expect(html).toContain("使用周期的月数。 最长 12 个月，到期前可续期。");
    expect(html).toContain("系统与访问日志的保存天数。 不少于 60 天。");
    expect(html).not.toContain("默认");
  });
});

describe("the pull request's body", () => {
  it("holds what a department typed in a fenced block, so that no mention, link, heading or HTML of theirs is live", () => {
    const purpose = "@wang-jwc 请直接批准 https://evil.example/approve <b>信息中心已核对</b> ```";
    const check = checkNewFiling(register, "tsg", "reading-room", { values: { ...VALID, purpose } });
    const config = register.loaded.config;
    const pull = newFilingPull(YAML.parse(check.text!) as Filing, check.path!, check.text!, config.departments.find((d) => d.slug === "tsg")!, namesOf(config), new Date());
    const fence = /^(`{4,})text\n([\s\S]*?)\n\1$/m.exec(pull.body);
    expect(fence?.[2]).toContain(purpose);
    // Outside the fence, nothing the department typed.
    expect(pull.body.replace(fence![0], "")).not.toMatch(/wang-jwc|evil|<b>/);
  });

  it("makes every kind of line break a space inside the block", () => {
    expect(verbatim(["a\rb\u2028c\u0085d\ne"])).toBe("```text\na b c d e\n```");
  });
});

describe("the desk's server", () => {
  const root = tempRoot();
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it("counts requests by the connection's address, not by an X-Forwarded-For the client makes up", async () => {
    const app = await buildDesk({ root, forge: localForge(root), sessionKey: crypto.randomBytes(32), publicUrl: "", today: TODAY });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 601; i++) codes.push((await app.inject({ method: "GET", url: "/", headers: { "x-forwarded-for": `198.51.100.${i % 250}` } })).statusCode);
      expect(codes.slice(0, 600).every((c) => c === 200)).toBe(true);
      expect(codes[600]).toBe(429);
      // The page's own style and script are never counted: a flood of them locks nobody out.
      for (let i = 0; i < 700; i++) expect((await app.inject({ method: "GET", url: "/desk.css" })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it("serves plain http without sending the browser to https (a trial on a campus address)", async () => {
    const app = await buildDesk({ root, forge: localForge(root), sessionKey: crypto.randomBytes(32), publicUrl: "", today: TODAY });
    try {
      const res = await app.inject({ method: "GET", url: "/" });
      expect(String(res.headers["content-security-policy"])).not.toContain("upgrade-insecure-requests");
      expect(res.headers["strict-transport-security"]).toBeUndefined();
    } finally {
      await app.close();
    }
  });

  it("refuses to run local trial mode, where anyone can be anyone, on an address other machines reach", () => {
    const r = runBin(["serve", "--host", "0.0.0.0", "--port", "0"], REPO);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("本地试用模式没有真实登录，任何人都可以冒充任何部门，只能在本机地址上运行（--host 127.0.0.1）");
  });
});
