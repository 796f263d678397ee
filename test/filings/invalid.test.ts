import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BASE, BASE_PATH, FIXTURES, edit, problemsIn, validateWith } from "../helpers/register";

interface Case {
  name: string;
  text: string | Uint8Array;
  rule: string;
  line: number;
  file?: string;
  config?: Record<string, string>;
}

/** Hostile YAML and schema cases live as files; the first line says `# expect: <rule> <line>`. */
const fileCases: Case[] = fs
  .readdirSync(path.join(FIXTURES, "filings/invalid"))
  .filter((n) => n.endsWith(".yaml"))
  .sort()
  .map((name) => {
    const text = fs.readFileSync(path.join(FIXTURES, "filings/invalid", name), "utf8");
    const m = /^# expect: (\S+) (\d+)/.exec(text);
    if (!m) throw new Error(`${name}: first line must be "# expect: <rule> <line>"`);
    return { name, text, rule: m[1]!, line: Number(m[2]) };
  });

/** Institution-rule cases: the valid base filing with one thing changed. */
const ruleCases: Case[] = [
  { name: "id does not match the file", text: edit(BASE, "id: jwc-fixture", "id: jwc-other"), rule: "filing-id", line: 2 },
  { name: "department not in the list", text: edit(edit(BASE, "department: jwc", "department: abc"), "id: jwc-fixture", "id: abc-fixture"), file: "filings/abc/fixture.yaml", rule: "filing-department", line: 3 },
  { name: "department differs from the folder", text: edit(BASE, "department: jwc", "department: xgb"), rule: "filing-department", line: 3 },
  { name: "file name with a homoglyph", text: edit(BASE, "id: jwc-fixture", "id: jwc-fixture"), file: "filings/jwc/fixturе.yaml", rule: "filing-location", line: 2 },
  { name: "file outside a department folder", text: BASE, file: "filings/fixture.yaml", rule: "filing-location", line: 2 },
  { name: ".yml extension", text: BASE, file: "filings/jwc/fixture.yml", rule: "filing-location", line: 2 },
  { name: "period longer than a year", text: edit(BASE, "months: 12", "months: 24"), rule: "period-months", line: 14 },
  { name: "too many CPUs for one VM", text: edit(BASE, "cpu: 4", "cpu: 64"), rule: "vm-limits", line: 16 },
  { name: "too much memory for one VM", text: edit(BASE, "memoryGiB: 8", "memoryGiB: 512"), rule: "vm-limits", line: 17 },
  { name: "too much disk for one VM", text: edit(BASE, "sizeGiB: 100", "sizeGiB: 5000"), rule: "vm-limits", line: 18 },
  { name: "department quota exceeded", text: edit(BASE, "sizeGiB: 100", "sizeGiB: 3000"), rule: "department-quota", line: 15 },
  { name: "IP outside the pool", text: edit(BASE, "ip: 10.20.1.200", "ip: 10.20.3.5"), rule: "ip-in-pool", line: 22 },
  { name: "IP is the gateway", text: edit(BASE, "ip: 10.20.1.200", "ip: 10.20.0.1"), rule: "ip-in-pool", line: 22 },
  { name: "IP of the wrong zone", text: edit(BASE, "ip: 10.20.1.200", "ip: 203.0.113.150"), rule: "ip-in-pool", line: 22 },
  { name: "IP already filed", text: edit(BASE, "ip: 10.20.1.200", "ip: 10.20.1.10"), rule: "ip-unique", line: 22 },
  { name: "external without ports", text: edit(edit(BASE, "zone: internal", "zone: external"), "ip: 10.20.1.200", "ip: 203.0.113.150"), rule: "external-ports", line: 23 },
  { name: "Squid proxy port", text: edit(BASE, "ports: []", 'ports: ["443/tcp", "3128/tcp"]'), rule: "forbidden-port", line: 23 },
  { name: "Tor SOCKS port", text: edit(BASE, "ports: []", 'ports: ["9050/tcp"]'), rule: "forbidden-port", line: 23 },
  { name: "SOCKS over UDP (any protocol)", text: edit(BASE, "ports: []", 'ports: ["1080/udp"]'), rule: "forbidden-port", line: 23 },
  { name: "port above 65535", text: edit(BASE, "ports: []", 'ports: ["70000/tcp"]'), rule: "forbidden-port", line: 23 },
  { name: "logs kept too briefly", text: edit(BASE, "logRetentionDays: 180", "logRetentionDays: 30"), rule: "log-retention", line: 26 },
  { name: "no daily backup", text: edit(BASE, "daily: true", "daily: false"), rule: "backup", line: 25 },
  { name: "no second copy", text: edit(BASE, "secondCopy: true", "secondCopy: false"), rule: "backup", line: 25 },
  { name: "letter version no longer accepted", text: edit(BASE, 'responsibilityLetter: "2026-1"', 'responsibilityLetter: "2024-1"'), rule: "responsibility-letter", line: 28 },
  { name: "physical without maintenance", text: edit(BASE, "type: virtual", "type: physical") + "onlineSince: 2026-08-01\n", rule: "physical-details", line: 4 },
  { name: "physical without onlineSince", text: edit(BASE, "type: virtual", "type: physical") + 'maintenance: { vendor: 某公司, underWarranty: true, technician: { name: 李四, phone: "13900001111" } }\n', rule: "physical-details", line: 4 },
  { name: "physical online in the future", text: edit(BASE, "type: virtual", "type: physical") + 'maintenance: { vendor: 某公司, underWarranty: true, technician: { name: 李四, phone: "13900001111" } }\nonlineSince: 2027-01-01\n', rule: "physical-details", line: 32 },
  { name: "decommissioned without a backup date", text: edit(BASE, "status: active", "status: decommissioned") + "decommission: { requestedAt: 2026-11-01 }\n", rule: "decommission-record", line: 31 },
  { name: "decommissioned without decommission", text: edit(BASE, "status: active", "status: decommissioned"), rule: "decommission-record", line: 29 },
  { name: "backup date in the future", text: edit(BASE, "status: active", "status: decommissioned") + "decommission: { requestedAt: 2026-11-01, backupTakenAt: 2026-12-01 }\n", rule: "decommission-record", line: 31 },
  {
    name: "department over 20 servers without a security group",
    text: BASE,
    rule: "security-group",
    line: 5,
    file: "policies/departments.yaml",
    config: { "policies/limits.yaml": edit(fs.readFileSync(path.join(__dirname, "../../policies/limits.yaml"), "utf8"), "securityGroupThreshold: 20", "securityGroupThreshold: 3") },
  },
];

function expectCase(c: Case): void {
  const file = c.file?.startsWith("filings/") ? c.file : BASE_PATH;
  const result = validateWith({ [file]: c.text }, { config: c.config });
  const where = c.file ?? file;
  const found = problemsIn(result, where);
  const summary = found.map((p) => `${p.rule}@${p.line}: ${p.message.zh}`).join("\n");
  expect(found.some((p) => p.rule === c.rule && p.line === c.line && p.severity === "error"), `${c.name}; found:\n${summary}`).toBe(true);
  // Every message is in both languages and says something concrete.
  for (const p of found) {
    expect(p.message.zh).toMatch(/[\u4e00-\u9fff]/);
    expect(p.message.en).toMatch(/[a-z]/);
  }
}

describe("bad filings are refused with a located message", () => {
  it("has at least 40 bad inputs", () => {
    expect(fileCases.length + ruleCases.length).toBeGreaterThanOrEqual(40);
  });
  it.each(fileCases.map((c) => [c.name, c] as const))("%s", (_name, c) => expectCase(c));
  it.each(ruleCases.map((c) => [c.name, c] as const))("%s", (_name, c) => expectCase(c));
});

describe("file-level refusals", () => {
  it("refuses a file over 256 KiB without parsing it", () => {
    const big = `${BASE}remarks2: "${"x".repeat(300 * 1024)}"\n`;
    const found = problemsIn(validateWith({ [BASE_PATH]: big }), BASE_PATH);
    expect(found.map((p) => [p.rule, p.line])).toEqual([["file-too-large", 1]]);
  });

  it("refuses GBK text and names the line of the first bad byte", () => {
    const gbk = Buffer.concat([Buffer.from(BASE.split("purpose:")[0]!, "utf8"), Buffer.from("purpose: ", "utf8"), Buffer.from([0xb2, 0xe2, 0xca, 0xd4]), Buffer.from("\n")]);
    const found = problemsIn(validateWith({ [BASE_PATH]: gbk }), BASE_PATH);
    expect(found.map((p) => [p.rule, p.line])).toEqual([["file-encoding", 5]]);
    expect(found[0]!.message.zh).toContain("UTF-8");
  });

  it("accepts a UTF-8 byte-order mark", () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(BASE, "utf8")]);
    expect(problemsIn(validateWith({ [BASE_PATH]: withBom }), BASE_PATH)).toEqual([]);
  });
});
