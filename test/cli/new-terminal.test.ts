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

/** From the second backup promise to the end: the letter's default, then 备注. */
async function lastAnswers(t: Terminal, remarks: string): Promise<void> {
  await t.waitFor("双备份");
  t.press("\r");
  await t.waitFor("责任书版本");
  t.answer("");
  await t.waitFor("备注");
  t.answer(remarks);
  await t.waitFor("已创建 filings/jwc/opac.yaml");
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
    const more = await t.waitFor("上下移动 • ⏎ 确认");
    // Yes/no is 是 / 否, with the help line in Chinese.
    expect(more).toContain("是否再加一块硬盘");
    expect(more).toMatch(/是[\s\S]*否/);
    expect(more).not.toMatch(/Y\/n|y\/N|navigate/);
    // The default is 否: Enter adds no disk.
    t.press("\r");
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
    t.press(DOWN);
    t.press("\r");
    // A declined promise is explained and asked again.
    await t.waitFor("daily 必须为 true");
    await t.waitFor("每天备份");
    t.press("\r");
    await lastAnswers(t, "对外提供馆藏检索");
    expect(await t.exited).toBe(0);
    const written = YAML.parse(fs.readFileSync(path.join(root, "filings/jwc/opac.yaml"), "utf8"));
    expect(written).toMatchObject({
      id: "jwc-opac",
      period: { months: 12 },
      resources: { cpu: 2, memoryGiB: 4, disks: [{ sizeGiB: 60 }] },
      network: { zone: "external", ports: ["443/tcp"] },
      operations: { backup: { daily: true, secondCopy: true } },
      remarks: "对外提供馆藏检索",
    });
    expect(fs.existsSync(path.join(root, ".filing-new-draft.json"))).toBe(false);
    expect(t.screen).not.toContain("内部错误");
  });

  it("Ctrl-C exits 130 with one line and keeps the answers; --resume asks only what is left", async () => {
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
    await t.waitFor("申请使用周期");
    t.answer("");
    await smallVm(t);
    await t.waitFor("是否再加一块硬盘");
    t.press("\r");
    await t.waitFor("IP 地址");
    t.answer("");
    await t.waitFor("日志保存天数");
    t.answer("");
    await t.waitFor("每天备份");
    t.press("\r");
    await lastAnswers(t, "");
    expect(await t.exited).toBe(0);
    // The answers given before Ctrl-C were not asked again.
    expect(t.screen).not.toContain("服务器名称");
    expect(t.screen).not.toContain("申请部门");
    const written = YAML.parse(fs.readFileSync(path.join(first.root, "filings/jwc/opac.yaml"), "utf8"));
    expect(written).toMatchObject({ purpose: "图书馆联机目录", administrator: { name: "王五" }, remarks: "" });
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
