/** The pack as Pulumi loads it: its files, its entry, its policy list and their enforcement levels. */
import fs from "node:fs";
import path from "node:path";
import Ajv from "ajv";
import ts from "typescript";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { PACK_CONFIG_SCHEMA } from "../../policies/context";
import { policies } from "../../policies/policies";
import { REPO } from "../helpers/register";

const PACK = path.join(REPO, "policies");

describe("policy pack", () => {
  it("is a pack folder Pulumi accepts: PulumiPolicy.yaml on nodejs, a versioned package.json whose main exists", () => {
    expect(parse(fs.readFileSync(path.join(PACK, "PulumiPolicy.yaml"), "utf8"))).toMatchObject({ runtime: "nodejs" });
    const pkg = JSON.parse(fs.readFileSync(path.join(PACK, "package.json"), "utf8"));
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(fs.existsSync(path.join(PACK, pkg.main))).toBe(true);
  });

  it("has an entry whose only statement is `new PolicyPack(...)` with the policies array", () => {
    const source = ts.createSourceFile("index.ts", fs.readFileSync(path.join(PACK, "index.ts"), "utf8"), ts.ScriptTarget.ES2022);
    const statements = source.statements.filter((s) => !ts.isImportDeclaration(s));
    expect(statements).toHaveLength(1);
    const only = statements[0]!;
    expect(ts.isExpressionStatement(only) && ts.isNewExpression(only.expression)).toBe(true);
    const created = (only as ts.ExpressionStatement).expression as ts.NewExpression;
    expect(created.expression.getText(source)).toBe("PolicyPack");
    expect(created.arguments?.[1]?.getText(source)).toMatch(/\bpolicies\b/);
  });

  it("lists every policy its modules define, each once", async () => {
    const defined = new Set<string>();
    for (const file of fs.readdirSync(PACK).filter((f) => f.endsWith(".ts") && f !== "index.ts")) {
      const mod = (await import(path.join(PACK, file))) as Record<string, unknown>;
      for (const value of Object.values(mod)) {
        if (value && typeof value === "object" && "name" in value && ("validateResource" in value || "validateStack" in value)) {
          defined.add((value as { name: string }).name);
        }
      }
    }
    const listed = policies.map((p) => p.name);
    expect(new Set(listed).size).toBe(listed.length);
    expect([...defined].sort()).toEqual([...listed].sort());
  });

  it("is mandatory everywhere except the grace-period warning", () => {
    const notMandatory = policies.filter((p) => p.enforcementLevel !== "mandatory").map((p) => [p.name, p.enforcementLevel]);
    expect(notMandatory).toEqual([["vm-period-in-grace", "advisory"]]);
  });

  it("declares one config schema whose defaults are valid and which refuses a malformed date", () => {
    const validate = new Ajv({ strict: false }).compile({ type: "object", additionalProperties: false, ...PACK_CONFIG_SCHEMA });
    const defaults = Object.fromEntries(Object.entries(PACK_CONFIG_SCHEMA.properties).flatMap(([k, s]) => (typeof s === "object" && "default" in s ? [[k, s.default]] : [])));
    expect(validate(defaults)).toBe(true);
    expect(validate({ today: "23.11.2026" })).toBe(false);
    expect(validate({ zoneNetworks: { vsphere: { internal: ["dvportgroup-20"] } } })).toBe(true);
    expect(validate({ zoneNetworks: { internal: ["dvportgroup-20"] } })).toBe(false);
    for (const p of policies.filter((p) => p.name !== "server-type-supported")) expect(p.configSchema, p.name).toBe(PACK_CONFIG_SCHEMA);
  });
});
