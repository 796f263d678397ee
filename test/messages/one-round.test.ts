/**
 * One run, every mistake: a department's first file often has mistakes of every kind at once, and a
 * pull request that learns of them one kind per run needs three commits and three CI runs. Syntax
 * the loader can fix for certain, values the schema refuses, and the institution's rules over the
 * values it accepts (the file's own and the register's) are all reported together; a rule that
 * would need a refused value stays quiet rather than guess.
 */
import { describe, expect, it } from "vitest";
import { BASE, BASE_PATH, edit, validateWith } from "../helpers/register";
import type { Problem } from "../../lib/problems";

const key = (p: Problem) => `${p.rule} ${p.line}:${p.column} ${p.file}\n${p.message.zh}`;
const before = new Set(validateWith({}).problems.map(key));
const added = (text: string) =>
  validateWith({ [BASE_PATH]: text }).problems.filter((p) => !before.has(key(p))).map((p) => `${p.rule} ${p.line}:${p.column}${p.file === BASE_PATH ? "" : ` ${p.file}`} ${p.message.zh}`);
const B = (...edits: [string, string][]) => edits.reduce((t, [from, to]) => edit(t, from, to), BASE);
const PRINT = process.env.PRINT_ONE_ROUND === "1";

describe("one validate run reports syntax, schema and rule problems together", () => {
  const cases: { name: string; text: string; expected: string[] }[] = [
    {
      name: "a full-width colon, a unit after a number, and an IP another filing has",
      text: B(["memoryGiB: 8", "memoryGiB：8"], ["cpu: 4", "cpu: 4核"], ["ip: 10.20.1.200", "ip: 10.20.1.10"]),
      expected: [
        "ip-unique 22:7 filings/jwc/exam-scheduling.yaml IP 地址 10.20.1.10 已被 filings/jwc/fixture.yaml 使用。每个地址全校只能登记一次：只改新提交的那一份（已批准在用的不用改），请改用其他空闲地址，例如 10.20.1.25。",
        "schema-type 16:8 字段 resources.cpu（CPU，核）应为整数，实际为 \"4核\"（文字（字符串））。请只填数字，不加单位和引号：cpu: 4（单位 核）。",
        "yaml-full-width 17:12 第 17 行的字段名后用了全角冒号“：”。YAML 只认英文半角冒号，且冒号后要有一个空格，例如：memoryGiB: 8",
        "ip-unique 22:7 IP 地址 10.20.1.10 已被 filings/jwc/exam-scheduling.yaml 使用。每个地址全校只能登记一次：只改新提交的那一份（已批准在用的不用改），请改用其他空闲地址，例如 10.20.1.25。",
      ],
    },
    {
      name: "a full-width colon before a CPU count above the limit: the colon, and then the limit",
      text: B(["cpu: 4", "cpu：40"]),
      expected: [
        "yaml-full-width 16:6 第 16 行的字段名后用了全角冒号“：”。YAML 只认英文半角冒号，且冒号后要有一个空格，例如：cpu: 40",
        "vm-limits 16:8 CPU 为 40 核，超过单台虚拟机上限 32 核。",
      ],
    },
    {
      name: "a tab in the indentation and a status in Chinese",
      text: B(["  zone: internal", "\tzone: internal"], ["status: active", "status: 在用"]),
      expected: [
        "yaml-tab 21:1 第 21 行的缩进中有制表符（Tab）。YAML 只能用空格缩进：请把每个 Tab 换成两个空格（编辑器中可打开“用空格代替 Tab”）。",
        "schema-enum 29:9 字段 status（状态）的值 \"在用\" 不在允许范围内：“在用”请写作 active。",
      ],
    },
    {
      name: "a key indented deeper than the key above it (which opens no block): fixed for certain, and the rest in the same run",
      text: B(["  memoryGiB: 8", "   memoryGiB: 8"], ["status: active", "status: 在用"]),
      expected: [
        "yaml-syntax 17:1 第 17 行比第 16 行多缩进了 1 个空格。同一层级的字段必须左端对齐，请改为与第 16 行对齐：  memoryGiB: 8",
        "schema-enum 29:9 字段 status（状态）的值 \"在用\" 不在允许范围内：“在用”请写作 active。",
      ],
    },
    {
      name: "an indentation the loader cannot fix for certain (a key less indented than its siblings): that alone, nothing guessed",
      text: B(["  memoryGiB: 8", " memoryGiB: 8"], ["status: active", "status: 在用"]),
      expected: [
        "yaml-syntax 17:1 第 16 行缩进 2 个空格，第 17 行缩进 1 个空格，同一层级的字段必须左端对齐（每深一层多缩进两个空格）。",
      ],
    },
    {
      name: "no operations block, and an address outside the zone's pool",
      text: B(["operations:\n  backup: { daily: true, secondCopy: true }\n  logRetentionDays: 180\n", ""], ["ip: 10.20.1.200", "ip: 10.99.0.5"]),
      expected: [
        "schema-required 2:1 缺少必填字段 operations（管理细则承诺）。请补充该字段，例如 operations: { backup: { daily: true, secondCopy: true }, logRetentionDays: 180 }。",
        "ip-in-pool 22:7 IP 地址 10.99.0.5 不在校内网（internal）的可分配地址池内（10.20.1.10–10.20.1.250、10.20.2.10–10.20.2.250，网关 10.20.0.1 除外）。请改用地址池内的空闲地址，例如 10.20.1.25。",
      ],
    },
    {
      name: "a purpose left empty, and remote desktop opened to the internet without a reason",
      text: edit(edit(edit(B(["purpose: 测试用选课系统", "purpose: \"\""]), "zone: internal", "zone: external"), "ip: 10.20.1.200", "ip: 203.0.113.150"), "  ports: []", "  ports: [ 3389/tcp ]"),
      expected: [
        "schema-range 5:10 字段 purpose（用途）的值 \"\" 不符合要求：不应少于 2 个字符。",
        "sensitive-port 23:12 端口 3389/tcp（Windows 远程桌面）是敏感端口：勒索软件最常用的入侵途径。对互联网开放须在 network.exposures 中写明理由并限定来源地址：在 network: 下面、与 ports 对齐加一行，例如 exposures: [{ port: 3389/tcp, reason: 运维人员经学校 VPN 远程管理, sources: [\"10.8.0.0/16\"] }]；否则请删除该端口。",
      ],
    },
    {
      name: "a CPU count with a unit, a phone number with dashes, and 14 months",
      text: B(["cpu: 4", "cpu: 4核"], ['phone: "13800138000"', "phone: 138-0013-8000"], ["months: 12", "months: 14"]),
      expected: [
        "schema-pattern 10:10 字段 administrator.phone（手机号码）的值 \"138-0013-8000\" 格式不正确。请改为 \"13800138000\"。",
        "period-months 14:11 申请使用周期为 14 个月，超过上限 12 个月。请改为不超过 12，到期前再申请续期。",
        "schema-type 16:8 字段 resources.cpu（CPU，核）应为整数，实际为 \"4核\"（文字（字符串））。请只填数字，不加单位和引号：cpu: 4（单位 核）。",
      ],
    },
    {
      // vm-limits judges CPU, memory and disks in one pass: with the CPU refused, it waits for the fix.
      name: "a rule that would also read a refused value stays quiet until that value is fixed",
      text: B(["cpu: 4", "cpu: 4核"], ["sizeGiB: 100", "sizeGiB: 5000"]),
      expected: [
        "schema-type 16:8 字段 resources.cpu（CPU，核）应为整数，实际为 \"4核\"（文字（字符串））。请只填数字，不加单位和引号：cpu: 4（单位 核）。",
      ],
    },
  ];
  it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const seen = added(c.text);
    if (PRINT) console.log(`@@ ${c.name} :: ${JSON.stringify(seen)}`);
    expect(seen).toEqual(c.expected);
  });
});
