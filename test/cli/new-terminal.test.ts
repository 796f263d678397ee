import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import * as YAML from "yaml";
import { CTRL_C, DOWN, Terminal } from "../helpers/terminal";
import { TODAY, tempRoot } from "../helpers/register";

/**
 * `filing new` as a department member meets it: on a pseudo-terminal, with inquirer's real prompts.
 * Each test types answers only after the question is on the screen.
 */
const roots: string[] = [];
const terminals: Terminal[] = [];
afterEach(() => {
  for (const t of terminals.splice(0)) t.kill();
  for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
});

function start(args: string[] = []): { t: Terminal; root: string } {
  const root = tempRoot();
  roots.push(root);
  const t = new Terminal(["new", "--root", root, "--today", TODAY, ...args], root);
  terminals.push(t);
  return { t, root };
}

/** Up to the disks: a virtual, internal server with a name that has no hyphen. */
async function firstAnswers(t: Terminal): Promise<void> {
  await t.waitFor("申请部门");
  t.press("\r");
  await t.waitFor("服务器名称");
  t.answer("opac");
  await t.waitFor("服务器类型");
  t.press("\r");
  await t.waitFor("用途");
  t.answer("图书馆联机目录");
  await t.waitFor("应用级别");
  t.press("\r");
  await t.waitFor("姓名");
  t.answer("王五");
  await t.waitFor("职务");
  t.answer("馆员");
  await t.waitFor("手机号码");
  t.answer("13900139000");
  await t.waitFor("邮箱");
  t.answer("wangwu@example.edu.cn");
  await t.waitFor("开通时间");
  t.answer("");
}

/** 2 vCPU, 4 GiB and a 60 GiB system disk: the answers the cases below do not vary. */
async function smallVm(t: Terminal): Promise<void> {
  await t.waitFor("CPU");
  t.answer("2");
  await t.waitFor("内存");
  t.answer("4");
  await t.waitFor("系统盘容量");
  t.answer("60");
}

/** From the second backup promise to 备注: the letter's default. */
async function lastAnswers(t: Terminal, remarks: string): Promise<void> {
  await t.waitFor("双备份");
  t.answer("是");
  await t.waitFor("责任书版本");
  t.answer("");
  await t.waitFor("备注");
  t.answer(remarks);
}

describe("filing new on a terminal", () => {
  it("asks in Chinese, re-asks what the rules refuse, keeps the rest and writes the file", async () => {
    const { t, root } = start();
    await firstAnswers(t);
    await t.waitFor("申请使用周期");
    t.answer("24");
    // period-months refuses 24 on the spot; the question stays.
    await t.waitFor("超过上限 12 个月");
    t.press("\x7f\x7f");
    t.answer("12");
    await smallVm(t);
    const more = await t.waitFor("是否再加一块硬盘？（是/否）");
    expect(more).not.toMatch(/Y\/n|y\/N|navigate/);
    // Yes/no is typed; Enter alone is no answer (it once took the default silently), y is yes.
    t.press("\r");
    await t.waitFor("请回答 是 或 否（也可输入 y 或 n）");
    t.answer("y");
    // A unit after the number is the question's own: taken, and said.
    await t.waitFor("第 2 块硬盘容量");
    t.answer("１００G");
    await t.waitFor("→ 记为 100");
    await t.waitFor("是否再加一块硬盘？（是/否）");
    t.answer("n");
    await t.waitFor("是否需要外网");
    t.press(DOWN);
    t.press("\r");
    await t.waitFor("IP 地址");
    t.answer("");
    await t.waitFor("开放端口");
    t.press("\x7f".repeat(10));
    t.answer("443/tcp,3128/tcp");
    await t.waitFor("端口 3128/tcp 禁止开放");
    t.press("\x7f".repeat(20));
    t.answer("443/tcp");
    await t.waitFor("日志保存天数");
    t.answer("");
    await t.waitFor("每天备份");
    t.answer("否");
    // A declined promise is explained in words, and asked again.
    await t.waitFor("管理细则要求每天备份数据和日志：不作此承诺，备案无法提交");
    await t.waitFor("每天备份");
    t.answer("是");
    await lastAnswers(t, "对外提供馆藏检索");
    // Every answer once more before the file is written, here as it was typed.
    const review = await t.waitFor("以上回答都对吗？可以选一项重新回答");
    expect(review).not.toContain("已创建");
    await t.waitFor("用途：图书馆联机目录");
    t.press("\r");
    await t.waitFor("已创建 filings/jwc/opac.yaml");
    expect(await t.exited).toBe(0);
    const written = YAML.parse(fs.readFileSync(path.join(root, "filings/jwc/opac.yaml"), "utf8"));
    expect(written).toMatchObject({
      id: "jwc-opac",
      period: { months: 12 },
      resources: { cpu: 2, memoryGiB: 4, disks: [{ sizeGiB: 60 }, { sizeGiB: 100 }] },
      network: { zone: "external", ports: ["443/tcp"] },
      operations: { backup: { daily: true, secondCopy: true } },
      remarks: "对外提供馆藏检索",
    });
    expect(fs.existsSync(path.join(root, ".filing-new-draft.json"))).toBe(false);
    expect(t.screen).not.toContain("内部错误");
  });

  it("Ctrl-C exits 130 with one line and keeps the answers; --resume says what it kept, asks only what is left, and lets an earlier answer change", async () => {
    const first = start();
    await firstAnswers(first.t);
    await first.t.waitFor("申请使用周期");
    first.t.press(CTRL_C);
    expect(await first.t.exited).toBe(130);
    const tail = first.t.screen.slice(first.t.screen.lastIndexOf("申请使用周期"));
    expect(tail).toMatch(/已取消。已回答的 \d+ 项保存在 \.filing-new-draft\.json，运行 node scripts\/filing\.js new --resume 可继续填写。/);
    expect(tail).not.toMatch(/内部错误|^\s+at /m);
    const draft = JSON.parse(fs.readFileSync(path.join(first.root, ".filing-new-draft.json"), "utf8"));
    expect(draft).toMatchObject({ department: "jwc", name: "opac", purpose: "图书馆联机目录", adminEmail: "wangwu@example.edu.cn" });

    const t = new Terminal(["new", "--root", first.root, "--today", TODAY, "--resume", "--zone", "internal"], first.root);
    terminals.push(t);
    // What was kept is said, in words, before the questions go on.
    const recap = await t.waitFor("申请使用周期");
    expect(recap).toContain("已回答的 10 项如下");
    expect(recap).toContain("✓ 申请部门：jwc 教务处（上次的回答）");
    expect(recap).toContain("✓ 服务器名称：opac（上次的回答）");
    expect(recap).toContain("✓ 应用级别：部门级应用（上次的回答）");
    t.answer("");
    await smallVm(t);
    await t.waitFor("是否再加一块硬盘");
    t.answer("否");
    await t.waitFor("IP 地址");
    t.answer("");
    await t.waitFor("日志保存天数");
    t.answer("");
    await t.waitFor("每天备份");
    t.answer("是");
    await lastAnswers(t, "");
    // Before writing: every answer, and one of them changed (the purpose, fourth in the list).
    await t.waitFor("以上回答都对吗？可以选一项重新回答");
    for (let i = 0; i < 4; i++) t.press(DOWN);
    await t.waitFor("❯ 用途：图书馆联机目录");
    t.press("\r");
    await t.waitFor("用途");
    t.answer("图书馆馆藏检索");
    await t.waitFor("以上回答都对吗？可以选一项重新回答");
    t.press("\r");
    await t.waitFor("已创建 filings/jwc/opac.yaml");
    expect(await t.exited).toBe(0);
    // The answers given before Ctrl-C were not asked again.
    expect(t.screen).not.toMatch(/\? 服务器名称/);
    const written = YAML.parse(fs.readFileSync(path.join(first.root, "filings/jwc/opac.yaml"), "utf8"));
    expect(written).toMatchObject({ purpose: "图书馆馆藏检索", administrator: { name: "王五" }, remarks: "" });
  });

  it("in English with --lang en, yes/no included", async () => {
    const { t } = start(["--lang", "en"]);
    await t.waitFor("Department");
    const help = await t.waitFor("choose");
    expect(help).toContain("↑↓ move • ⏎ choose");
    t.press(CTRL_C);
    expect(await t.exited).toBe(130);
    expect(t.screen).toContain("Cancelled; nothing was written.");
  });
});
