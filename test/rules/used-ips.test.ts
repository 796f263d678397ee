/**
 * The desk checks a keystroke against the part of the register that bears on it, and passes the
 * whole register's addresses in use (RegisterInput.usedIps): the free address a message offers is
 * then one no filing holds, inside the part or outside it.
 */
import { describe, expect, it } from "vitest";
import { validateRegister } from "../../lib/validate";
import { BASE, BASE_PATH, edit, sampleConfig, sampleFilings, TODAY } from "../helpers/register";
import * as YAML from "yaml";
import type { SourceFile } from "../../lib/yaml/strict";

/** The addresses the filings hold, as the desk passes them. */
function readFilingFacts(files: readonly SourceFile[]): Set<string> {
  return new Set(files.map((f) => (YAML.parse(Buffer.from(f.bytes).toString("utf8")) as { network?: { ip?: string } } | null)?.network?.ip).filter((ip): ip is string => typeof ip === "string"));
}

const NEW = { changed: new Set([BASE_PATH]), added: new Set([BASE_PATH]) };
const registerIps = readFilingFacts(sampleFilings);
const zh = (filings: { path: string; bytes: Buffer }[], usedIps?: ReadonlySet<string>) =>
  validateRegister({ filings, known: [], config: sampleConfig, today: TODAY, change: NEW, ...(usedIps ? { usedIps } : {}) }).problems.filter((p) => p.file === BASE_PATH && p.rule.startsWith("ip-")).map((p) => [p.rule, p.message.zh]);
const file = (path: string, ip: string) => ({ path, bytes: Buffer.from(edit(edit(BASE, "ip: 10.20.1.200", `ip: ${ip}`), "id: jwc-fixture", `id: jwc-${path.split("/").pop()!.replace(".yaml", "")}`)) });

describe("the free address offered, from a part of the register", () => {
  it("without the register's addresses, the lowest of the pool: the baseline", () => {
    expect(zh([file(BASE_PATH, "10.99.0.5")])).toEqual([["ip-in-pool", expect.stringContaining("例如 10.20.1.10。")]]);
  });

  it("with them, one no filing of the register holds", () => {
    expect(zh([file(BASE_PATH, "10.99.0.5")], registerIps)).toEqual([["ip-in-pool", expect.stringContaining("例如 10.20.1.25。")]]);
  });

  it("nor one the checked filings hold themselves, though the register's list lacks it", () => {
    const ips = new Set([...registerIps].filter((ip) => ip !== "10.20.1.25"));
    expect(zh([file(BASE_PATH, "10.20.1.25"), file("filings/jwc/other.yaml", "10.20.1.25")], ips)).toEqual([["ip-unique", expect.stringContaining("例如 10.20.1.26。")]]);
  });
});
