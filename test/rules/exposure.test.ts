import { describe, expect, it } from "vitest";
import { parseConfig } from "../../lib/config/parse";
import { parseFiling } from "../../lib/filings/parse";
import { widenedExposures } from "../../lib/net/exposure";
import { BASE, BASE_PATH, edit, problemsIn, sampleConfig, validateWith } from "../helpers/register";

/**
 * Sensitive ports facing the Internet: from a passing external filing that opens SSH to the school's
 * VPN with a reason, one thing changed per case.
 */
const PASSING = edit(
  edit(edit(BASE, "zone: internal", "zone: external"), "ip: 10.20.1.200", "ip: 203.0.113.150"),
  "ports: []",
  `ports: ["443/tcp", "22/tcp"]
  exposures:
    - port: 22/tcp
      reason: 运维人员经学校 VPN 远程管理
      sources: ["10.8.0.0/16"]`,
);

const cases: { name: string; text: string; found: string[]; says?: RegExp }[] = [
  { name: "justified and restricted: a warning for the approvers", text: PASSING, found: ["warning sensitive-port 23"], says: /请审批人注意：敏感端口 22\/tcp（SSH 远程登录）对互联网开放，仅限 10\.8\.0\.0\/16 访问。理由：运维人员经学校 VPN 远程管理/ },
  { name: "no reason and no sources", text: edit(PASSING, `  exposures:
    - port: 22/tcp
      reason: 运维人员经学校 VPN 远程管理
      sources: ["10.8.0.0/16"]`, ""), found: ["error sensitive-port 23"], says: /端口 22\/tcp（SSH 远程登录）是敏感端口.*须在 network\.exposures 中写明理由并限定来源地址/ },
  { name: "the whole Internet as the source", text: edit(PASSING, `["10.8.0.0/16"]`, `["0.0.0.0/0"]`), found: ["error sensitive-port 27"], says: /等于整个互联网/ },
  { name: "a source that is not a range", text: edit(PASSING, `["10.8.0.0/16"]`, `["10.8.0.0/40"]`), found: ["error sensitive-port 27"], says: /不是有效的地址段/ },
  { name: "an explanation for a port that is not opened", text: edit(PASSING, `["443/tcp", "22/tcp"]`, `["443/tcp"]`), found: ["error sensitive-port 25"], says: /不在 network\.ports 中/ },
  { name: "a port inside a sensitive range (137/udp of 135–139)", text: edit(PASSING, `["443/tcp", "22/tcp"]`, `["443/tcp", "22/tcp", "137/udp"]`), found: ["error sensitive-port 23", "warning sensitive-port 23"], says: /137\/udp（Windows RPC\/NetBIOS）是敏感端口/ },
  { name: "RDP over UDP (protocol any)", text: edit(PASSING, `["443/tcp", "22/tcp"]`, `["443/tcp", "22/tcp", "3389/udp"]`), found: ["error sensitive-port 23", "warning sensitive-port 23"] },
  { name: "a database without a reason", text: edit(PASSING, `["443/tcp", "22/tcp"]`, `["443/tcp", "22/tcp", "3306/tcp"]`), found: ["error sensitive-port 23", "warning sensitive-port 23"], says: /MySQL/ },
  { name: "a reason too short to say anything", text: edit(PASSING, "reason: 运维人员经学校 VPN 远程管理", "reason: 需要"), found: ["error schema-range 26"] },
  { name: "the internal zone is not filtered per VM: no finding", text: edit(edit(PASSING, "zone: external", "zone: internal"), "ip: 203.0.113.150", "ip: 10.20.1.200"), found: [] },
];

describe("sensitive ports facing the Internet", () => {
  it.each(cases)("$name", (c) => {
    const problems = problemsIn(validateWith({ [BASE_PATH]: c.text }), BASE_PATH);
    expect(problems.map((p) => `${p.severity} ${p.rule} ${p.line}`).sort()).toEqual([...c.found].sort());
    if (c.says) expect(problems.map((p) => p.message.zh).join("\n")).toMatch(c.says);
  });
});

describe("widenedExposures: what a change opens or widens", () => {
  const config = parseConfig(sampleConfig).loaded!.config;
  const filing = (text: string) => parseFiling({ path: BASE_PATH, bytes: Buffer.from(text) }).loaded!.filing;
  it.each([
    ["a new filing with SSH", undefined, PASSING, ["22/tcp"]],
    ["unchanged", PASSING, PASSING, []],
    ["a narrower source", PASSING, edit(PASSING, `["10.8.0.0/16"]`, `["10.8.1.0/24"]`), []],
    ["a wider source", PASSING, edit(PASSING, `["10.8.0.0/16"]`, `["10.8.0.0/15"]`), ["22/tcp"]],
    ["another source", PASSING, edit(PASSING, `["10.8.0.0/16"]`, `["10.8.0.0/16", "192.0.2.0/24"]`), ["22/tcp"]],
    ["internal → external with SSH", edit(edit(PASSING, "zone: external", "zone: internal"), "ip: 203.0.113.150", "ip: 10.20.1.200"), PASSING, ["22/tcp"]],
    ["a port that is not sensitive", PASSING, edit(PASSING, `["443/tcp", "22/tcp"]`, `["443/tcp", "22/tcp", "8443/tcp"]`), []],
  ] as const)("%s", (_name, before, after, expected) => {
    expect(widenedExposures(before === undefined ? undefined : filing(before), filing(after), config)).toEqual(expected);
  });
});
