/**
 * An exposure's allowed sources are read as a reader reads them: an address with a leading zero
 * (`010.8.0.0/16`, which ipaddr.js reads as octal 8.8.0.0, a public range) is no address at all.
 */
import { describe, expect, it } from "vitest";
import { parseSubnet } from "../../lib/net/ip";
import { BASE, BASE_PATH, edit, problemsIn, validateWith } from "../helpers/register";

const withSources = (sources: string) =>
  edit(edit(edit(BASE, "zone: internal", "zone: external"), "ip: 10.20.1.200", "ip: 203.0.113.150"), "  ports: []", `  ports: ["22/tcp"]\n  exposures: [{ port: 22/tcp, reason: 运维人员经学校 VPN 远程管理, sources: ["${sources}"] }]`);

describe("a sensitive port's sources", () => {
  it("the school VPN's range passes: the baseline (a note to approvers only)", () => {
    expect(problemsIn(validateWith({ [BASE_PATH]: withSources("10.8.0.0/16") }), BASE_PATH).map((p) => p.severity)).toEqual(["warning"]);
  });

  it("a leading zero is refused, not read as another range", () => {
    expect(problemsIn(validateWith({ [BASE_PATH]: withSources("010.8.0.0/16") }), BASE_PATH).map((p) => [p.rule, p.severity, p.message.zh])).toEqual([
      ["sensitive-port", "error", "来源地址 010.8.0.0/16 不是有效的地址段。请写作 地址/前缀长度，例如 10.8.0.0/16。"],
    ]);
  });

  it("parses only address/length in plain decimal", () => {
    expect(parseSubnet("10.8.0.0/16")).toEqual({ first: 168296448, last: 168361983, prefixLength: 16 });
    for (const bad of ["010.8.0.0/16", "10.8.0.0/016", "10.8.0.0", "10.8.0.0/16/1", "0x0a.8.0.0/16", "10.8.0.0/33", "10.8/16"]) expect(parseSubnet(bad), bad).toBeUndefined();
  });
});
