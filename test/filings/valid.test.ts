import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BASE_PATH, FIXTURES, REPO, TODAY, problemsIn, sampleConfig, sampleFilings, validateWith } from "../helpers/register";
import { validateRegister } from "../../lib/validate";
import { parseFiling, REMEMBERED_PARSES } from "../../lib/filings/parse";

describe("the sample register", () => {
  // Validated inside each test, not while the file is collected: mutation testing then knows which tests run the rules.
  const validated = () => validateRegister({ filings: sampleFilings, config: sampleConfig, today: TODAY });

  it("is valid, with one warning: the approvers' note on the online judge's justified, VPN-only SSH port", () => {
    const result = validated();
    expect(result.problems.map((p) => `${p.severity} ${p.rule} ${p.file}`)).toEqual(["warning sensitive-port filings/jsj/online-judge.yaml"]);
    expect(result.filings).toHaveLength(sampleFilings.length);
  });

  it("covers what the docs and later demos rely on", () => {
    const filings = validated().filings.map((f) => f.filing);
    expect(new Set(filings.map((f) => f.department)).size).toBeGreaterThanOrEqual(8);
    expect(filings.length).toBeGreaterThanOrEqual(24);
    const has = (pred: (f: (typeof filings)[number]) => boolean): boolean => filings.some(pred);
    expect(has((f) => f.type === "virtual" && f.network.zone === "internal" && f.status === "active")).toBe(true);
    expect(has((f) => f.type === "virtual" && f.network.zone === "external" && f.status === "active")).toBe(true);
    expect(has((f) => f.type === "physical")).toBe(true);
    expect(has((f) => f.status === "decommissioned")).toBe(true);
    expect(has((f) => f.scope === "school")).toBe(true);
    expect(has((f) => f.scope === "department")).toBe(true);
  });

  it("starts every filing with the schema line editors use", () => {
    for (const f of sampleFilings) {
      expect(Buffer.from(f.bytes).toString("utf8").split("\n")[0]).toBe("# yaml-language-server: $schema=../filing.schema.json");
    }
  });

  it("has a config that names the proxy and anonymiser ports the issue lists", () => {
    const ports = validated().config!.config.limits.forbiddenPorts.map((p) => p.port);
    expect(ports).toEqual(expect.arrayContaining([1080, 3128, 8118, 9050]));
  });
});

describe("valid fixtures", () => {
  it.each(fs.readdirSync(path.join(FIXTURES, "filings/valid")))("%s passes every check", (name) => {
    const text = fs.readFileSync(path.join(FIXTURES, "filings/valid", name), "utf8");
    expect(problemsIn(validateWith({ [BASE_PATH]: text }), BASE_PATH)).toEqual([]);
  });
});

describe("dates", () => {
  const text = fs.readFileSync(path.join(FIXTURES, "filings/valid/fixture.yaml"), "utf8");
  it("warns, not fails, once a period has ended, and says when the VM goes out of service", () => {
    const found = problemsIn(validateWith({ [BASE_PATH]: text }, { today: "2027-09-10" }), BASE_PATH);
    expect(found.map((p) => [p.rule, p.severity, p.line])).toEqual([["period-expired", "warning", 13]]);
    expect(found[0]!.message.zh).toContain("2027-08-31");
    expect(found[0]!.message.zh).toContain("宽限期到 2027-09-30 为止，之后虚拟服务器将被停止服务");
  });
  it("keeps a filing valid on the last day of its period", () => {
    expect(problemsIn(validateWith({ [BASE_PATH]: text }, { today: "2027-08-31" }), BASE_PATH)).toEqual([]);
  });
});

it("reads the repository's own register through the same reader the CLI uses", () => {
  expect(sampleFilings.every((f) => f.path.startsWith("filings/") && !f.path.endsWith(".json"))).toBe(true);
  expect(fs.existsSync(path.join(REPO, "filings/filing.schema.json"))).toBe(true);
});

describe("one parse per content, within bounds", () => {
  const source = (text: string, file = "filings/jwc/memo.yaml") => ({ path: file, bytes: Buffer.from(text, "utf8") });
  it("parses the same path and bytes once, and forgets the oldest beyond REMEMBERED_PARSES contents", () => {
    const text = fs.readFileSync(path.join(FIXTURES, "filings/valid/fixture.yaml"), "utf8");
    const first = parseFiling(source(text));
    expect(parseFiling(source(text))).toBe(first);
    // The same bytes at another path are another filing.
    expect(parseFiling(source(text, "filings/jwc/other.yaml"))).not.toBe(first);
    for (let i = 0; i < REMEMBERED_PARSES; i++) parseFiling(source(`n: ${i}\n`, "filings/jwc/filler.yaml"));
    const again = parseFiling(source(text));
    expect(again).not.toBe(first);
    expect(again.loaded!.filing).toEqual(first.loaded!.filing);
  });
});
