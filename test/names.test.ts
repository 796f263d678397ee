/**
 * The product's words live in lib/names.ts. A department reads the same word in the PR comment, the
 * plan, the policy output, the register and the monthly report only while no module spells a term
 * itself or keeps a table of its own: this test reads the source of every user-facing module.
 */
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { CHANGE_KINDS, ROLES } from "../lib/config/model";
import { CHANGE_KIND_NAMES, GRACE_END, PERIOD_NAMES, PLATFORM_NAMES, RESOURCE_NAMES, ROLE_NAMES, SERVER_TYPE_NAMES, STATE_NAMES, STATUS_NAMES, ZONE_NAMES } from "../lib/names";
import type { Message } from "../lib/messages";
import { REPO } from "./helpers/register";

const CJK = /[\u4e00-\u9fff]/;

const VOCABULARIES: Record<string, Readonly<Record<string, Message>>> = {
  zones: ZONE_NAMES,
  "server types": SERVER_TYPE_NAMES,
  statuses: STATUS_NAMES,
  states: STATE_NAMES,
  "change kinds": CHANGE_KIND_NAMES,
  roles: ROLE_NAMES,
  resources: RESOURCE_NAMES,
  platforms: PLATFORM_NAMES,
  periods: PERIOD_NAMES,
};

/**
 * Terms a module may not spell: each name's Chinese of three characters or more, and the two zone
 * names (the words the register drifted on). Shorter words (内存, 续期, 下线) are ordinary words in
 * sentences; their tables are caught below instead.
 */
const TERMS = [
  ...new Set(
    Object.values(VOCABULARIES)
      .flatMap((v) => Object.values(v).map((m) => m.zh))
      .filter((zh) => CJK.test(zh) && ([...zh].length >= 3 || zh === ZONE_NAMES.external.zh)),
  ),
];
/**
 * Words the outputs used before lib/names.ts, or that a trial found misleading: none may come back,
 * in the modules or in what departments and leaders read beside them (the Chinese guides, the
 * schemas' titles and descriptions, the config's comments).
 */
const RETIRED = ["IP地址", "校外（互联网）", "过期关机", "过期停用", "已过期（关机）", "在用（物理机）", "已过期（红色）", "依次由", "依次审批", "的批准针对的是"];
const READ_BESIDE = ["docs/guide.zh.md", "docs/approving.zh.md", "docs/go-live.zh.md", "filings/filing.schema.json", ...fs.readdirSync(path.join(REPO, "policies/schemas")).map((f) => `policies/schemas/${f}`), ...fs.readdirSync(path.join(REPO, "policies")).filter((f) => f.endsWith(".yaml")).map((f) => `policies/${f}`)];

const USER_FACING = ["lib", "stacks", "policies", "scripts"];
const HOME = path.join("lib", "names.ts");

function sources(): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const e of fs.readdirSync(path.join(REPO, rel), { withFileTypes: true })) {
      const child = path.join(rel, e.name);
      if (e.isDirectory() && e.name !== "node_modules") walk(child);
      else if (e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") && child !== HOME) out.push(child);
    }
  };
  for (const dir of USER_FACING) walk(dir);
  return out.sort();
}

interface Text {
  readonly file: string;
  readonly line: number;
  readonly text: string;
}

/** Every node of a module with its line, depth first: what both detectors below read. */
function eachNode(source: ts.SourceFile, use: (node: ts.Node, line: number) => void): void {
  const visit = (node: ts.Node): void => {
    use(node, source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1);
    ts.forEachChild(node, visit);
  };
  visit(source);
}

/** Every string a module could show: literals and the text parts of templates, not comments. */
function textsOf(file: string, source: ts.SourceFile): Text[] {
  const out: Text[] = [];
  eachNode(source, (node, line) => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      out.push({ file, line, text: node.text });
    }
  });
  return out;
}

/** A value that reads as a label: Chinese text, a template with some, an array of such, or msg(...). */
function isLabel(node: ts.Expression): boolean {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return CJK.test(node.text);
  if (ts.isTemplateExpression(node)) return CJK.test(node.head.text) || node.templateSpans.some((s) => CJK.test(s.literal.text));
  if (ts.isArrayLiteralExpression(node)) return node.elements.some((e) => isLabel(e));
  if (ts.isCallExpression(node)) return ts.isIdentifier(node.expression) && node.expression.text === "msg";
  if (ts.isObjectLiteralExpression(node)) return node.properties.some((p) => ts.isPropertyAssignment(p) && isLabel(p.initializer));
  return false;
}

interface Table {
  readonly file: string;
  readonly line: number;
  readonly vocabulary: string;
}

/** Object literals keyed by every value of one vocabulary, with labels as values: a local table of names. */
function tablesOf(file: string, source: ts.SourceFile): Table[] {
  const out: Table[] = [];
  eachNode(source, (node, line) => {
    if (!ts.isObjectLiteralExpression(node)) return;
    const labelled = new Set(
      node.properties.flatMap((p) => (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && isLabel(p.initializer) ? [p.name.text] : [])),
    );
    for (const [vocabulary, names] of Object.entries(VOCABULARIES)) {
      if (Object.keys(names).every((k) => labelled.has(k))) out.push({ file, line, vocabulary });
    }
  });
  return out;
}

const parsed = sources().map((file) => ({ file, source: ts.createSourceFile(file, fs.readFileSync(path.join(REPO, file), "utf8"), ts.ScriptTarget.Latest, true) }));
const texts = parsed.flatMap(({ file, source }) => textsOf(file, source));

describe("the product's words (lib/names.ts)", () => {
  it("reads the user-facing modules (the test would pass on nothing otherwise)", () => {
    expect(parsed.length).toBeGreaterThan(100);
    expect(texts.some((t) => CJK.test(t.text))).toBe(true);
    // The detectors find what they look for: the vocabulary's own tables, read the same way.
    const home = ts.createSourceFile(HOME, fs.readFileSync(path.join(REPO, HOME), "utf8"), ts.ScriptTarget.Latest, true);
    // (STATE_NAMES borrows three of its names from the others, so it is not all labels.)
    expect(new Set(tablesOf(HOME, home).map((t) => t.vocabulary))).toEqual(new Set(["zones", "server types", "statuses", "change kinds", "roles", "resources", "platforms", "periods"]));
    expect(textsOf(HOME, home).filter((t) => TERMS.includes(t.text)).length).toBeGreaterThan(5);
  });

  it("no user-facing module spells a term itself", () => {
    const spelled = texts.flatMap((t) => [...TERMS, ...RETIRED].filter((term) => t.text.includes(term)).map((term) => `${t.file}:${t.line} ${term}`));
    expect(spelled).toEqual([]);
  });

  it("no retired word in what departments and leaders read beside the modules", () => {
    expect(READ_BESIDE.length).toBeGreaterThan(8);
    const found = READ_BESIDE.flatMap((rel) => fs.readFileSync(path.join(REPO, rel), "utf8").split("\n").flatMap((line, i) => RETIRED.filter((w) => line.includes(w)).map((w) => `${rel}:${i + 1} ${w}`)));
    expect(found).toEqual([]);
  });

  it("the end of the grace period is said, once, for each platform", () => {
    expect(Object.keys(GRACE_END).sort()).toEqual(Object.keys(PLATFORM_NAMES).sort());
    for (const m of Object.values(GRACE_END)) expect(m.zh).toMatch(/^宽限期满后，.*数据保留。$/);
  });

  it("no user-facing module keeps a table of its own for zones, states, change kinds, roles, resources or platforms", () => {
    expect(parsed.flatMap(({ file, source }) => tablesOf(file, source)).map((t) => `${t.file}:${t.line} ${t.vocabulary}`)).toEqual([]);
  });

  it("every change kind and role the approvals know has a name", () => {
    expect(Object.keys(CHANGE_KIND_NAMES).sort()).toEqual([...CHANGE_KINDS].sort());
    expect(Object.keys(ROLE_NAMES)).toEqual([...ROLES]);
  });
});
