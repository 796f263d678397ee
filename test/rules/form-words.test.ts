/**
 * What the department desk's form shows for each rule that speaks of the file (Message.form): the
 * same finding, with the box to use instead of the key to write. From the passing fixture with one
 * thing changed, like test/rules/rules.test.ts; both languages, exactly.
 */
import { describe, expect, it } from "vitest";
import { BASE, BASE_PATH, edit, validateWith } from "../helpers/register";

const B = (from: string, to: string) => edit(BASE, from, to);
const external = (ports: string, more = "") => edit(edit(B("zone: internal", "zone: external"), "ip: 10.20.1.200", "ip: 203.0.113.150"), "  ports: []", `  ports: ${ports}${more}`);
const physical = (extra: string) => B("type: virtual", "type: physical") + extra;
const MAINTENANCE = 'maintenance: { vendor: 某公司, underWarranty: true, technician: { name: 李四, phone: "13900001111" } }\n';
const NEW = { changed: new Set([BASE_PATH]), added: new Set([BASE_PATH]) };

interface Case {
  readonly name: string;
  readonly text: string;
  readonly today?: string;
  readonly change?: typeof NEW;
  /** More files of the register, by path. */
  readonly more?: Record<string, string>;
  /** The rule, then the form's words in Chinese and English. */
  readonly expected: readonly [string, string, string];
}

const cases: Case[] = [
  { name: "a sensitive port with no explanation", text: external('["22/tcp"]'), expected: ["sensitive-port",
    "端口 22/tcp（SSH 远程登录）是敏感端口：暴力破解和漏洞利用的常见入口。对互联网开放须写明理由并限定来源地址：请在下方“敏感端口说明”中填一行（端口 22/tcp、理由、允许访问的来源地址段，例如学校 VPN 10.8.0.0/16）；否则请删除该端口。",
    "Port 22/tcp (SSH remote login) is sensitive: a common way in for brute force and exploits. Open to the Internet it needs a reason and allowed sources: fill in a row under \"sensitive ports\" below (port 22/tcp, the reason, the source ranges allowed, e.g. the school VPN 10.8.0.0/16); otherwise remove the port."] },
  { name: "an explanation for a port not opened", text: external('["443/tcp"]', '\n  exposures: [{ port: 3389/tcp, reason: 运维人员远程桌面, sources: ["10.8.0.0/16"] }]'), expected: ["sensitive-port",
    "这一行说明的端口 3389/tcp 不在上面的“开放端口”中。请把它加入开放端口，或清空这一行。",
    "This row's port 3389/tcp is not among the ports to open above. Add it there, or clear the row."] },
  { name: "the external zone with no port", text: external("[]"), expected: ["external-ports",
    "需要外网的服务器必须列出需要开放的端口，例如 443/tcp。未列出的端口不会开放。",
    "A server in the external zone must list the ports to open, e.g. 443/tcp. Unlisted ports stay closed."] },
  { name: "an address outside the pool", text: B("ip: 10.20.1.200", "ip: 10.99.0.5"), expected: ["ip-in-pool",
    "IP 地址 10.99.0.5 不在校内网的可分配地址池内（10.20.1.10–10.20.1.250、10.20.2.10–10.20.2.250，网关 10.20.0.1 除外）。请改用地址池内的空闲地址，例如 10.20.1.25。",
    "The IP address 10.99.0.5 is not in the allocatable pool of zone internal (10.20.1.10-10.20.1.250, 10.20.2.10-10.20.2.250, gateway 10.20.0.1 excluded). Pick a free address from the pool, e.g. 10.20.1.25."] },
  { name: "an address another filing holds", text: B("ip: 10.20.1.200", "ip: 10.20.1.11"), change: NEW, expected: ["ip-unique",
    "IP 地址 10.20.1.11 已被备案 jwc-grade-archive 使用。每个地址全校只能登记一次：请改用其他空闲地址，例如 10.20.1.25。",
    "IP address 10.20.1.11 is also used by filing jwc-grade-archive. Each address is filed once: pick a free one, e.g. 10.20.1.25."] },
  { name: "an address two other filings hold", text: B("ip: 10.20.1.200", "ip: 10.20.1.11"), change: NEW, more: { "filings/jwc/copy.yaml": edit(edit(BASE, "id: jwc-fixture", "id: jwc-copy"), "ip: 10.20.1.200", "ip: 10.20.1.11") }, expected: ["ip-unique",
    "IP 地址 10.20.1.11 已被备案 jwc-copy、jwc-grade-archive 使用。每个地址全校只能登记一次：请改用其他空闲地址，例如 10.20.1.25。",
    "IP address 10.20.1.11 is also used by filing jwc-copy, jwc-grade-archive. Each address is filed once: pick a free one, e.g. 10.20.1.25."] },
  { name: "no daily backup", text: B("daily: true", "daily: false"), expected: ["backup",
    "管理细则要求每天备份数据和日志：请选“是”，并按此执行。", "The server rules require a daily backup of data and logs: choose Yes, and do it."] },
  { name: "no second copy", text: B("secondCopy: true", "secondCopy: false"), expected: ["backup",
    "管理细则要求重要数据双备份（另存到其他介质）：请选“是”，并按此执行。", "The server rules require a second copy of important data on other media: choose Yes, and do it."] },
  { name: "a letter no longer accepted", text: B('responsibilityLetter: "2026-1"', 'responsibilityLetter: "2019-1"'), expected: ["responsibility-letter",
    "责任书版本 2019-1 已不再有效（有效版本：2025-1、2026-1）。请部门签署现行版本 2026-1（向信息中心索取）后填写 2026-1。",
    "Letter version 2019-1 is no longer accepted (accepted: 2025-1, 2026-1). Sign the current version 2026-1 (from the information center) and enter 2026-1."] },
  { name: "a new filing whose period is over", text: B("start: 2026-09-01", "start: 2025-01-01"), change: NEW, expected: ["period-expired",
    "申请的使用周期已于 2025-12-31 结束（327 天前）。请把开通时间改为今天（2026-11-23）或之后。",
    "The requested period already ended on 2025-12-31 (327 days ago). Make the start today (2026-11-23) or later."] },
  { name: "a physical server without maintenance", text: physical("onlineSince: 2026-11-01\n"), expected: ["physical-details",
    "物理服务器必须填写下方的维保信息（维保单位、是否在保、维保技术人员的姓名和电话）。", "A physical server needs the maintenance details below: vendor, under warranty, and the technician's name and phone."] },
  { name: "a physical server without its online date", text: physical(MAINTENANCE), expected: ["physical-details",
    "物理服务器必须填写下方的上线时间。", "A physical server needs its online date below."] },
  { name: "a physical server filed late", text: physical(`${MAINTENANCE}onlineSince: 2026-01-05\n`), change: NEW, expected: ["physical-details",
    "物理服务器于 2026-01-05 上线，至今已 322 天，超过上线后 30 天内备案的期限。仍可提交，审批人会看到这一提示；请在备注中写明补报原因。",
    "The physical server went online on 2026-01-05, 322 days ago, past the deadline of filing within 30 days. You can still submit, and the approvers see this note; say in the remarks why it is filed late."] },
  { name: "a decommission without its backup date", text: `${B("status: active", "status: decommissioned")}decommission: { requestedAt: 2026-11-20 }\n`, expected: ["decommission-record",
    "下线前必须完成数据备份，并在上方填写备份完成日期。未记录备份的服务器不会被关机。", "Take a final backup and fill in the date it was taken above; without it the server is not shut down."] },
];

describe("the form's words for the rules that speak of the file", () => {
  it("the fixture passes: the baseline the cases change one thing of", () => {
    expect(validateWith({ [BASE_PATH]: BASE }).problems.filter((p) => p.file === BASE_PATH)).toEqual([]);
  });

  it.each(cases)("$name", (c) => {
    const mine = validateWith({ [BASE_PATH]: c.text, ...c.more }, { today: c.today, change: c.change }).problems.filter((p) => p.file === BASE_PATH && p.rule === c.expected[0]);
    const seen = mine.map((p) => [p.rule, p.message.form?.zh, p.message.form?.en] as const);
    if (process.env.PRINT_FORM_WORDS) console.log(`@@ ${c.name} :: ${JSON.stringify(seen)}`);
    expect(seen).toEqual([c.expected]);
    // The file's own words are kept for `filing validate` and the pull request's check.
    expect(mine[0]!.message.zh).not.toBe(c.expected[1]);
  });
});
