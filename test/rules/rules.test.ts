/**
 * Every institution rule, from the passing fixture with one thing changed: the exact problems a
 * department sees (rule, severity, the line and column of the field pointed at, both languages),
 * and at each limit the value that passes next to the one that fails. The sample register is the
 * background; only what the change adds to its own problems is compared.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BASE, BASE_PATH, REPO, edit, validateWith } from "../helpers/register";
import type { Problem } from "../../lib/problems";
import { departmentCodeFor, pathPartProblem } from "../../lib/rules/identity";
import { RULES } from "../../lib/rules";

interface Case {
  readonly name: string;
  /** The fixture's text (default: the passing fixture) and where it lies (default: filings/jwc/fixture.yaml). */
  readonly text?: string;
  readonly file?: string;
  /** More files of the register, by path. */
  readonly more?: Record<string, string>;
  readonly today?: string;
  readonly config?: Record<string, string>;
  /** The change under review (a pull request): changed and added files. */
  readonly change?: { changed: string[]; added: string[] };
  /** What the change adds to the sample register's problems: `rule severity line:column (file)`, then the message in Chinese and in English. */
  readonly expected: readonly (readonly [string, string, string])[];
}

const B = (from: string, to: string) => edit(BASE, from, to);
const limits = fs.readFileSync(path.join(REPO, "policies/limits.yaml"), "utf8");
const NETWORKS = fs.readFileSync(path.join(REPO, "policies/networks.yaml"), "utf8");
const withLimit = (from: string, to: string) => ({ "policies/limits.yaml": edit(limits, from, to) });
const BIG_QUOTA = { "policies/departments.yaml": edit(fs.readFileSync(path.join(REPO, "policies/departments.yaml"), "utf8"), "quota: { cpu: 64, memoryGiB: 256, diskGiB: 4096 }", "quota: { cpu: 64, memoryGiB: 256, diskGiB: 20000 }") };
/** The fixture in the external zone, on a free external address, with `ports` (and `more` lines under network). */
const external = (ports: string, more = "") => edit(edit(B("zone: internal", "zone: external"), "ip: 10.20.1.200", "ip: 203.0.113.150"), "  ports: []", `  ports: ${ports}${more}`);
const SSH_VIA_VPN = '\n  exposures: [{ port: 22/tcp, reason: 运维人员经学校 VPN 远程管理, sources: ["10.8.0.0/16"] }]';
const disks = (n: number, size: number) => Array.from({ length: n }, () => `    - sizeGiB: ${size}`).join("\n");
const physical = (extra: string) => B("type: virtual", "type: physical") + extra;
const MAINTENANCE = 'maintenance: { vendor: 某公司, underWarranty: true, technician: { name: 李四, phone: "13900001111" } }\n';
const decommissioned = (record: string) => B("status: active", "status: decommissioned") + record;
/** Another file of the jwc folder: the fixture under another name, with its own address. */
const sibling = (name: string, text: string, ip: string) => edit(edit(text, "id: jwc-fixture", `id: jwc-${name}`), "ip: 10.20.1.200", `ip: ${ip}`);

const key = (p: Problem) => `${p.rule} ${p.severity} ${p.line}:${p.column} ${p.file}\n${p.message.zh}\n${p.message.en}`;

function added(c: Case): (readonly [string, string, string])[] {
  const files = { [c.file ?? BASE_PATH]: c.text ?? BASE, ...c.more };
  const options = { today: c.today, config: c.config, change: c.change && { changed: new Set(c.change.changed), added: new Set(c.change.added) } };
  const before = new Set(validateWith({}, { today: c.today, config: c.config }).problems.map(key));
  return validateWith(files, options)
    .problems.filter((p) => !before.has(key(p)))
    .map((p) => [`${p.rule} ${p.severity} ${p.line}:${p.column}${p.file === (c.file ?? BASE_PATH) ? "" : ` ${p.file}`}`, p.message.zh, p.message.en] as const);
}

const cases: Record<string, Case[]> = {
  "filing-location": [
    { name: "a folder with a look-alike suffix (jwc-x)", file: "filings/jwc-x/fixture.yaml", expected: [
        ["filing-department error 3:13", "文件在目录 filings/jwc-x/ 下，但 jwc-x 不是部门代码。部门 jwc（教务处）的备案请放在 filings/jwc/ 目录中。", "The file is under filings/jwc-x/, but jwc-x is no department's code. Department jwc's filings belong in filings/jwc/."],
      ] },
    { name: "a folder that starts with a digit", file: "filings/1jwc/fixture.yaml", expected: [
        ["filing-department error 3:13", "文件在目录 filings/1jwc/ 下，但 1jwc 不是部门代码。部门 jwc（教务处）的备案请放在 filings/jwc/ 目录中。", "The file is under filings/1jwc/, but 1jwc is no department's code. Department jwc's filings belong in filings/jwc/."],
      ] },
    { name: "a file name that starts with a hyphen", file: "filings/jwc/-fixture.yaml", text: B("id: jwc-fixture", "id: jwc--fixture"), expected: [
        ["filing-location error 2:1", "文件名 \"-fixture\" 只能包含小写英文字母、数字和连字符。请用英文半角重新命名（如 reading-room.yaml）。", "The file name \"-fixture\" may use only lowercase a-z, 0-9 and '-'. Rename it in plain ASCII (e.g. reading-room.yaml)."],
        ["schema-pattern error 2:5", "字段 id（备案编号）的值 \"jwc--fixture\" 格式不正确，应形如 \"jwc-course-selection\"。", "Field id is \"jwc--fixture\", which does not have the required form (like \"jwc-course-selection\")."],
      ] },
    { name: "a file name that ends with a hyphen", file: "filings/jwc/fixture-.yaml", text: B("id: jwc-fixture", "id: jwc-fixture-"), expected: [
        ["filing-location error 2:1", "文件名 \"fixture-\" 只能包含小写英文字母、数字和连字符。请用英文半角重新命名（如 reading-room.yaml）。", "The file name \"fixture-\" may use only lowercase a-z, 0-9 and '-'. Rename it in plain ASCII (e.g. reading-room.yaml)."],
        ["schema-pattern error 2:5", "字段 id（备案编号）的值 \"jwc-fixture-\" 格式不正确，应形如 \"jwc-course-selection\"。", "Field id is \"jwc-fixture-\", which does not have the required form (like \"jwc-course-selection\")."],
      ] },
    { name: "a file name with a Cyrillic look-alike letter", file: "filings/jwc/fixturе.yaml", expected: [
        ["filing-location error 2:1", "文件名 \"fixturе\" 只能包含小写英文字母、数字和连字符，其中含有形近的西里尔字母“е”。请用英文半角重新命名（如 reading-room.yaml）。", "The file name \"fixturе\" may use only lowercase a-z, 0-9 and '-'; it contains Cyrillic look-alike letters \"е\". Rename it in plain ASCII (e.g. reading-room.yaml)."],
      ] },
    // The id written below the department: the problem points at the id's line.
    { name: "a file name with two look-alike letters, id on the third line", file: "filings/jwc/fixturе２.yaml", text: B("id: jwc-fixture\ndepartment: jwc", "department: jwc\nid: jwc-fixture"), expected: [
        ["filing-location error 3:1", "文件名 \"fixturе２\" 只能包含小写英文字母、数字和连字符，其中含有形近的西里尔字母“е”、全角字符“２”。请用英文半角重新命名（如 reading-room.yaml）。", "The file name \"fixturе２\" may use only lowercase a-z, 0-9 and '-'; it contains Cyrillic look-alike letters \"е\", full-width characters \"２\". Rename it in plain ASCII (e.g. reading-room.yaml)."],
      ] },
    { name: "a .yml file, id on the third line", file: "filings/jwc/fixture.yml", text: B("id: jwc-fixture\ndepartment: jwc", "department: jwc\nid: jwc-fixture"), expected: [
        ["filing-location error 3:1", "备案文件必须放在 filings/<部门代码>/<名称>.yaml，当前位置为 filings/jwc/fixture.yml。请移动文件（扩展名为 .yaml）。", "A filing must be at filings/<department>/<name>.yaml; this one is filings/jwc/fixture.yml. Move it (extension .yaml)."],
      ] },
    { name: "a second extension after .yaml", file: "filings/jwc/fixture.yaml.bak", expected: [
        ["filing-location error 2:1", "备案文件必须放在 filings/<部门代码>/<名称>.yaml，当前位置为 filings/jwc/fixture.yaml.bak。请移动文件（扩展名为 .yaml）。", "A filing must be at filings/<department>/<name>.yaml; this one is filings/jwc/fixture.yaml.bak. Move it (extension .yaml)."],
      ] },
    { name: "a filings folder below another folder", file: "old/filings/jwc/fixture.yaml", expected: [
        ["filing-location error 2:1", "备案文件必须放在 filings/<部门代码>/<名称>.yaml，当前位置为 old/filings/jwc/fixture.yaml。请移动文件（扩展名为 .yaml）。", "A filing must be at filings/<department>/<name>.yaml; this one is old/filings/jwc/fixture.yaml. Move it (extension .yaml)."],
      ] },
    { name: "a filing Notepad saved as .yaml.txt, id on the third line", file: "filings/jwc/fixture.yaml.txt", text: B("id: jwc-fixture\ndepartment: jwc", "department: jwc\nid: jwc-fixture"), expected: [
        ["filing-location error 3:1", "文件 filings/jwc/fixture.yaml.txt 的扩展名是 .txt，不是 .yaml（Windows 默认隐藏扩展名，记事本会自动加上 .txt）。请在资源管理器中打开“查看 → 文件扩展名”，把文件改名为 filings/jwc/fixture.yaml。", "filings/jwc/fixture.yaml.txt ends in .txt, not .yaml (Windows hides extensions, and Notepad adds .txt). Show file name extensions and rename it filings/jwc/fixture.yaml."],
      ] },
    { name: "a filing saved as .txt", file: "filings/jwc/fixture.txt", expected: [
        ["filing-location error 2:1", "文件 filings/jwc/fixture.txt 的扩展名是 .txt，不是 .yaml（Windows 默认隐藏扩展名，记事本会自动加上 .txt）。请在资源管理器中打开“查看 → 文件扩展名”，把文件改名为 filings/jwc/fixture.yaml。", "filings/jwc/fixture.txt ends in .txt, not .yaml (Windows hides extensions, and Notepad adds .txt). Show file name extensions and rename it filings/jwc/fixture.yaml."],
      ] },
    { name: "a folder no department has, for a department not in the list", file: "filings/jwc-x/fixture.yaml", text: B("department: jwc", "department: abc"), expected: [
        ["filing-location error 2:1", "目录名 \"jwc-x\" 只能包含小写英文字母、数字和连字符。请用英文半角重新命名。", "The folder \"jwc-x\" may use only lowercase a-z, 0-9 and '-'. Rename it in plain ASCII."],
        ["filing-department error 3:13", "申请部门 \"abc\" 不在部门名单（policies/departments.yaml）中。可用的部门代码：jwc、xgb、kyc、tsg、cwc、rsc、jsj、wgy、hxy。新部门请联系信息中心登记。", "Department \"abc\" is not in policies/departments.yaml. Known: jwc, xgb, kyc, tsg, cwc, rsc, jsj, wgy, hxy. Ask the information center to add a new one."],
        ["filing-department error 3:13", "申请部门为 \"abc\"，但文件在目录 filings/jwc-x/ 下。部门只能在自己的目录中提交备案。", "department is \"abc\" but the file is under filings/jwc-x/. A department files only in its own folder."],
      ] },
  ],
  "filing-id": [
    { name: "an id that is not <folder>-<file name>", text: B("id: jwc-fixture", "id: jwc-other"), expected: [
      ["filing-id error 2:5", "备案编号 id 为 \"jwc-other\"，但按文件位置应为 \"jwc-fixture\"（部门代码-文件名）。请改为 id: jwc-fixture，或重命名文件。", "id is \"jwc-other\" but the file's location makes it \"jwc-fixture\" (<department>-<file name>). Set id: jwc-fixture or rename the file."],
    ] },
  ],
  "filing-department": [
    { name: "a department that is not listed", file: "filings/abc/fixture.yaml", text: edit(B("department: jwc", "department: abc"), "id: jwc-fixture", "id: abc-fixture"), expected: [
        ["filing-department error 3:13", "申请部门 \"abc\" 不在部门名单（policies/departments.yaml）中。可用的部门代码：jwc、xgb、kyc、tsg、cwc、rsc、jsj、wgy、hxy。新部门请联系信息中心登记。", "Department \"abc\" is not in policies/departments.yaml. Known: jwc, xgb, kyc, tsg, cwc, rsc, jsj, wgy, hxy. Ask the information center to add a new one."],
      ] },
    { name: "a listed department in another department's folder", text: B("department: jwc", "department: xgb"), expected: [
        ["filing-department error 3:13", "申请部门为 xgb（学生工作部），但文件在 jwc（教务处）的目录 filings/jwc/ 下。请把文件移到 filings/xgb/；只有确是教务处的服务器时，才把 department 改为 jwc。", "department is xgb, but the file is in jwc's folder filings/jwc/. Move it to filings/xgb/; set department: jwc only if the server is really jwc's."],
      ] },
  ],
  "vm-limits": [
    { name: "32 CPUs, the per-VM maximum", text: B("cpu: 4", "cpu: 32"), expected: [] },
    { name: "33 CPUs", text: B("cpu: 4", "cpu: 33"), expected: [
        ["vm-limits error 16:8", "CPU 为 33 核，超过单台虚拟机上限 32 核。", "resources.cpu is 33, above the per-VM maximum of 32."],
      ] },
    { name: "128 GiB of memory, the per-VM maximum", text: B("memoryGiB: 8", "memoryGiB: 128"), expected: [] },
    { name: "129 GiB of memory", text: B("memoryGiB: 8", "memoryGiB: 129"), expected: [
        ["vm-limits error 17:14", "内存为 129 GiB，超过单台虚拟机上限 128 GiB。", "resources.memoryGiB is 129, above the per-VM maximum of 128."],
      ] },
    { name: "8 disks, the per-VM maximum", text: B("    - sizeGiB: 100", disks(8, 10)), expected: [] },
    { name: "9 disks", text: B("    - sizeGiB: 100", disks(9, 10)), expected: [
        ["vm-limits error 18:3", "硬盘为 9 块，超过单台虚拟机上限 8 块。", "resources.disks has 9 disks, above the per-VM maximum of 8."],
      ] },
    // jwc's quota raised so that only the per-VM limit speaks.
    { name: "4096 GiB of disk, the per-VM maximum", text: B("    - sizeGiB: 100", disks(2, 2048)), config: BIG_QUOTA, expected: [] },
    { name: "4097 GiB of disk", text: B("    - sizeGiB: 100", `${disks(1, 2048)}\n${disks(1, 2049)}`), config: BIG_QUOTA, expected: [
        ["vm-limits error 18:3", "硬盘合计 4097 GiB，超过单台虚拟机上限 4096 GiB。", "resources.disks total 4097 GiB, above the per-VM maximum of 4096 GiB."],
      ] },
  ],
  "department-quota": [
    // jwc's other active virtual filings use 1800 GiB of its 4096.
    { name: "disk exactly at the department's quota", text: B("sizeGiB: 100", "sizeGiB: 2296"), expected: [] },
    { name: "disk 1 GiB above the department's quota, no change under review: every filing of the department", text: B("sizeGiB: 100", "sizeGiB: 2297"), expected: [
        ["department-quota error 15:1 filings/jwc/course-selection.yaml", "部门 jwc 的在用虚拟服务器超出配额。硬盘：其他在用备案已用 3497 GiB，本备案申请 600 GiB，合计 4097 GiB，超过配额 4096 GiB（本备案最多可申请 599 GiB）。请减少本次申请的配置，或请信息中心调整配额。", "Department jwc's active virtual servers exceed its quota. disk: 3497 GiB used by the department's other active filings + 600 GiB requested here = 4097 GiB, above the quota of 4096 GiB (at most 599 GiB can be requested here). Request less, or ask the information center to raise the quota."],
        ["department-quota error 15:1 filings/jwc/exam-scheduling.yaml", "部门 jwc 的在用虚拟服务器超出配额。硬盘：其他在用备案已用 3997 GiB，本备案申请 100 GiB，合计 4097 GiB，超过配额 4096 GiB（本备案最多可申请 99 GiB）。请减少本次申请的配置，或请信息中心调整配额。", "Department jwc's active virtual servers exceed its quota. disk: 3997 GiB used by the department's other active filings + 100 GiB requested here = 4097 GiB, above the quota of 4096 GiB (at most 99 GiB can be requested here). Request less, or ask the information center to raise the quota."],
        ["department-quota error 15:1", "部门 jwc 的在用虚拟服务器超出配额。硬盘：其他在用备案已用 1800 GiB，本备案申请 2297 GiB，合计 4097 GiB，超过配额 4096 GiB（本备案最多可申请 2296 GiB）。请减少本次申请的配置，或请信息中心调整配额。", "Department jwc's active virtual servers exceed its quota. disk: 1800 GiB used by the department's other active filings + 2297 GiB requested here = 4097 GiB, above the quota of 4096 GiB (at most 2296 GiB can be requested here). Request less, or ask the information center to raise the quota."],
        ["department-quota error 15:1 filings/jwc/grade-archive.yaml", "部门 jwc 的在用虚拟服务器超出配额。硬盘：其他在用备案已用 2997 GiB，本备案申请 1100 GiB，合计 4097 GiB，超过配额 4096 GiB（本备案最多可申请 1099 GiB）。请减少本次申请的配置，或请信息中心调整配额。", "Department jwc's active virtual servers exceed its quota. disk: 2997 GiB used by the department's other active filings + 1100 GiB requested here = 4097 GiB, above the quota of 4096 GiB (at most 1099 GiB can be requested here). Request less, or ask the information center to raise the quota."],
      ] },
    { name: "disk above the quota in a pull request: only the filing it touches", text: B("sizeGiB: 100", "sizeGiB: 2297"), change: { changed: [BASE_PATH], added: [BASE_PATH] }, expected: [
        ["department-quota error 15:1", "部门 jwc 的在用虚拟服务器超出配额。硬盘：其他在用备案已用 1800 GiB，本备案申请 2297 GiB，合计 4097 GiB，超过配额 4096 GiB（本备案最多可申请 2296 GiB）。请减少本次申请的配置，或请信息中心调整配额。", "Department jwc's active virtual servers exceed its quota. disk: 1800 GiB used by the department's other active filings + 2297 GiB requested here = 4097 GiB, above the quota of 4096 GiB (at most 2296 GiB can be requested here). Request less, or ask the information center to raise the quota."],
      ] },
    { name: "memory and disk both above the quota: one problem naming both", text: B("memoryGiB: 8", "memoryGiB: 128").replace("sizeGiB: 100", "sizeGiB: 2297"), more: { "filings/jwc/big.yaml": sibling("big", B("memoryGiB: 8", "memoryGiB: 128"), "10.20.1.201").replace("sizeGiB: 100", "sizeGiB: 10") }, change: { changed: [BASE_PATH], added: [BASE_PATH] }, expected: [
        ["department-quota error 15:1", "部门 jwc 的在用虚拟服务器超出配额。内存：其他在用备案已用 168 GiB，本备案申请 128 GiB，合计 296 GiB，超过配额 256 GiB（本备案最多可申请 88 GiB）；硬盘：其他在用备案已用 1810 GiB，本备案申请 2297 GiB，合计 4107 GiB，超过配额 4096 GiB（本备案最多可申请 2286 GiB）。请减少本次申请的配置，或请信息中心调整配额。", "Department jwc's active virtual servers exceed its quota. memory: 168 GiB used by the department's other active filings + 128 GiB requested here = 296 GiB, above the quota of 256 GiB (at most 88 GiB can be requested here); disk: 1810 GiB used by the department's other active filings + 2297 GiB requested here = 4107 GiB, above the quota of 4096 GiB (at most 2286 GiB can be requested here). Request less, or ask the information center to raise the quota."],
      ] },
    { name: "a decommissioned filing's disk does not count", more: { "filings/jwc/old.yaml": sibling("old", decommissioned("decommission: { requestedAt: 2026-11-01, backupTakenAt: 2026-11-02 }\n"), "10.20.1.201").replace("sizeGiB: 100", "sizeGiB: 3000") }, expected: [] },
  ],
  "period-months": [
    { name: "12 months, the maximum", expected: [] },
    { name: "13 months", text: B("months: 12", "months: 13"), expected: [
        ["period-months error 14:11", "申请使用周期为 13 个月，超过上限 12 个月。请改为不超过 12，到期前再申请续期。", "period.months is 13, above the maximum of 12. Use at most 12 and renew before it ends."],
      ] },
  ],
  "period-expired": [
    // The fixture's period ends 2027-08-31; the grace period is 30 days.
    { name: "on its last day", today: "2027-08-31", expected: [] },
    { name: "the day after", today: "2027-09-01", expected: [
        ["period-expired warning 13:10", "备案已于 2027-08-31 到期（已过 1 天）。宽限期到 2027-09-30 为止，之后虚拟服务器将被停止服务（不删除数据）。请提交续期申请：修改 period.start 和 period.months。", "The filing ended on 2027-08-31 (1 days ago). The grace period lasts until 2027-09-30; after that the VM is taken out of service (data kept). Renew by updating period.start and period.months."],
      ] },
    { name: "the last day of grace", today: "2027-09-30", expected: [
        ["period-expired warning 13:10", "备案已于 2027-08-31 到期（已过 30 天）。宽限期到 2027-09-30 为止，之后虚拟服务器将被停止服务（不删除数据）。请提交续期申请：修改 period.start 和 period.months。", "The filing ended on 2027-08-31 (30 days ago). The grace period lasts until 2027-09-30; after that the VM is taken out of service (data kept). Renew by updating period.start and period.months."],
      ] },
    { name: "past the grace period", today: "2027-10-01", expected: [
        ["period-expired warning 13:10", "备案已于 2027-08-31 到期（已过 31 天）。已超过宽限期，虚拟服务器将被停止服务（不删除数据）。请提交续期申请：修改 period.start 和 period.months。", "The filing ended on 2027-08-31 (31 days ago). The grace period is over; the VM is taken out of service (data kept). Renew by updating period.start and period.months."],
      ] },
    { name: "a new filing whose period is already over", today: "2027-09-01", change: { changed: [BASE_PATH], added: [BASE_PATH] }, expected: [
        ["period-expired error 13:10", "这是一份新备案，但申请的使用周期已于 2027-08-31 结束（1 天前）。请把 period.start 改为开通日期（今天 2027-09-01 或之后）。", "This is a new filing, but the requested period already ended on 2027-08-31 (1 days ago). Set period.start to the start date (today, 2027-09-01, or later)."],
      ] },
    { name: "a decommissioned filing is not warned", today: "2027-10-01", text: decommissioned("decommission: { requestedAt: 2026-11-01, backupTakenAt: 2026-11-02 }\n"), expected: [] },
  ],
  "forbidden-port": [
    { name: "port 65535", text: B("ports: []", 'ports: ["65535/tcp"]'), expected: [] },
    { name: "port 65536", text: B("ports: []", 'ports: ["65536/tcp"]'), expected: [
        ["forbidden-port error 23:11", "端口 65536/tcp 超出范围，端口号应在 1–65535 之间。", "Port 65536/tcp is out of range; ports are 1-65535."],
      ] },
    { name: "Squid's port over TCP", text: B("ports: []", 'ports: ["443/tcp", "3128/tcp"]'), expected: [
        ["forbidden-port error 23:22", "端口 3128/tcp 禁止开放（Squid HTTP 代理）。学校服务器不得提供代理或匿名网络服务，请删除该端口。", "Port 3128/tcp may not be opened (Squid HTTP proxy). School servers must not run proxy or anonymiser services; remove it."],
      ] },
    { name: "Squid's port, with no English reason in the config: the English message gives the Chinese one", text: B("ports: []", 'ports: ["3128/tcp"]'), config: withLimit(", reasonEn: Squid HTTP proxy", ""), expected: [
        ["forbidden-port error 23:11", "端口 3128/tcp 禁止开放（Squid HTTP 代理）。学校服务器不得提供代理或匿名网络服务，请删除该端口。", "Port 3128/tcp may not be opened (Squid HTTP 代理). School servers must not run proxy or anonymiser services; remove it."],
      ] },
    { name: "Squid's port over UDP (only TCP is forbidden)", text: B("ports: []", 'ports: ["3128/udp"]'), expected: [] },
    { name: "SOCKS over UDP (forbidden for any protocol)", text: B("ports: []", 'ports: ["1080/udp"]'), expected: [
        ["forbidden-port error 23:11", "端口 1080/udp 禁止开放（SOCKS 代理）。学校服务器不得提供代理或匿名网络服务，请删除该端口。", "Port 1080/udp may not be opened (SOCKS proxy). School servers must not run proxy or anonymiser services; remove it."],
      ] },
  ],
  "sensitive-port": [
    { name: "SSH inside the campus network", text: B("ports: []", 'ports: ["22/tcp"]'), expected: [] },
    { name: "SSH open to the Internet without a reason or sources", text: external('["443/tcp", "22/tcp"]'), expected: [
        ["sensitive-port error 23:22", "端口 22/tcp（SSH 远程登录）是敏感端口：暴力破解和漏洞利用的常见入口。对互联网开放须在 network.exposures 中写明理由并限定来源地址：在 network: 下面、与 ports 对齐加一行，例如 exposures: [{ port: 22/tcp, reason: 运维人员经学校 VPN 远程管理, sources: [\"10.8.0.0/16\"] }]；否则请删除该端口。", "Port 22/tcp (SSH remote login) is sensitive: a common way in for brute force and exploits. Open to the Internet it needs a reason and allowed sources in network.exposures: a line under network:, aligned with ports, e.g. exposures: [{ port: 22/tcp, reason: \"…\", sources: [\"10.8.0.0/16\"] }]; otherwise remove the port."],
      ] },
    { name: "SSH open to the Internet from the VPN only, with a reason", text: external('["443/tcp", "22/tcp"]', SSH_VIA_VPN), expected: [
        ["sensitive-port warning 23:22", "请审批人注意：敏感端口 22/tcp（SSH 远程登录）对互联网开放，仅限 10.8.0.0/16 访问。理由：运维人员经学校 VPN 远程管理。此类开放须信息安全校分管负责人批准。", "Approvers, note: the sensitive port 22/tcp (SSH remote login) is open to the Internet, from 10.8.0.0/16 only. Reason: 运维人员经学校 VPN 远程管理. Such exposure needs the security leader's approval."],
      ] },
    { name: "SSH open to the Internet from two ranges, with a reason", text: external('["443/tcp", "22/tcp"]', SSH_VIA_VPN.replace('["10.8.0.0/16"]', '["10.8.0.0/16", "10.9.0.0/16"]')), expected: [
        ["sensitive-port warning 23:22", "请审批人注意：敏感端口 22/tcp（SSH 远程登录）对互联网开放，仅限 10.8.0.0/16、10.9.0.0/16 访问。理由：运维人员经学校 VPN 远程管理。此类开放须信息安全校分管负责人批准。", "Approvers, note: the sensitive port 22/tcp (SSH remote login) is open to the Internet, from 10.8.0.0/16, 10.9.0.0/16 only. Reason: 运维人员经学校 VPN 远程管理. Such exposure needs the security leader's approval."],
      ] },
    { name: "one of two sources is the whole Internet: no note to the approvers beside the error", text: external('["443/tcp", "22/tcp"]', SSH_VIA_VPN.replace('["10.8.0.0/16"]', '["10.8.0.0/16", "0.0.0.0/0"]')), expected: [
        ["sensitive-port error 24:82", "来源地址 0.0.0.0/0 等于整个互联网，敏感端口 22/tcp 不能对所有地址开放。请改为需要访问的地址段，例如学校 VPN 的地址段。", "Source 0.0.0.0/0 is the whole Internet; the sensitive port 22/tcp may not be open to everyone. Name the ranges that need it, e.g. the school's VPN range."],
      ] },
    { name: "an exposure for a port that is not listed", text: external('["443/tcp"]', SSH_VIA_VPN), expected: [
        ["sensitive-port error 24:23", "network.exposures 中的端口 22/tcp 不在 network.ports 中。请把它加入 ports，或删除这一项说明。", "network.exposures names 22/tcp, which is not in network.ports. Add it to ports or remove the entry."],
      ] },
    { name: "an exposure to the whole Internet", text: external('["22/tcp"]', SSH_VIA_VPN.replace("10.8.0.0/16", "0.0.0.0/0")), expected: [
        ["sensitive-port error 24:67", "来源地址 0.0.0.0/0 等于整个互联网，敏感端口 22/tcp 不能对所有地址开放。请改为需要访问的地址段，例如学校 VPN 的地址段。", "Source 0.0.0.0/0 is the whole Internet; the sensitive port 22/tcp may not be open to everyone. Name the ranges that need it, e.g. the school's VPN range."],
      ] },
    { name: "an exposure to a range that is no range", text: external('["22/tcp"]', SSH_VIA_VPN.replace("10.8.0.0/16", "10.8.0.0/40")), expected: [
        ["sensitive-port error 24:67", "来源地址 10.8.0.0/40 不是有效的地址段。请写作 地址/前缀长度，例如 10.8.0.0/16。", "Source 10.8.0.0/40 is not a valid address range; write address/prefix, e.g. 10.8.0.0/16."],
      ] },
  ],
  "ip-in-pool": [
    { name: "an address outside the pool", text: B("ip: 10.20.1.200", "ip: 10.20.3.5"), expected: [
        ["ip-in-pool error 22:7", "IP 地址 10.20.3.5 不在校内网（internal）的可分配地址池内（10.20.1.10–10.20.1.250、10.20.2.10–10.20.2.250，网关 10.20.0.1 除外）。请改用地址池内的空闲地址，例如 10.20.1.25。", "network.ip 10.20.3.5 is not in the allocatable pool of zone internal (10.20.1.10-10.20.1.250, 10.20.2.10-10.20.2.250, gateway 10.20.0.1 excluded). Pick a free address from the pool, e.g. 10.20.1.25."],
      ] },
    { name: "the gateway", text: B("ip: 10.20.1.200", "ip: 10.20.0.1"), expected: [
        ["ip-in-pool error 22:7", "IP 地址 10.20.0.1 不在校内网（internal）的可分配地址池内（10.20.1.10–10.20.1.250、10.20.2.10–10.20.2.250，网关 10.20.0.1 除外）。请改用地址池内的空闲地址，例如 10.20.1.25。", "network.ip 10.20.0.1 is not in the allocatable pool of zone internal (10.20.1.10-10.20.1.250, 10.20.2.10-10.20.2.250, gateway 10.20.0.1 excluded). Pick a free address from the pool, e.g. 10.20.1.25."],
      ] },
    { name: "an address outside a pool with no address left", text: B("ip: 10.20.1.200", "ip: 10.20.3.5"), config: { "policies/networks.yaml": NETWORKS.replace("      - { from: 10.20.1.10, to: 10.20.1.250 }\n      - { from: 10.20.2.10, to: 10.20.2.250 }", "      - { from: 10.20.1.10, to: 10.20.1.10 }") }, expected: [
        ["ip-in-pool error 22:7", "IP 地址 10.20.3.5 不在校内网（internal）的可分配地址池内（10.20.1.10–10.20.1.10，网关 10.20.0.1 除外）。请改用地址池内的空闲地址（地址池已满，请联系信息中心）。", "network.ip 10.20.3.5 is not in the allocatable pool of zone internal (10.20.1.10-10.20.1.10, gateway 10.20.0.1 excluded). Pick a free address from the pool (the pool is full: ask the information center)."],
      ] },
  ],
  "ip-unique": [
    { name: "an address two other filings hold", text: B("ip: 10.20.1.200", "ip: 10.20.1.10"), more: { "filings/jwc/copy.yaml": sibling("copy", BASE, "10.20.1.10") }, expected: [
        ["ip-unique error 22:7 filings/jwc/copy.yaml", "IP 地址 10.20.1.10 已被 filings/jwc/exam-scheduling.yaml、filings/jwc/fixture.yaml 使用。每个地址全校只能登记一次：只改新提交的那一份（已批准在用的不用改），请改用其他空闲地址，例如 10.20.1.25。", "IP address 10.20.1.10 is also used by filings/jwc/exam-scheduling.yaml, filings/jwc/fixture.yaml. Each address is filed once: change only the newly filed one (an approved one in use stays), and pick a free one, e.g. 10.20.1.25."],
        ["ip-unique error 22:7 filings/jwc/exam-scheduling.yaml", "IP 地址 10.20.1.10 已被 filings/jwc/copy.yaml、filings/jwc/fixture.yaml 使用。每个地址全校只能登记一次：只改新提交的那一份（已批准在用的不用改），请改用其他空闲地址，例如 10.20.1.25。", "IP address 10.20.1.10 is also used by filings/jwc/copy.yaml, filings/jwc/fixture.yaml. Each address is filed once: change only the newly filed one (an approved one in use stays), and pick a free one, e.g. 10.20.1.25."],
        ["ip-unique error 22:7", "IP 地址 10.20.1.10 已被 filings/jwc/copy.yaml、filings/jwc/exam-scheduling.yaml 使用。每个地址全校只能登记一次：只改新提交的那一份（已批准在用的不用改），请改用其他空闲地址，例如 10.20.1.25。", "IP address 10.20.1.10 is also used by filings/jwc/copy.yaml, filings/jwc/exam-scheduling.yaml. Each address is filed once: change only the newly filed one (an approved one in use stays), and pick a free one, e.g. 10.20.1.25."],
      ] },
    { name: "an address another filing holds, in a pool with no address left", text: B("ip: 10.20.1.200", "ip: 10.20.1.10"), config: { "policies/networks.yaml": NETWORKS.replace("      - { from: 10.20.1.10, to: 10.20.1.250 }\n      - { from: 10.20.2.10, to: 10.20.2.250 }", "      - { from: 10.20.1.10, to: 10.20.1.10 }") }, expected: [
        ["ip-unique error 22:7 filings/jwc/exam-scheduling.yaml", "IP 地址 10.20.1.10 已被 filings/jwc/fixture.yaml 使用。每个地址全校只能登记一次：只改新提交的那一份（已批准在用的不用改），请改用其他空闲地址（地址池已满，请联系信息中心）。", "IP address 10.20.1.10 is also used by filings/jwc/fixture.yaml. Each address is filed once: change only the newly filed one (an approved one in use stays), and pick a free one (the pool is full: ask the information center)."],
        ["ip-unique error 22:7", "IP 地址 10.20.1.10 已被 filings/jwc/exam-scheduling.yaml 使用。每个地址全校只能登记一次：只改新提交的那一份（已批准在用的不用改），请改用其他空闲地址（地址池已满，请联系信息中心）。", "IP address 10.20.1.10 is also used by filings/jwc/exam-scheduling.yaml. Each address is filed once: change only the newly filed one (an approved one in use stays), and pick a free one (the pool is full: ask the information center)."],
      ] },
    { name: "in a pull request, only the filing it changes is told to move", text: B("ip: 10.20.1.200", "ip: 10.20.1.10"), change: { changed: [BASE_PATH], added: [BASE_PATH] }, expected: [
        ["ip-unique error 22:7", "IP 地址 10.20.1.10 已被 filings/jwc/exam-scheduling.yaml 使用。每个地址全校只能登记一次：请改用其他空闲地址，例如 10.20.1.25。", "IP address 10.20.1.10 is also used by filings/jwc/exam-scheduling.yaml. Each address is filed once: pick a free one, e.g. 10.20.1.25."],
      ] },
  ],
  "external-ports": [
    { name: "an external server with no port", text: external("[]"), expected: [
        ["external-ports error 23:3", "需要外网（zone: external）的服务器必须列出需要开放的端口，例如 ports: [\"443/tcp\"]。未列出的端口不会开放。", "A server in the external zone must list the ports to open, e.g. ports: [\"443/tcp\"]. Unlisted ports stay closed."],
      ] },
    { name: "an external server with one port", text: external('["443/tcp"]'), expected: [] },
  ],
  "log-retention": [
    { name: "60 days, the minimum", text: B("logRetentionDays: 180", "logRetentionDays: 60"), expected: [] },
    { name: "59 days", text: B("logRetentionDays: 180", "logRetentionDays: 59"), expected: [
        ["log-retention error 26:21", "日志保存天数为 59 天，少于规定的 60 天。请改为不少于 60。", "operations.logRetentionDays is 59, below the required 60. Keep logs at least 60 days."],
      ] },
  ],
  backup: [
    { name: "neither daily nor a second copy", text: B("daily: true, secondCopy: true", "daily: false, secondCopy: false"), expected: [
      ["backup error 25:20", "管理细则要求每天备份数据和日志，daily 必须为 true。", "The server rules require a daily backup of data and logs: daily must be true."],
      ["backup error 25:39", "管理细则要求重要数据双备份（另存到其他介质），secondCopy 必须为 true。", "The server rules require a second copy of important data on other media: secondCopy must be true."],
    ] },
  ],
  "responsibility-letter": [
    { name: "a letter version no longer accepted", text: B('responsibilityLetter: "2026-1"', 'responsibilityLetter: "2024-1"'), expected: [
      ["responsibility-letter error 28:25", "责任书版本 \"2024-1\" 已不再有效（有效版本：2025-1、2026-1）。请部门签署现行版本 \"2026-1\"（policies/responsibility-letter.md）后改为该版本。", "Letter version \"2024-1\" is no longer accepted (accepted: 2025-1, 2026-1). Sign the current version \"2026-1\" (policies/responsibility-letter.md) and name it."],
    ] },
  ],
  "physical-details": [
    { name: "a physical server online since today", text: physical(`${MAINTENANCE}onlineSince: 2026-11-23\n`), expected: [] },
    { name: "a physical server online from tomorrow", text: physical(`${MAINTENANCE}onlineSince: 2026-11-24\n`), expected: [
        ["physical-details error 32:14", "上线时间 2026-11-24 晚于今天（2026-11-23）。请填写服务器实际接入校园网的日期。", "onlineSince 2026-11-24 is after today (2026-11-23). Give the date the server actually went online."],
      ] },
    { name: "a new physical server filed 30 days after going online, the deadline", text: physical(`${MAINTENANCE}onlineSince: 2026-10-24\n`), change: { changed: [BASE_PATH], added: [BASE_PATH] }, expected: [] },
    { name: "a new physical server filed 31 days after going online", text: physical(`${MAINTENANCE}onlineSince: 2026-10-23\n`), change: { changed: [BASE_PATH], added: [BASE_PATH] }, expected: [
        ["physical-details warning 32:14", "物理服务器于 2026-10-23 上线，至今已 31 天，超过上线后 30 天内备案的期限。仍可提交，审批人会看到这一提示；请在 remarks（备注）中写明补报原因。", "The physical server went online on 2026-10-23, 31 days ago, past the deadline of filing within 30 days. You can still submit, and the approvers see this note; say in remarks why it is filed late."],
      ] },
    { name: "a change to a physical server filed long after it went online: not new, not warned", text: physical(`${MAINTENANCE}onlineSince: 2026-01-05\n`), change: { changed: [BASE_PATH], added: [] }, expected: [] },
    { name: "a physical server without maintenance or onlineSince", text: physical(""), expected: [
        ["physical-details error 4:7", "物理服务器必须填写维保信息 maintenance（维保单位 vendor、是否在保 underWarranty、维保技术人员 technician 的姓名 name 和电话 phone）。", "A physical server needs maintenance: vendor, underWarranty and technician { name, phone }."],
        ["physical-details error 4:7", "物理服务器必须填写上线时间 onlineSince（YYYY-MM-DD）。", "A physical server needs onlineSince (YYYY-MM-DD)."],
      ] },
    { name: "a virtual server with maintenance and onlineSince", text: `${BASE}${MAINTENANCE}onlineSince: 2026-11-01\n`, expected: [
        ["physical-details warning 31:1", "虚拟服务器不需要 maintenance（仅物理服务器填写），该字段将被忽略，建议删除。", "A virtual server does not use maintenance (physical servers only); it is ignored — remove it."],
        ["physical-details warning 32:1", "虚拟服务器不需要 onlineSince（仅物理服务器填写），该字段将被忽略，建议删除。", "A virtual server does not use onlineSince (physical servers only); it is ignored — remove it."],
      ] },
  ],
  "decommission-record": [
    { name: "backup taken today", text: decommissioned("decommission: { requestedAt: 2026-11-23, backupTakenAt: 2026-11-23 }\n"), expected: [] },
    { name: "backup and request dated tomorrow", text: decommissioned("decommission: { requestedAt: 2026-11-24, backupTakenAt: 2026-11-24 }\n"), expected: [
        ["decommission-record error 31:30", "requestedAt 为 2026-11-24，晚于今天（2026-11-23）。请填写已经发生的日期。", "decommission.requestedAt 2026-11-24 is after today (2026-11-23). Give a date that has passed."],
        ["decommission-record error 31:57", "backupTakenAt 为 2026-11-24，晚于今天（2026-11-23）。请填写已经发生的日期。", "decommission.backupTakenAt 2026-11-24 is after today (2026-11-23). Give a date that has passed."],
      ] },
    { name: "no backup date", text: decommissioned("decommission: { requestedAt: 2026-11-01 }\n"), expected: [
        ["decommission-record error 31:1", "下线前必须完成数据备份并填写 decommission.backupTakenAt（备份完成日期）。未记录备份的服务器不会被关机。", "Take a final backup and record decommission.backupTakenAt before decommissioning; without it the server is not shut down."],
      ] },
    { name: "no decommission record", text: decommissioned(""), expected: [
        ["decommission-record error 29:9", "状态为已申请下线（decommissioned）时必须填写 decommission：申请下线日期 requestedAt 和数据备份完成日期 backupTakenAt。", "A decommissioned filing needs decommission: requestedAt and backupTakenAt."],
      ] },
    { name: "a record on an active filing", text: `${BASE}decommission: { requestedAt: 2026-11-01, backupTakenAt: 2026-11-02 }\n`, expected: [
        ["decommission-record warning 31:1", "填写了 decommission，但状态仍为 active。若要下线，请把 status 改为 decommissioned；否则请删除 decommission。", "decommission is filled in but status is still active. Set status: decommissioned to decommission, or remove decommission."],
      ] },
  ],
  "security-group": [
    // jwc has three active servers; with the fixture, four.
    { name: "as many active servers as the threshold", config: withLimit("securityGroupThreshold: 20", "securityGroupThreshold: 4"), expected: [] },
    { name: "one more than the threshold", config: withLimit("securityGroupThreshold: 20", "securityGroupThreshold: 3"), expected: [
        ["security-group error 5:11 policies/departments.yaml", "部门 jwc（教务处）有 4 台在用服务器，超过 3 台，必须成立信息网络安全小组并在此登记 securityGroup（组长 leader、网络管理员 networkAdmin、安全员 securityOfficer）。", "Department jwc has 4 active servers, more than 3: it must form a security group and list it here as securityGroup { leader, networkAdmin, securityOfficer }."],
      ] },
    { name: "a decommissioned server does not count", text: decommissioned("decommission: { requestedAt: 2026-11-01, backupTakenAt: 2026-11-02 }\n"), config: withLimit("securityGroupThreshold: 20", "securityGroupThreshold: 3"), expected: [] },
  ],
};

const PRINT = process.env.PRINT_RULE_CASES === "1";
describe.each(Object.entries(cases).filter(([, list]) => list.length > 0))("%s", (_rule, list) => {
  it.each(list.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const seen = added(c);
    if (PRINT) console.log(`@@ ${_rule} :: ${c.name} :: ${JSON.stringify(seen)}`);
    expect(seen).toEqual(c.expected);
  });
});

describe("a folder or file name as `filing new` asks for it (pathPartProblem)", () => {
  it.each([
    ["folder", "jwc", undefined],
    ["folder", "jwc2", undefined],
    ["folder", "jwc-x", 'The folder "jwc-x" may use only lowercase a-z, 0-9 and \'-\'. Rename it in plain ASCII.'],
    ["folder", "2jwc", 'The folder "2jwc" may use only lowercase a-z, 0-9 and \'-\'. Rename it in plain ASCII.'],
    ["file", "course-selection", undefined],
    ["file", "-fixture", 'The file name "-fixture" may use only lowercase a-z, 0-9 and \'-\'. Rename it in plain ASCII (e.g. reading-room.yaml).'],
    ["file", "fixture-", 'The file name "fixture-" may use only lowercase a-z, 0-9 and \'-\'. Rename it in plain ASCII (e.g. reading-room.yaml).'],
    ["file", "fixture--2", 'The file name "fixture--2" may use only lowercase a-z, 0-9 and \'-\'. Rename it in plain ASCII (e.g. reading-room.yaml).'],
  ] as const)("%s %s", (part, value, en) => {
    expect(pathPartProblem(part, value)?.en).toBe(en);
  });

  it("says in Chinese what a name may hold, naming no characters when all are plain", () => {
    expect(pathPartProblem("file", "-fixture")?.zh).toBe('文件名 "-fixture" 只能包含小写英文字母、数字和连字符。请用英文半角重新命名（如 reading-room.yaml）。');
  });

  it("names look-alike characters in Chinese too", () => {
    expect(pathPartProblem("folder", "jwс")?.zh).toBe('目录名 "jwс" 只能包含小写英文字母、数字和连字符，其中含有形近的西里尔字母“с”。请用英文半角重新命名。');
  });
});

describe("a department written by its name (departmentCodeFor)", () => {
  const departments = new Map([["jwc", { name: "教务处" }], ["tsg", { name: "图书馆" }]]);
  it.each([
    ["its name", "教务处", "jwc"],
    ["its name with spaces around it (a quoted value keeps them)", " 教务处 ", "jwc"],
    ["its code in capitals", "JWC", "jwc"],
    ["its code already", "jwc", undefined],
    ["a name no department has", "外语学院", undefined],
  ] as const)("%s", (_name, written, code) => {
    expect(departmentCodeFor(written, departments)).toBe(code);
  });

  it("two departments of one name: neither is guessed", () => {
    expect(departmentCodeFor("图书馆", new Map([...departments, ["lib", { name: "图书馆" }]]))).toBeUndefined();
  });
});

describe("docs/overview.md describes each rule once", () => {
  it("its rules table lists exactly the rules the validator runs, with their severity", () => {
    const overview = fs.readFileSync(path.join(REPO, "docs/overview.md"), "utf8");
    const table = overview.slice(overview.indexOf("## Rules"), overview.indexOf("Loader and schema problems"));
    const rows = [...table.matchAll(/^\| `([a-z-]+)` \| ([a-z /]+) \|/gm)].map((m) => [m[1], m[2]!.trim()]);
    // sensitive-port also warns (the approvers' note), physical-details too (a virtual filing carrying them).
    const shown = RULES.map((r) => [r.id, r.id === "sensitive-port" ? "error / warning" : r.severity]);
    expect(rows).toEqual(shown);
  });
});
