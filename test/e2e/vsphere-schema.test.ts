/**
 * Fidelity of the hand-declared vSphere resources and invokes (stacks/vsphere/sdk.ts, DESIGN §6):
 * every token, property and type declared there must exist in the installed provider's own schema
 * (`pulumi package get-schema`) with the same type. Read from the source with the TypeScript
 * compiler, so a declaration added later is checked without touching this test.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { hasVspherePlugin, toolchain } from "../../scripts/simulator";
import { VSPHERE_PROVIDER_VERSION } from "../../stacks/vsphere/sdk";
import { REPO } from "../helpers/register";

const cli = toolchain({ build: false }).pulumiBin;
const SKIP = !cli
  ? "the Pulumi CLI is not built: run bash scripts/toolchain.sh"
  : !hasVspherePlugin(cli)
    ? `no vSphere provider plugin ${VSPHERE_PROVIDER_VERSION} is installed: on a connected machine run pulumi plugin install resource vsphere ${VSPHERE_PROVIDER_VERSION}`
    : "";

/** A type as both sides can say it. */
type Shape = { kind: "string" | "number" | "boolean" } | { kind: "array"; items: Shape } | { kind: "map"; values: Shape } | { kind: "object"; props: Record<string, Shape> };

const SDK = path.join(REPO, "stacks/vsphere/sdk.ts");
const source = ts.createSourceFile(SDK, fs.readFileSync(SDK, "utf8"), ts.ScriptTarget.ES2022, true);
const interfaces = new Map<string, ts.InterfaceDeclaration>();
source.forEachChild((n) => {
  if (ts.isInterfaceDeclaration(n)) interfaces.set(n.name.text, n);
});

function members(members: ts.NodeArray<ts.TypeElement>): Record<string, Shape> {
  const out: Record<string, Shape> = {};
  for (const m of members) if (ts.isPropertySignature(m) && m.type && ts.isIdentifier(m.name)) out[m.name.text] = shapeOf(m.type);
  return out;
}

function shapeOf(node: ts.TypeNode): Shape {
  if (node.kind === ts.SyntaxKind.StringKeyword || ts.isLiteralTypeNode(node)) return { kind: "string" };
  if (node.kind === ts.SyntaxKind.NumberKeyword) return { kind: "number" };
  if (node.kind === ts.SyntaxKind.BooleanKeyword) return { kind: "boolean" };
  if (ts.isArrayTypeNode(node)) return { kind: "array", items: shapeOf(node.elementType) };
  if (ts.isTypeLiteralNode(node)) return { kind: "object", props: members(node.members) };
  if (ts.isParenthesizedTypeNode(node)) return shapeOf(node.type);
  if (ts.isUnionTypeNode(node)) {
    const defined = node.types.filter((t) => t.kind !== ts.SyntaxKind.UndefinedKeyword && !(ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.UndefinedKeyword));
    if (defined.length === 1) return shapeOf(defined[0]!);
  }
  if (ts.isTypeReferenceNode(node)) {
    const name = node.typeName.getText(source);
    const args = node.typeArguments ?? [];
    if ((name === "pulumi.Input" || name === "pulumi.Output") && args.length === 1) return shapeOf(args[0]!);
    if (name === "Record" && args.length === 2) return { kind: "map", values: shapeOf(args[1]!) };
    const local = interfaces.get(name);
    if (local) return { kind: "object", props: members(local.members) };
  }
  throw new Error(`stacks/vsphere/sdk.ts: cannot read the type ${node.getText(source)}`);
}

interface SchemaProp {
  type?: string;
  items?: SchemaProp;
  additionalProperties?: SchemaProp;
  $ref?: string;
}

/** Compares a declared shape with the schema's property; returns the differences, with their paths. */
function compare(where: string, declared: Shape, actual: SchemaProp | undefined, types: Record<string, { properties?: Record<string, SchemaProp> }>): string[] {
  if (!actual) return [`${where}: not in the provider's schema`];
  if (actual.$ref) {
    const token = decodeURIComponent(actual.$ref.replace("#/types/", ""));
    if (declared.kind !== "object") return [`${where}: declared ${declared.kind}, schema has object ${token}`];
    return Object.entries(declared.props).flatMap(([k, v]) => compare(`${where}.${k}`, v, types[token]?.properties?.[k], types));
  }
  switch (declared.kind) {
    case "string":
    case "boolean":
      return actual.type === declared.kind ? [] : [`${where}: declared ${declared.kind}, schema has ${actual.type}`];
    case "number":
      return actual.type === "integer" || actual.type === "number" ? [] : [`${where}: declared number, schema has ${actual.type}`];
    case "array":
      return actual.type === "array" ? compare(`${where}[]`, declared.items, actual.items, types) : [`${where}: declared array, schema has ${actual.type}`];
    case "map":
      return actual.type === "object" && actual.additionalProperties ? compare(`${where}{}`, declared.values, actual.additionalProperties, types) : [`${where}: declared a map, schema has ${actual.type}`];
    case "object":
      return [`${where}: declared an object, schema has ${actual.type}`];
  }
}

/** Each resource class: its token (`__pulumiType`), its args interface (the constructor's second parameter) and its declared outputs. */
function resources(): { token: string; args: Record<string, Shape>; outputs: Record<string, Shape> }[] {
  const out: { token: string; args: Record<string, Shape>; outputs: Record<string, Shape> }[] = [];
  source.forEachChild((n) => {
    if (!ts.isClassDeclaration(n)) return;
    let token = "";
    let args: Record<string, Shape> = {};
    const outputs: Record<string, Shape> = {};
    for (const m of n.members) {
      if (ts.isPropertyDeclaration(m) && ts.isIdentifier(m.name)) {
        if (m.name.text === "__pulumiType" && m.initializer && ts.isStringLiteral(m.initializer)) token = m.initializer.text;
        else if (m.type) outputs[m.name.text] = shapeOf(m.type);
      }
      if (ts.isConstructorDeclaration(m) && m.parameters[1]?.type) args = shapeOf(m.parameters[1].type).kind === "object" ? (shapeOf(m.parameters[1].type) as { props: Record<string, Shape> }).props : {};
    }
    if (token) out.push({ token, args, outputs });
  });
  return out;
}

/** Each invoke: `export const getX = (args: {...}, …) => invoke<Result>("getX", …)`. */
function invokes(): { token: string; args: Record<string, Shape>; result: Record<string, Shape> }[] {
  const out: { token: string; args: Record<string, Shape>; result: Record<string, Shape> }[] = [];
  source.forEachChild((n) => {
    if (!ts.isVariableStatement(n)) return;
    for (const d of n.declarationList.declarations) {
      const fn = d.initializer;
      if (!fn || !ts.isArrowFunction(fn) || !ts.isCallExpression(fn.body) || fn.body.expression.getText(source) !== "invoke") continue;
      const [nameArg] = fn.body.arguments;
      const result = fn.body.typeArguments?.[0];
      const argsType = fn.parameters[0]?.type;
      if (!nameArg || !ts.isStringLiteral(nameArg) || !result || !argsType) continue;
      const props = (s: Shape) => (s.kind === "object" ? s.props : {});
      out.push({ token: `vsphere:index/${nameArg.text}:${nameArg.text}`, args: props(shapeOf(argsType)), result: props(shapeOf(result)) });
    }
  });
  return out;
}

describe.skipIf(SKIP !== "")(`stacks/vsphere/sdk.ts against the vSphere provider's schema${SKIP ? ` — skipped: ${SKIP}` : ""}`, () => {
  it("every declared resource, invoke, property and type exists in the provider's schema with the same type", () => {
    const r = spawnSync(path.join(cli!, "pulumi"), ["package", "get-schema", `vsphere@${VSPHERE_PROVIDER_VERSION}`], {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true", PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true" },
    });
    expect(r.status, r.stderr).toBe(0);
    const schema = JSON.parse(r.stdout) as {
      version: string;
      resources: Record<string, { inputProperties: Record<string, SchemaProp>; properties: Record<string, SchemaProp> }>;
      functions: Record<string, { inputs: { properties: Record<string, SchemaProp> }; outputs: { properties: Record<string, SchemaProp> } }>;
      types: Record<string, { properties?: Record<string, SchemaProp> }>;
    };
    expect(schema.version).toBe(VSPHERE_PROVIDER_VERSION);

    const declaredResources = resources();
    const declaredInvokes = invokes();
    // The reader found what the file declares: a reader that finds nothing would pass vacuously.
    expect(declaredResources.map((d) => d.token).sort()).toEqual(["vsphere:index/customAttribute:CustomAttribute", "vsphere:index/virtualMachine:VirtualMachine"]);
    expect(declaredInvokes.length).toBeGreaterThanOrEqual(5);

    const problems: string[] = [];
    for (const res of declaredResources) {
      const actual = schema.resources[res.token];
      if (!actual) {
        problems.push(`${res.token}: no such resource`);
        continue;
      }
      for (const [k, v] of Object.entries(res.args)) problems.push(...compare(`${res.token} input ${k}`, v, actual.inputProperties[k], schema.types));
      for (const [k, v] of Object.entries(res.outputs)) problems.push(...compare(`${res.token} output ${k}`, v, actual.properties[k], schema.types));
    }
    for (const inv of declaredInvokes) {
      const actual = schema.functions[inv.token];
      if (!actual) {
        problems.push(`${inv.token}: no such function`);
        continue;
      }
      for (const [k, v] of Object.entries(inv.args)) problems.push(...compare(`${inv.token} input ${k}`, v, actual.inputs.properties[k], schema.types));
      for (const [k, v] of Object.entries(inv.result)) problems.push(...compare(`${inv.token} output ${k}`, v, actual.outputs.properties[k], schema.types));
    }
    expect(problems).toEqual([]);
  });
});
