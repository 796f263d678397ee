/**
 * Realistic mistakes, as a department makes them (typed in Word or on a phone, pasted, guessed from
 * another file), each with the message `filing validate` must give: the rule, the line:column, and
 * the Chinese a department reads. Each starts from the passing fixture and changes one thing; only
 * what that change adds to the sample register's problems is compared. The messages never give
 * advice that fails again (a quoted port, an id nobody may use, a department that does not exist).
 */
import { describe, expect, it } from "vitest";
import { BASE, BASE_PATH, edit, validateWith } from "../helpers/register";
import type { Problem } from "../../lib/problems";
import { formatText } from "../../lib/output/problems";

interface Mistake {
  readonly name: string;
  readonly file?: string;
  readonly text: string;
  /** `rule line:column`, then the Chinese message, for each problem the change adds. */
  readonly expected: readonly (readonly [string, string])[];
}

const B = (from: string, to: string) => edit(BASE, from, to);
const external = (ports: string, more = "") => edit(edit(B("zone: internal", "zone: external"), "ip: 10.20.1.200", "ip: 203.0.113.150"), "  ports: []", `  ports: ${ports}${more}`);
const key = (p: Problem) => `${p.rule} ${p.line}:${p.column} ${p.file}\n${p.message.zh}`;
const before = new Set(validateWith({}).problems.map(key));

function seen(m: Mistake): (readonly [string, string])[] {
  const file = m.file ?? BASE_PATH;
  return validateWith({ [file]: m.text }).problems
    .filter((p) => !before.has(key(p)))
    .map((p) => [`${p.rule} ${p.line}:${p.column}${p.file === file ? "" : ` ${p.file}`}`, p.message.zh] as const);
}

export const MISTAKES: Mistake[] = [
  { name: "a port without its protocol", text: external("[ 443 ]"), expected: [
      ["schema-type 23:12", "字段 network.ports[0]（端口）应为文字（字符串），实际为 443（整数）。请写成 443/tcp。"],
    ] },
  { name: "a port quoted without its protocol", text: external('[ "443" ]'), expected: [
      ["schema-pattern 23:12", "字段 network.ports[0]（端口）的值 \"443\" 格式不正确。请改为 \"443/tcp\"。"],
    ] },
  { name: "a protocol in capitals", text: external("[ 443/TCP ]"), expected: [
      ["schema-pattern 23:12", "字段 network.ports[0]（端口）的值 \"443/TCP\" 格式不正确，应形如 \"443/tcp\"。"],
    ] },
  { name: "a service name for a port", text: external("[ https ]"), expected: [
      ["schema-pattern 23:12", "字段 network.ports[0]（端口）的值 \"https\" 格式不正确，应形如 \"443/tcp\"。"],
    ] },
  { name: "a Chinese file name", file: "filings/jwc/选课系统.yaml", text: BASE, expected: [
      ["filing-location 2:1", "文件名 \"选课系统\" 只能包含小写英文字母、数字和连字符，其中含有中文“选课系统”。请用英文半角重新命名（如 reading-room.yaml）。"],
    ] },
  { name: "a folder named after the department in English", file: "filings/academic-affairs/fixture.yaml", text: BASE, expected: [
      ["filing-department 3:13", "文件在目录 filings/academic-affairs/ 下，但 academic-affairs 不是部门代码。部门 jwc（教务处）的备案请放在 filings/jwc/ 目录中。"],
    ] },
  { name: "the department's name for its code", text: B("department: jwc", "department: 教务处"), expected: [
      ["filing-department 3:13", "\"教务处\" 是部门名称，department 要写部门代码：请写 department: jwc（教务处）。"],
    ] },
  { name: "the department's code in capitals", text: B("department: jwc", "department: JWC"), expected: [
      ["filing-department 3:13", "\"JWC\" 是部门名称，department 要写部门代码：请写 department: jwc（教务处）。"],
    ] },
  { name: "a status in Chinese", text: B("status: active", "status: 在用"), expected: [
      ["schema-enum 29:9", "字段 status（状态）的值 \"在用\" 不在允许范围内：“在用”请写作 active。"],
    ] },
  { name: "a status in other Chinese words", text: B("status: active", "status: 正在使用"), expected: [
      ["schema-enum 29:9", "字段 status（状态）的值 \"正在使用\" 不在允许范围内，可选值为：active（在用）、decommissioned（已下线）。"],
    ] },
  { name: "the server type in Chinese", text: B("type: virtual", "type: 虚拟服务器"), expected: [
      ["schema-enum 4:7", "字段 type（服务器类型）的值 \"虚拟服务器\" 不在允许范围内：“虚拟服务器”请写作 virtual。"],
    ] },
  { name: "the server type as 虚拟机", text: B("type: virtual", "type: 虚拟机"), expected: [
      ["schema-enum 4:7", "字段 type（服务器类型）的值 \"虚拟机\" 不在允许范围内，可选值为：virtual（虚拟服务器）、physical（物理服务器）。"],
    ] },
  { name: "the zone in Chinese", text: B("zone: internal", "zone: 校内网"), expected: [
      ["schema-enum 21:9", "字段 network.zone（是否需要外网）的值 \"校内网\" 不在允许范围内：“校内网”请写作 internal。"],
    ] },
  { name: "the scope in Chinese", text: B("scope: school", "scope: 校级应用"), expected: [
      ["schema-enum 6:8", "字段 scope（应用级别）的值 \"校级应用\" 不在允许范围内：“校级应用”请写作 school。"],
    ] },
  { name: "a key written twice", text: B("  cpu: 4", "  cpu: 4\n  cpu: 8"), expected: [
      ["yaml-duplicate-key 17:3", "字段 cpu 在同一层级出现了两次。每个字段只能出现一次，请删除或合并重复的一行。"],
    ] },
  { name: "three spaces of indentation", text: B("  cpu: 4", "   cpu: 4"), expected: [
      ["yaml-syntax 17:1", "第 16 行缩进 3 个空格，第 17 行缩进 2 个空格，同一层级的字段必须左端对齐（每深一层多缩进两个空格）。"],
    ] },
  { name: "an indentation of no-break spaces pasted from Word", text: B("  cpu: 4", "\u00a0\u00a0cpu: 4"), expected: [
      ["yaml-full-width 16:1", "第 16 行的缩进中有不换行空格（U+00A0，常见于从 Word 或网页复制的文字）。请删除这些空格，用普通空格重新缩进。"],
    ] },
  { name: "no space after the colon", text: B("  cpu: 4", "  cpu:4"), expected: [
      ["yaml-syntax 16:6", "第 16 行的冒号后缺少空格。字段名和值之间要写“冒号 + 空格”，例如：cpu: 4"],
    ] },
  { name: "a tab in the indentation", text: B("  cpu: 4", "\tcpu: 4"), expected: [
      ["yaml-tab 16:1", "第 16 行的缩进中有制表符（Tab）。YAML 只能用空格缩进：请把每个 Tab 换成两个空格（编辑器中可打开“用空格代替 Tab”）。"],
    ] },
  { name: "a full-width colon", text: B("  cpu: 4", "  cpu：4"), expected: [
      ["yaml-full-width 16:6", "第 16 行的字段名后用了全角冒号“：”。YAML 只认英文半角冒号，且冒号后要有一个空格，例如：cpu: 4"],
    ] },
  { name: "a full-width space in the indentation", text: B("  cpu: 4", "\u3000cpu: 4"), expected: [
      ["yaml-full-width 16:1", "第 16 行的缩进中有全角空格（U+3000）。请切换到英文输入法，用半角空格缩进。"],
    ] },
  { name: "a full-width hyphen for a list item", text: B("    - sizeGiB: 100", "    － sizeGiB: 100"), expected: [
      ["schema-type 19:5", "字段 resources.disks（硬盘空间）应为列表，实际为 {\"－ sizeGiB\":100}（包含子字段的对象）。列表项的“-”须是英文半角减号，后跟一个空格。请写成列表：在 disks: 的下一行写“- sizeGiB: 100”（比 disks 多缩进两个空格，每项一行）。"],
    ] },
  { name: "no space after a list item's hyphen", text: B("    - sizeGiB: 100", "    -sizeGiB: 100"), expected: [
      ["schema-type 19:5", "字段 resources.disks（硬盘空间）应为列表，实际为 {\"-sizeGiB\":100}（包含子字段的对象）。列表项的“-”须是英文半角减号，后跟一个空格。请写成列表：在 disks: 的下一行写“- sizeGiB: 100”（比 disks 多缩进两个空格，每项一行）。"],
    ] },
  { name: "a disk in terabytes (4T): no number is offered, since 4 would be 4 GiB", text: B("sizeGiB: 100", "sizeGiB: 4T"), expected: [
      ["schema-type 19:16", "字段 resources.disks[0].sizeGiB（容量，GiB）应为整数，实际为 \"4T\"（文字（字符串））。“T”不是这里的单位（这里以 GiB 计）：按 1T = 1024 GiB，4T 应填 4096。"],
    ] },
  { name: "a period in years (1年): no number is offered, since 1 would be one month", text: B("months: 12", "months: 1年"), expected: [
      ["schema-type 14:11", "字段 period.months（申请使用周期，月）应为整数，实际为 \"1年\"（文字（字符串））。“年”不是这里的单位（这里以 个月 计）：按 1年 = 12 个月，1年 应填 12。"],
    ] },
  { name: "a key indented three spaces under one indented two (pasted from Word)", text: B("  memoryGiB: 8", "   memoryGiB: 8"), expected: [
      ["yaml-syntax 17:1", "第 17 行比第 16 行多缩进了 1 个空格。同一层级的字段必须左端对齐，请改为与第 16 行对齐：  memoryGiB: 8"],
    ] },
  { name: "the administrator's account without quotes (YAML reserves a leading @)", text: B("  email: zhangsan@example.edu.cn\n", "  email: zhangsan@example.edu.cn\n  account: @zhangsan\n"), expected: [
      ["yaml-syntax 12:1", "第 12 行的值以 @ 或 ` 开头，YAML 不能直接识别。请给整个值加英文双引号，例如：account: \"@zhangsan\""],
    ] },
  { name: "the administrator's account without its @", text: B("  email: zhangsan@example.edu.cn\n", "  email: zhangsan@example.edu.cn\n  account: zhangsan\n"), expected: [
      ["schema-pattern 12:12", "字段 administrator.account（代码平台账号，选填）的值 \"zhangsan\" 格式不正确。请改为 \"@zhangsan\"。"],
    ] },
  { name: "a colon inside the purpose", text: B("purpose: 测试用选课系统", "purpose: 教务系统: 选课"), expected: [
      ["yaml-syntax 5:1", "第 5 行的值里含有“冒号 + 空格”，会被当成新的字段。请给整个值加英文双引号，例如：purpose: \"教务系统: 选课\""],
    ] },
  { name: "a quote left open", text: B('phone: "13800138000"', 'phone: "13800138000'), expected: [
      ["yaml-syntax 10:22", "第 10 行的引号没有成对：缺少结尾的引号。"],
    ] },
  { name: "zero months", text: B("months: 12", "months: 0"), expected: [
      ["schema-range 14:11", "字段 period.months（申请使用周期，月）的值 0 太小：至少为 1 个月。"],
    ] },
  { name: "too many months", text: B("months: 12", "months: 120"), expected: [
      ["period-months 14:11", "申请使用周期为 120 个月，超过上限 12 个月。请改为不超过 12，到期前再申请续期。"],
    ] },
  { name: "memory with its unit", text: B("memoryGiB: 8", "memoryGiB: 8G"), expected: [
      ["schema-type 17:14", "字段 resources.memoryGiB（内存，GiB）应为整数，实际为 \"8G\"（文字（字符串））。请只填数字，不加单位和引号：memoryGiB: 8（单位 GiB）。"],
    ] },
  { name: "memory quoted", text: B("memoryGiB: 8", 'memoryGiB: "8"'), expected: [
      ["schema-type 17:14", "字段 resources.memoryGiB（内存，GiB）应为整数，实际为 \"8\"（文字（字符串））。请只填数字，不加单位和引号：memoryGiB: 8（单位 GiB）。"],
    ] },
  { name: "CPU in Chinese units", text: B("cpu: 4", "cpu: 4核"), expected: [
      ["schema-type 16:8", "字段 resources.cpu（CPU，核）应为整数，实际为 \"4核\"（文字（字符串））。请只填数字，不加单位和引号：cpu: 4（单位 核）。"],
    ] },
  { name: "a disk size given for the disk list", text: B("  disks:\n    - sizeGiB: 100", "  disks: 100G"), expected: [
      ["schema-type 18:10", "字段 resources.disks（硬盘空间）应为列表，实际为 \"100G\"（文字（字符串））。请写成列表：在 disks: 的下一行写“- sizeGiB: 100”（比 disks 多缩进两个空格，每项一行）。"],
    ] },
  { name: "a daily backup answered 是", text: B("daily: true", "daily: 是"), expected: [
      ["schema-type 25:20", "字段 operations.backup.daily（每日备份）应为 true 或 false，实际为 \"是\"（文字（字符串））。请写成 daily: true（英文小写，不加引号）。"],
    ] },
  { name: "a daily backup quoted", text: B("daily: true", 'daily: "true"'), expected: [
      ["schema-type 25:20", "字段 operations.backup.daily（每日备份）应为 true 或 false，实际为 \"true\"（文字（字符串））。请写成 daily: true（英文小写，不加引号）。"],
    ] },
  { name: "a mobile number with hyphens", text: B('phone: "13800138000"', 'phone: "138-0013-8000"'), expected: [
      ["schema-pattern 10:10", "字段 administrator.phone（手机号码）的值 \"138-0013-8000\" 格式不正确。请改为 \"13800138000\"。"],
    ] },
  { name: "a mobile number unquoted", text: B('phone: "13800138000"', "phone: 13800138000"), expected: [
      ["schema-type 10:10", "字段 administrator.phone（手机号码）应为文字（字符串），实际为 13800138000（整数）。请加英文双引号，例如 \"13800138000\"。"],
    ] },
  { name: "a mobile number in full-width digits", text: B('phone: "13800138000"', 'phone: "１３８００１３８０００"'), expected: [
      ["schema-pattern 10:10", "字段 administrator.phone（手机号码）的值 \"１３８００１３８０００\" 格式不正确。其中含有全角字符“１３８０”。请改为 \"13800138000\"。"],
    ] },
  { name: "an email with two dots", text: B("zhangsan@example.edu.cn", "zhangsan@example..edu.cn"), expected: [
      ["schema-format 11:10", "字段 administrator.email（邮箱）的值 \"zhangsan@example..edu.cn\" 不是有效的邮箱地址。例如 \"zhangsan@example.edu.cn\"。"],
    ] },
  { name: "a date with slashes", text: B("start: 2026-09-01", "start: 2026/09/01"), expected: [
      ["schema-format 13:10", "字段 period.start（开通时间）的值 \"2026/09/01\" 不是有效的日期（YYYY-MM-DD，且须是真实存在的日期）。请改为 \"2026-09-01\"。"],
    ] },
  { name: "a date that does not exist", text: B("start: 2026-09-01", "start: 2026-02-30"), expected: [
      ["schema-format 13:10", "字段 period.start（开通时间）的值 \"2026-02-30\" 不是有效的日期（YYYY-MM-DD，且须是真实存在的日期）。例如 \"2026-12-01\"。"],
    ] },
  { name: "an address with a full-width dot", text: B("ip: 10.20.1.200", "ip: 10.20.1．200"), expected: [
      ["schema-format 22:7", "字段 network.ip（IP 地址）的值 \"10.20.1．200\" 不是有效的IPv4 地址（如 10.20.1.15）。请改为 \"10.20.1.200\"。"],
    ] },
  { name: "an address outside the pool", text: B("ip: 10.20.1.200", "ip: 10.20.3.5"), expected: [
      ["ip-in-pool 22:7", "IP 地址 10.20.3.5 不在校内网（internal）的可分配地址池内（10.20.1.10–10.20.1.250、10.20.2.10–10.20.2.250，网关 10.20.0.1 除外）。请改用地址池内的空闲地址，例如 10.20.1.25。"],
    ] },
  { name: "an address another filing holds", text: B("ip: 10.20.1.200", "ip: 10.20.1.10"), expected: [
      ["ip-unique 22:7 filings/jwc/exam-scheduling.yaml", "IP 地址 10.20.1.10 已被 filings/jwc/fixture.yaml 使用。每个地址全校只能登记一次：只改新提交的那一份（已批准在用的不用改），请改用其他空闲地址，例如 10.20.1.25。"],
      ["ip-unique 22:7", "IP 地址 10.20.1.10 已被 filings/jwc/exam-scheduling.yaml 使用。每个地址全校只能登记一次：只改新提交的那一份（已批准在用的不用改），请改用其他空闲地址，例如 10.20.1.25。"],
    ] },
  { name: "no operations block", text: B("operations:\n  backup: { daily: true, secondCopy: true }\n  logRetentionDays: 180\n", ""), expected: [
      ["schema-required 2:1", "缺少必填字段 operations（管理细则承诺）。请补充该字段，例如 operations: { backup: { daily: true, secondCopy: true }, logRetentionDays: 180 }。"],
    ] },
  { name: "a field named by its Chinese title", text: B("purpose: 测试用选课系统", "用途: 测试用选课系统"), expected: [
      ["schema-unknown-field 5:1", "未知字段 用途。是否应为 purpose？顶层允许的字段为：id、department、type、purpose、scope、administrator、period、resources、network、operations、commitments、status、remarks、maintenance、onlineSince、decommission。请检查拼写，或删除该字段。"],
    ] },
  { name: "no administrator phone", text: B('  phone: "13800138000"\n', ""), expected: [
      ["schema-required 7:1", "缺少必填字段 administrator.phone（手机号码）。请补充该字段，例如 phone: \"13800138000\"。"],
    ] },
  { name: "logs kept 30 days", text: B("logRetentionDays: 180", "logRetentionDays: 30"), expected: [
      ["log-retention 26:21", "日志保存天数为 30 天，少于规定的 60 天。请改为不少于 60。"],
    ] },
  { name: "a zero-width space in the id", text: B("id: jwc-fixture", "id: jwc-fix\u200bture"), expected: [
      ["schema-pattern 2:5", "字段 id（备案编号）的值 \"jwc-fix​ture\" 格式不正确。其中含有零宽空格 U+200B。请改为 \"jwc-fixture\"。"],
    ] },
  { name: "SSH open to the whole Internet", text: external('["22/tcp"]', '\n  exposures: [{ port: 22/tcp, reason: 远程维护, sources: ["0.0.0.0/0"] }]'), expected: [
      ["sensitive-port 24:55", "来源地址 0.0.0.0/0 等于整个互联网，敏感端口 22/tcp 不能对所有地址开放。请改为需要访问的地址段，例如学校 VPN 的地址段。"],
    ] },
  { name: "CPU in full-width digits", text: B("cpu: 4", "cpu: ４"), expected: [
      ["schema-type 16:8", "字段 resources.cpu（CPU，核）应为整数，实际为 \"４\"（文字（字符串））。其中含有全角字符“４”。请只填数字，不加单位和引号：cpu: 4（单位 核）。"],
    ] },
  { name: "a no-break space after a colon, pasted from Word", text: B("  name: 张三", "  name:\u00a0张三"), expected: [
      ["yaml-invisible-character 8:1", "第 8 行冒号后不是普通空格，而是看不见的 U+00A0（不换行空格），常见于从 Word 复制的文字，这一行因此无法识别。请删除冒号后的空格，重新输入一个普通空格，写成：name: 张三"],
    ] },
  { name: "a file Notepad saved as .yaml.txt", file: "filings/jwc/fixture.yaml.txt", text: BASE, expected: [
      ["filing-location 2:1", "文件 filings/jwc/fixture.yaml.txt 的扩展名是 .txt，不是 .yaml（Windows 默认隐藏扩展名，记事本会自动加上 .txt）。请在资源管理器中打开“查看 → 文件扩展名”，把文件改名为 filings/jwc/fixture.yaml。"],
    ] },
  { name: "a file in another department's folder", file: "filings/tsg/fixture.yaml", text: BASE, expected: [
      ["filing-department 3:13", "申请部门为 jwc（教务处），但文件在 tsg（图书馆）的目录 filings/tsg/ 下。请把文件移到 filings/jwc/；只有确是图书馆的服务器时，才把 department 改为 tsg。"],
    ] },
  { name: "a department's name for its folder", file: "filings/教务处/fixture.yaml", text: BASE, expected: [
      ["filing-department 3:13", "文件在目录 filings/教务处/ 下，但 教务处 不是部门代码。部门 jwc（教务处）的备案请放在 filings/jwc/ 目录中。"],
    ] },
  { name: "a Chinese comma inside braces", text: B("daily: true, secondCopy: true", "daily: true，secondCopy: true"), expected: [
      ["yaml-full-width 25:1", "第 25 行的花括号或方括号里用了中文逗号“，”。请改为英文逗号，例如：backup: { daily: true, secondCopy: true }"],
    ] },
  { name: "a technician's landline without its area code", text: `${B("type: virtual", "type: physical")}maintenance: { vendor: 某公司, underWarranty: true, technician: { name: 李四, phone: "62751234" } }\nonlineSince: 2026-11-01\n`, expected: [
      ["schema-pattern 31:81", "字段 maintenance.technician.phone（维保技术电话）的值 \"62751234\" 格式不正确，应形如 \"13800138000\"、\"010-62751234\" 或 \"400-810-1234\"。"],
    ] },
  { name: "a sensitive port's exposures pasted at the top level, as the message's example", text: `${external("[ 443/tcp, 22/tcp ]")}exposures: [{ port: 22/tcp, reason: 运维人员经学校 VPN 远程管理, sources: ["10.8.0.0/16"] }]\n`, expected: [
      ["sensitive-port 23:21", "端口 22/tcp（SSH 远程登录）是敏感端口：暴力破解和漏洞利用的常见入口。对互联网开放须在 network.exposures 中写明理由并限定来源地址：在 network: 下面、与 ports 对齐加一行，例如 exposures: [{ port: 22/tcp, reason: 运维人员经学校 VPN 远程管理, sources: [\"10.8.0.0/16\"] }]；否则请删除该端口。"],
      ["schema-unknown-field 31:1", "字段 exposures 应写在 network: 下面（比 network 多缩进两个空格），不能写在顶层。"],
    ] },
  { name: "an empty file", text: "", expected: [
      ["yaml-empty 1:1", "文件是空的，没有任何备案内容。"],
    ] },
];

const PRINT = process.env.PRINT_MISTAKES === "1";
describe("realistic mistakes and what validate says", () => {
  it("there are at least 45", () => expect(MISTAKES.length).toBeGreaterThanOrEqual(45));
  it.each(MISTAKES.map((m) => [m.name, m] as const))("%s", (_name, m) => {
    const got = seen(m);
    if (PRINT) console.log(`@@${JSON.stringify([m.name, got])}`);
    expect(got).toEqual(m.expected);
  });
});

describe("the last line of validate in English counts its nouns", () => {
  const problem = (severity: "error" | "warning") => ({ file: BASE_PATH, line: 1, column: 1, rule: "r", severity, message: { zh: "甲", en: "a" } });
  it.each([
    [1, [problem("error"), problem("warning")], "✗ Checked 1 filing: 1 error, 1 warning. Fix them and push again."],
    [2, [problem("error"), problem("error")], "✗ Checked 2 filings: 2 errors, 0 warnings. Fix them and push again."],
    [3, [problem("warning")], "✓ Checked 3 filings: no errors (1 warning)."],
  ] as const)("%i filings", (filings, problems, last) => {
    const ok = !problems.some((p) => p.severity === "error");
    expect(formatText({ ok, filings, problems: [...problems] }, "en").trim().split("\n").at(-1)).toBe(last);
  });
});
