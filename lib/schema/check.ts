import type { ErrorObject, ValidateFunction } from "ajv";
import localizeZh from "ajv-i18n/localize/zh";
import { closest, distance } from "fastest-levenshtein";
import { invisibleCharacters, suspiciousCharacters, withoutInvisible } from "../characters";
import { otherUnitMessage, typedWholeNumber, unitOfKey } from "../units";
import { msg, shown, withForm, type Message } from "../messages";
import { FIELD_VALUE_NAMES } from "../names";
import { problem, type Problem } from "../problems";
import type { LocatedValue, PathSegment, Position } from "../yaml/strict";
import { compileSchema, sharedAjv } from "./compile";

/** JSON Schema as far as this module reads it: titles, examples and the structural keywords. */
export interface SchemaNode {
  title?: string;
  description?: string;
  type?: string | string[];
  enum?: unknown[];
  examples?: unknown[];
  format?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  required?: string[];
  [keyword: string]: unknown;
}

export interface SchemaChecker<T> {
  /**
   * Checks a parsed document; returns the typed value only when it conforms, else its problems and
   * `invalid`: the path of every value the schema refused (a missing field's own path, an unknown
   * key's), so that what reads only the rest of the document can still run (lib/filings/partial.ts).
   */
  check(located: LocatedValue, file: string): { value?: T; problems: Problem[]; invalid?: string[][] };
}

/**
 * Compiles a schema into a checker whose problems name the field (with its Chinese title), the
 * value found and what is allowed, at the line and column of that field in the source.
 */
export function schemaChecker<T>(schema: SchemaNode): SchemaChecker<T> {
  // Compiled (or loaded from the cache) on first use: modules create their checkers when loaded,
  // and a command that checks nothing (`filing --help`) should not pay for it.
  let compiled: ValidateFunction | undefined;
  return {
    check(located, file) {
      const validate = (compiled ??= compileSchema(schema));
      if (validate(located.value)) return { value: located.value as T, problems: [] };
      // A misspelt key also leaves its field missing; the unknown-key message names both.
      const explained = new Set(
        (validate.errors ?? []).flatMap((e) => {
          if (e.keyword !== "additionalProperties") return [];
          const meant = nearestKey(String(e.params.additionalProperty), schemaAt(schema, decodePointer(e.instancePath))?.properties ?? {});
          return meant ? [`${e.instancePath}/${meant}`] : [];
        }),
      );
      const errors = (validate.errors ?? []).filter((e) => !(e.keyword === "required" && explained.has(`${e.instancePath}/${String(e.params.missingProperty)}`)));
      const zhErrors = errors.map((e) => ({ ...e }));
      localizeZh(zhErrors);
      const problems = errors.map((err, i) => toProblem(err, zhErrors[i]!.message ?? "", schema, located, file));
      const invalid = (validate.errors ?? []).map((e) => {
        const at = decodePointer(e.instancePath);
        if (e.keyword === "required") return [...at, String(e.params.missingProperty)];
        if (e.keyword === "additionalProperties") return [...at, String(e.params.additionalProperty)];
        return at;
      });
      return { problems, invalid };
    },
  };
}

/**
 * For prompts: a typed answer the field refuses, repaired the ways its messages suggest (full-width
 * digits, spaces and hyphens in a phone number, 2026/12/1 for a date), when the repair passes; else
 * undefined. The prompt then takes the repaired value and says so.
 */
export function fieldRepair(schema: SchemaNode, path: readonly PathSegment[]): (value: string) => string | undefined {
  const node = schemaAt(schema, path);
  if (!node) throw new Error(`schema has no field ${fieldName(path)}`);
  return (value) => (passes(node, value) ? undefined : repaired(value, node));
}

/**
 * A validator for one field of a schema, for prompts that check each answer as it is typed.
 * Returns true, or the same located-problem wording the file check would print.
 */
export function fieldValidator(schema: SchemaNode, path: readonly PathSegment[]): (value: unknown) => true | Message {
  const node = schemaAt(schema, path);
  if (!node) throw new Error(`schema has no field ${fieldName(path)}`);
  const validate = sharedAjv().compile(node);
  return (value) => {
    if (validate(value)) return true;
    const err = validate.errors?.[0];
    if (!err) return true;
    const zh = [{ ...err }];
    localizeZh(zh);
    // Re-root the error at the field so the message names it.
    const rooted = { ...err, instancePath: `/${path.join("/")}${err.instancePath}` };
    const wrapped = path.reduceRight<unknown>((inner, seg) => ({ [seg]: inner }), value);
    return describe(rooted, zh[0]!.message ?? "", schema, wrapped, decodePointer(rooted.instancePath)).message;
  };
}

function decodePointer(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** `resources.disks[0].sizeGiB`, the way the guide writes field names; the root is "(top level)". */
export function fieldName(path: readonly PathSegment[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number" || /^\d+$/.test(seg)) out += `[${seg}]`;
    else out += out ? `.${seg}` : seg;
  }
  return out || "(top level)";
}

/** A field's title in the schema (its Chinese name on the form), or undefined when it has none. */
export function fieldTitle(schema: SchemaNode, path: readonly PathSegment[]): string | undefined {
  const title = schemaAt(schema, path)?.title;
  return typeof title === "string" ? title : undefined;
}

/** Follows a local `#/definitions/...` reference; the referring node's own keywords win. */
function deref(root: SchemaNode, node: SchemaNode | undefined): SchemaNode | undefined {
  const ref = node?.$ref;
  if (typeof ref !== "string" || !ref.startsWith("#/")) return node;
  let target: unknown = root;
  for (const part of ref.slice(2).split("/")) target = (target as Record<string, unknown> | undefined)?.[part];
  const { $ref: _ignored, ...own } = node!;
  return { ...(deref(root, target as SchemaNode | undefined) ?? {}), ...own };
}

function schemaAt(schema: SchemaNode, path: readonly PathSegment[]): SchemaNode | undefined {
  let node: SchemaNode | undefined = schema;
  for (const seg of path) {
    node = deref(schema, node);
    if (!node) return undefined;
    if (node.properties && typeof seg === "string" && Object.prototype.hasOwnProperty.call(node.properties, seg)) {
      node = node.properties[seg];
    } else if (node.items && (typeof seg === "number" || /^\d+$/.test(seg))) {
      node = node.items;
    } else {
      return undefined;
    }
  }
  return deref(schema, node);
}

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let v: unknown = root;
  for (const seg of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = Object.prototype.hasOwnProperty.call(v, seg) ? (v as Record<string, unknown>)[seg as string] : undefined;
  }
  return v;
}

const TYPE_ZH: Record<string, string> = {
  string: "文字（字符串）",
  integer: "整数",
  number: "数字",
  boolean: "true 或 false",
  object: "包含子字段的对象",
  array: "列表",
  null: "空值",
};

const FORMAT_ZH: Record<string, string> = {
  date: "日期（YYYY-MM-DD，且须是真实存在的日期）",
  email: "邮箱地址",
  ipv4: "IPv4 地址（如 10.20.1.15）",
};

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number" && Number.isInteger(value)) return "integer";
  return typeof value;
}

/** Says which invisible characters a string value holds: the quoted value cannot show them. */
function hiddenNote(value: unknown): { zh: string; en: string } {
  if (typeof value !== "string") return { zh: "", en: "" };
  const found = invisibleCharacters(value);
  if (found.zh.length === 0) return { zh: "", en: "" };
  return {
    zh: `其中含有看不见的字符 ${found.zh.join("、")}，请删除后重新输入 ${shown(withoutInvisible(value))}。`,
    en: ` It contains invisible characters ${found.en.join(", ")}; delete them and type ${shown(withoutInvisible(value))}.`,
  };
}

/**
 * The allowed key a misspelt one was meant to be: the same without invisible characters or case,
 * a field whose Chinese title the user wrote as the key (用途 → purpose), or the one within a
 * third of its length in edits.
 */
function nearestKey(extra: string, properties: Record<string, SchemaNode>): string | undefined {
  const keys = Object.keys(properties);
  if (keys.length === 0) return undefined;
  const plain = withoutInvisible(extra).trim().toLowerCase();
  const exact = keys.find((k) => k.toLowerCase() === plain);
  if (exact) return exact;
  const byTitle = keys.find((k) => {
    const title = properties[k]?.title;
    return title !== undefined && (title === extra.trim() || title.replace(/（.*）$/, "") === extra.trim());
  });
  if (byTitle) return byTitle;
  const near = closest(plain, keys);
  return distance(plain, near.toLowerCase()) <= Math.max(1, Math.floor(near.length / 3)) ? near : undefined;
}

const TRUE_WORDS = new Set(["yes", "y", "on", "true", "是", "对", "有", "需要", "√", "✓", "1"]);
const FALSE_WORDS = new Set(["no", "n", "off", "false", "否", "不", "无", "没有", "不需要", "×", "✗", "0"]);

/** The unit a number field is counted in, from its key or title: `memoryGiB` → GiB. */
function unitOf(key: string, node: SchemaNode | undefined): { zh: string; en: string } | undefined {
  const own = unitOfKey(key);
  if (own) return own.shown;
  const inTitle = node?.title ? /（(.+)）/.exec(node.title)?.[1] : undefined;
  return inTitle ? { zh: inTitle, en: inTitle } : undefined;
}

/** For a value of the wrong type, the line the user should have written: `memoryGiB: 8`, `daily: true`. */
function correctedForm(expected: string, key: string, value: unknown, node: SchemaNode | undefined): { zh: string; en: string } {
  if (expected === "array") {
    const form = listForm(node);
    // "－ sizeGiB: 100" or "-sizeGiB: 100" read as a key: the item's dash is full-width or has no space after it.
    const dashKey = value !== null && typeof value === "object" && Object.keys(value).some((k) => /^[-－]/.test(k));
    const dash = dashKey ? { zh: "列表项的“-”须是英文半角减号，后跟一个空格。", en: " A list item's dash must be an ASCII '-' followed by a space." } : { zh: "", en: "" };
    if (!form) return dash;
    return {
      zh: `${dash.zh}请写成列表：在 ${key}: 的下一行写“${form}”（比 ${key} 多缩进两个空格，每项一行）。`,
      en: `${dash.en} Write a list: on the line after ${key}:, write "${form}" (two spaces further in than ${key}, one item per line).`,
    };
  }
  if (typeof value === "string" && (expected === "integer" || expected === "number")) {
    // Full-width digits and odd spaces (a Chinese input method, Word) read as the plain ones they look like.
    const plain = withoutInvisible(value).normalize("NFKC");
    const digits = /^\s*(\d+(?:\.\d+)?)/.exec(plain)?.[1];
    const unit = unitOf(key, node);
    if (digits === undefined) return { zh: "请只填数字。", en: " Write a number only." };
    // 4T for GiB, 2颗 for cores, 1年 for months: the number alone would be another amount, so none is offered.
    const own = unitOfKey(key);
    const typed = own ? typedWholeNumber(plain, own) : undefined;
    if (own && typed && "otherUnit" in typed) return otherUnitMessage(typed, own);
    const odd = plain.trim() !== value.trim() ? suspiciousCharacters(value) : { zh: [], en: [] };
    return {
      zh: `${odd.zh.length ? `其中含有${odd.zh.join("、")}。` : ""}请只填数字，不加单位和引号：${key}: ${digits}${unit ? `（单位 ${unit.zh}）` : ""}。`,
      en: `${odd.en.length ? ` It contains ${odd.en.join(", ")}.` : ""} Write the number alone, without unit or quotes: ${key}: ${digits}${unit ? ` (in ${unit.en})` : ""}.`,
    };
  }
  if (expected === "boolean" && (typeof value === "string" || typeof value === "number")) {
    const word = String(value).trim().toLowerCase();
    const meant = TRUE_WORDS.has(word) ? "true" : FALSE_WORDS.has(word) ? "false" : undefined;
    return meant
      ? { zh: `请写成 ${key}: ${meant}（英文小写，不加引号）。`, en: ` Write ${key}: ${meant} (lowercase, no quotes).` }
      : { zh: `请写 true（是）或 false（否），不加引号。`, en: " Write true or false, without quotes." };
  }
  return { zh: "", en: "" };
}

function titled(path: readonly PathSegment[], node: SchemaNode | undefined): string {
  if (path.length === 0) return "文件顶层";
  const name = fieldName(path);
  // A title with its unit in brackets (内存（GiB）) is not bracketed twice: memoryGiB（内存，GiB）.
  return node?.title ? `${name}（${node.title.replace(/（(.+)）$/, "，$1")}）` : name;
}

/**
 * Where a value sits as the desk's form shows it (Message.form): nothing for a box's own value (its
 * title is beside it); an item of a list typed into one box (第 2 项); a row's column (第 1 行的理由).
 */
function formPlace(schema: SchemaNode, path: readonly PathSegment[]): { zh: string; en: string } {
  const at = path.findIndex((seg) => typeof seg === "number" || /^\d+$/.test(String(seg)));
  if (at < 0) return { zh: "", en: "" };
  const n = Number(path[at]) + 1;
  const rest = path.slice(at + 1);
  const item = schemaAt(schema, path.slice(0, at + 1));
  // An item of one field (a disk's size) is the item itself.
  if (rest.length === 0 || Object.keys(item?.properties ?? {}).length <= 1) return { zh: `第 ${n} 项`, en: `item ${n}` };
  const column = schemaAt(schema, path.slice(0, at + 2))?.title?.replace(/（.*）$/, "") ?? String(rest[0]);
  const inner = formPlace(schema, rest.slice(1));
  return { zh: `第 ${n} 行的${column}${inner.zh ? `（${inner.zh}）` : ""}`, en: `row ${n}'s ${String(rest[0])}${inner.en ? ` (${inner.en})` : ""}` };
}

/** "The value" as the form says it: of the box, or of the place in it. */
function formValue(place: { zh: string; en: string }, value: unknown): { zh: string; en: string } {
  return { zh: `${place.zh ? `${place.zh}的值` : "填写的值"} ${shown(value)}`, en: `${place.en ? `${place.en[0]!.toUpperCase()}${place.en.slice(1)}: ` : ""}${shown(value)}` };
}

const TYPE_FORM: Record<string, { zh: string; en: string }> = {
  integer: { zh: "整数", en: "a whole number" },
  number: { zh: "数字", en: "a number" },
  boolean: { zh: "“是”或“否”", en: "yes or no" },
};

/**
 * A bare number completed the way the field's example goes on after its digits (80 → "80/tcp" for
 * "443/tcp"), when that completion matches the field's pattern; else undefined.
 */
function completedLike(written: string, node: SchemaNode | undefined): string | undefined {
  const ex = node?.examples?.[0];
  const suffix = typeof ex === "string" ? /^\d+(.*)$/.exec(ex)?.[1] : undefined;
  const completed = suffix && /^\d+$/.test(written.trim()) ? `${written.trim()}${suffix}` : undefined;
  return completed && typeof node?.pattern === "string" && new RegExp(node.pattern, "u").test(completed) ? completed : undefined;
}

/**
 * A run of digits of the wrong length where every example is digits of one length (a mobile
 * number): how many are needed and how many were typed, since a digit short is hard to see.
 */
function digitsLength(value: unknown, node: SchemaNode | undefined): { wanted: number; typed: number } | undefined {
  const examples = node?.examples ?? [];
  const wanted = typeof examples[0] === "string" ? examples[0].length : 0;
  if (wanted === 0 || !examples.every((e) => typeof e === "string" && /^\d+$/.test(e) && e.length === wanted)) return undefined;
  const typed = typeof value === "string" && /^\d+$/.test(value.trim()) ? value.trim().length : undefined;
  return typed !== undefined && typed !== wanted ? { wanted, typed } : undefined;
}

/** What to type in a number box instead: the number alone, in the field's unit, converted from another. */
function formNumberHint(key: string, value: unknown, node: SchemaNode | undefined): { zh: string; en: string } {
  const own = unitOfKey(key);
  const plain = typeof value === "string" ? withoutInvisible(value).normalize("NFKC") : "";
  const typed = own ? typedWholeNumber(plain, own) : undefined;
  if (own && typed && "otherUnit" in typed) return otherUnitMessage(typed, own);
  const unit = unitOf(key, node);
  return { zh: `请只填整数${unit ? `（单位 ${unit.zh}）` : ""}。`, en: ` Write a whole number alone${unit ? ` (in ${unit.en})` : ""}.` };
}

/**
 * "Field X's value V" then what is wrong, for the file; "the value V" (or the item's) then the same,
 * for the form. English joins them differently: `fileEn` follows "Field X is V", `formEn` follows V.
 */
function said(field: string, en: string, place: { zh: string; en: string }, value: unknown, zh: string, fileEn: string, formEn: string): Message {
  return withForm(
    msg(`字段 ${field}的值 ${shown(value)} ${zh}`, `Field ${en} is ${shown(value)}${fileEn}`),
    msg(`${formValue(place, value).zh} ${zh}`, `${formValue(place, value).en} ${formEn}`),
  );
}

/** A type word that starts in Latin letters (true 或 false) is set off from the Chinese before it. */
const spaced = (word: string): string => (/^[A-Za-z]/.test(word) ? ` ${word}` : word);

/**
 * A number or true/false where text belongs. Quoting it is the fix when the quoted value is a valid
 * value; when it is not (a port written 443 where the field wants 443/tcp), the form it lacks is
 * taken from the field's example.
 */
function asText(value: unknown, node: SchemaNode | undefined): { zh: string; en: string } {
  const written = String(value);
  const pattern = typeof node?.pattern === "string" ? new RegExp(node.pattern, "u") : undefined;
  if (!pattern || pattern.test(written)) return { zh: `请加英文双引号，例如 "${written}"。`, en: ` Quote it, e.g. "${written}".` };
  const ex = node?.examples?.[0];
  const completed = completedLike(written, node);
  if (completed) {
    return completed === ex ? { zh: `请写成 ${completed}。`, en: ` Write ${completed}.` } : { zh: `请写成 ${completed}（形如 ${ex}）。`, en: ` Write ${completed} (like ${ex}).` };
  }
  return ex === undefined ? { zh: "", en: "" } : { zh: `应形如 ${shown(ex)}。`, en: ` It must look like ${shown(ex)}.` };
}

function example(node: SchemaNode | undefined): string | undefined {
  const ex = node?.examples?.[0];
  return ex === undefined ? undefined : shown(ex);
}

/**
 * A one-line YAML value for a node, from its examples, or for an object from its required fields'
 * (flow style, valid as written): what a message offers to paste, e.g. `{ daily: true, secondCopy: true }`.
 */
function snippet(node: SchemaNode | undefined): string | undefined {
  const ex = node?.examples?.[0];
  if (ex !== undefined) return typeof ex === "string" && /^[\w./@-]+$/.test(ex) && !/^\d+$/.test(ex) ? ex : JSON.stringify(ex);
  if (node?.type !== "object" || !node.properties) return undefined;
  const parts = (node.required ?? []).map((k) => [k, snippet(node.properties![k])] as const);
  if (parts.length === 0 || parts.some(([, v]) => v === undefined)) return undefined;
  return `{ ${parts.map(([k, v]) => `${k}: ${v}`).join(", ")} }`;
}

/** The list form a field takes: one item per line after "- ", e.g. `- sizeGiB: 100`. */
function listForm(node: SchemaNode | undefined): string | undefined {
  const item = snippet(node?.items);
  return item === undefined ? undefined : `- ${item.replace(/^\{ (.*) \}$/, "$1")}`;
}

const validators = new Map<string, (value: string) => boolean>();
/** Whether a string passes the node's own pattern and format. */
function passes(node: SchemaNode | undefined, value: string): boolean {
  const rule = { type: "string", ...(typeof node?.pattern === "string" ? { pattern: node.pattern } : {}), ...(typeof node?.format === "string" ? { format: node.format } : {}) };
  const cacheKey = JSON.stringify(rule);
  let valid = validators.get(cacheKey);
  if (!valid) {
    const compiled = sharedAjv().compile(rule);
    valid = (v: string) => compiled(v) === true;
    validators.set(cacheKey, valid);
  }
  return valid(value);
}

/**
 * A mistyped value repaired the usual ways, when the repair is valid for the field: full-width to
 * half-width and invisible characters dropped (NFKC), spaces and hyphens out of a number, a date's
 * slashes or 年月日 as hyphens. Undefined when none of them gives a valid value.
 */
function repaired(value: unknown, node: SchemaNode | undefined): string | undefined {
  if (typeof value !== "string") return undefined;
  const plain = withoutInvisible(value).normalize("NFKC").trim();
  const date = /^(\d{4})\s*[/.年-]\s*(\d{1,2})\s*[/.月-]\s*(\d{1,2})\s*日?$/.exec(plain);
  // An account written without its @ (zhangsan for "@zhangsan") is certain too: only accounts take an @.
  const candidates = [plain, plain.replace(/[\s-]/g, ""), date ? `${date[1]}-${date[2]!.padStart(2, "0")}-${date[3]!.padStart(2, "0")}` : undefined, plain.startsWith("@") ? undefined : `@${plain}`];
  return candidates.find((c): c is string => c !== undefined && c !== value && passes(node, c));
}

function toProblem(err: ErrorObject, zhDetail: string, schema: SchemaNode, located: LocatedValue, file: string): Problem {
  const path: PathSegment[] = decodePointer(err.instancePath);
  const { message, at, rule } = describe(err, zhDetail, schema, located.value, path);
  const pos: Position = located.locate(at.path, at.key ? "key" : "value");
  return problem(file, pos, rule, message);
}

function describe(
  err: ErrorObject,
  zhDetail: string,
  schema: SchemaNode,
  root: unknown,
  path: PathSegment[],
): { message: Message; at: { path: PathSegment[]; key: boolean }; rule: string } {
  const node = schemaAt(schema, path);
  const value = valueAt(root, path);
  const field = titled(path, node);
  const en = fieldName(path);
  const place = formPlace(schema, path);
  const p = err.params as Record<string, unknown>;
  switch (err.keyword) {
    case "required": {
      const missing = String(p.missingProperty);
      const child = [...path, missing];
      const childNode = schemaAt(schema, child);
      const ex = example(childNode) ?? (childNode?.type === "object" ? snippet(childNode) : undefined);
      return {
        rule: "schema-required",
        at: { path, key: path.length > 0 },
        message: withForm(msg(
          `缺少必填字段 ${titled(child, childNode)}。请补充该字段${ex ? `，例如 ${missing}: ${ex}` : ""}。`,
          `Missing required field ${fieldName(child)}.${ex ? ` Add it, e.g. ${missing}: ${ex}.` : ""}`,
        ), msg(`请填写${formPlace(schema, child).zh || childNode?.title || missing}。`, `Fill in ${formPlace(schema, child).en || missing}.`)),
      };
    }
    case "additionalProperties": {
      const extra = String(p.additionalProperty);
      const allowed = Object.keys(node?.properties ?? {});
      const meant = nearestKey(extra, node?.properties ?? {});
      // A field of a block written outside it (exposures at the top instead of under network:).
      // Only where exactly one block has such a field: two (internal, external) is no answer.
      const homes = meant ? [] : allowed.filter((k) => Object.prototype.hasOwnProperty.call(schemaAt(schema, [...path, k])?.properties ?? {}, extra));
      const home = homes.length === 1 ? homes[0] : undefined;
      if (home) {
        return {
          rule: "schema-unknown-field",
          at: { path: [...path, extra], key: true },
          message: msg(
            `字段 ${extra} 应写在 ${fieldName([...path, home])}: 下面（比 ${home} 多缩进两个空格），不能写在${path.length ? `${field} 下` : "顶层"}。`,
            `Field ${extra} belongs under ${fieldName([...path, home])}: (indented two spaces more than ${home}), not ${path.length ? `under ${fieldName(path)}` : "at the top level"}.`,
          ),
        };
      }
      return {
        rule: "schema-unknown-field",
        at: { path: [...path, extra], key: true },
        message: msg(
          `未知字段 ${fieldName([...path, extra])}。${meant ? `是否应为 ${meant}？` : ""}${path.length ? `${field} 下` : "顶层"}允许的字段为：${allowed.join("、")}。请检查拼写，或删除该字段。`,
          `Unknown field ${fieldName([...path, extra])}.${meant ? ` Did you mean ${meant}?` : ""} Allowed here: ${allowed.join(", ")}. Check the spelling or remove it.`,
        ),
      };
    }
    case "type": {
      const expected = String(p.type);
      const key = String(path[path.length - 1] ?? "");
      const quoteHint =
        expected === "string" && (typeof value === "number" || typeof value === "boolean")
          ? asText(value, node)
          : correctedForm(expected, key, value, node);
      const found = value === null ? "空值" : `${shown(value)}（${TYPE_ZH[typeOf(value)] ?? typeOf(value)}）`;
      const file = msg(
        `字段 ${field}应为${spaced(TYPE_ZH[expected] ?? expected)}，实际为 ${found}。${quoteHint.zh}`,
        `Field ${en} must be ${expected === "integer" ? "an integer" : `a ${expected}`}, found ${value === null ? "nothing" : shown(value)}.${quoteHint.en}`,
      );
      // A box holds text whatever is typed: the form says what to type, not what type the text has.
      const asked = TYPE_FORM[expected];
      const hint = expected === "integer" || expected === "number" ? formNumberHint(key, value, node) : { zh: "", en: "" };
      const typed = formValue(place, value);
      return {
        rule: "schema-type",
        at: { path, key: false },
        message: asked ? withForm(file, msg(`${typed.zh} 不是${asked.zh}。${hint.zh}`, `${typed.en} is not ${asked.en}.${hint.en}`)) : file,
      };
    }
    case "enum": {
      const allowed = (p.allowedValues as unknown[]).map((v) => String(v));
      const hidden = hiddenNote(value);
      // A value written in words (在用, 外网) is the code those words name.
      const names = FIELD_VALUE_NAMES[path.join(".")] ?? {};
      const said = typeof value === "string" ? withoutInvisible(value).trim().toLowerCase() : undefined;
      const meant = allowed.find((a) => said !== undefined && (names[a]?.zh === said || names[a]?.en.toLowerCase() === said));
      const named = (lang: "zh" | "en") => allowed.map((a) => (names[a] ? (lang === "zh" ? `${a}（${names[a].zh}）` : `${a} (${names[a].en})`) : a));
      return {
        rule: "schema-enum",
        at: { path, key: false },
        message: withForm(msg(
          `字段 ${field}的值 ${shown(value)} 不在允许范围内${meant ? `：“${names[meant]!.zh}”请写作 ${meant}` : `，可选值为：${named("zh").join("、")}`}。${hidden.zh}`,
          `Field ${en} is ${shown(value)}; ${meant ? `"${names[meant]!.en}" is written ${meant}` : `allowed values: ${named("en").join(", ")}`}.${hidden.en}`,
        ), msg(`${formValue(place, value).zh} 不是可选的值，请从列表中选择。`, `${formValue(place, value).en} is not one of the choices; pick one from the list.`)),
      };
    }
    case "minimum":
    case "maximum": {
      const limit = Number(p.limit);
      const unit = unitOf(String(path[path.length - 1] ?? ""), node);
      const low = err.keyword === "minimum";
      return {
        rule: "schema-range",
        at: { path, key: false },
        message: withForm(msg(
          `字段 ${field}的值 ${shown(value)} ${low ? "太小" : "太大"}：${low ? "至少" : "最多"}为 ${limit}${unit ? ` ${unit.zh}` : ""}。`,
          `Field ${en} is ${shown(value)}, ${low ? "below the minimum" : "above the maximum"} of ${limit}${unit ? ` ${unit.en}` : ""}.`,
        ), msg(
          `${formValue(place, value).zh} ${low ? "太小" : "太大"}：${low ? "至少" : "最多"}为 ${limit}${unit ? ` ${unit.zh}` : ""}。`,
          `${formValue(place, value).en} is ${low ? "below the minimum" : "above the maximum"} of ${limit}${unit ? ` ${unit.en}` : ""}.`,
        )),
      };
    }
    case "pattern": {
      const odd = typeof value === "string" ? suspiciousCharacters(value) : { zh: [], en: [] };
      // Every form a field takes (a mobile, a landline, a 400 number), not only the first.
      const forms = (node?.examples ?? []).map(shown);
      const ex = forms.length > 1 ? { zh: `${forms.slice(0, -1).join("、")} 或 ${forms.at(-1)}`, en: `${forms.slice(0, -1).join(", ")} or ${forms.at(-1)}` } : forms.length ? { zh: forms[0]!, en: forms[0]! } : undefined;
      // A bare number where the example goes on after its digits (80 for "443/tcp"): what to write.
      const fixed = repaired(value, node) ?? (typeof value === "string" ? completedLike(value, node) : undefined);
      const length = digitsLength(value, node);
      return {
        rule: "schema-pattern",
        at: { path, key: false },
        message: said(field, en, place, value,
          `格式不正确${ex && !fixed ? `，应形如 ${ex.zh}` : ""}${length && !fixed ? `（应为 ${length.wanted} 位数字，这里是 ${length.typed} 位）` : ""}。${odd.zh.length ? `其中含有${odd.zh.join("、")}。` : ""}${fixed ? `请改为 ${shown(fixed)}。` : odd.zh.length ? "请删除后用英文半角重新输入。" : ""}`,
          `, which does not have the required form${ex && !fixed ? ` (like ${ex.en})` : ""}${length && !fixed ? `: ${length.wanted} digits are needed, it has ${length.typed}` : ""}.${odd.en.length ? ` It contains ${odd.en.join(", ")}.` : ""}${fixed ? ` Write ${shown(fixed)}.` : odd.en.length ? " Retype it in plain ASCII." : ""}`,
          `does not have the required form${ex && !fixed ? ` (like ${ex.en})` : ""}${length && !fixed ? `: ${length.wanted} digits are needed, it has ${length.typed}` : ""}.${odd.en.length ? ` It contains ${odd.en.join(", ")}.` : ""}${fixed ? ` Write ${shown(fixed)}.` : odd.en.length ? " Retype it in plain ASCII." : ""}`,
        ),
      };
    }
    case "format": {
      const fmt = String(p.format);
      const hidden = hiddenNote(value);
      // Invisible characters are named, with the value they leave (hiddenNote); other repairs are offered.
      const fixed = hidden.zh ? undefined : repaired(value, node);
      return {
        rule: "schema-format",
        at: { path, key: false },
        message: said(field, en, place, value,
          `不是有效的${FORMAT_ZH[fmt] ?? fmt}。${fixed ? `请改为 ${shown(fixed)}。` : example(node) ? `例如 ${example(node)}。` : ""}${hidden.zh}`,
          `, not a valid ${fmt}.${fixed ? ` Write ${shown(fixed)}.` : example(node) ? ` Example: ${example(node)}.` : ""}${hidden.en}`,
          `is not a valid ${fmt}.${fixed ? ` Write ${shown(fixed)}.` : example(node) ? ` Example: ${example(node)}.` : ""}${hidden.en}`,
        ),
      };
    }
    case "minLength":
    case "minItems": {
      const file = said(field, en, place, value, `不符合要求：${zhDetail}。${hiddenNote(value).zh}`, `: ${err.message ?? err.keyword}.${hiddenNote(value).en}`, "");
      const limit = Number(p.limit);
      const empty = value === "" || (Array.isArray(value) && value.length === 0);
      const typed = formValue(place, value);
      // A box left empty is asked for; a reason too short is said so, not "fewer than 4 characters" in ajv's words.
      const form = empty
        ? msg(`请填写${place.zh || node?.title || en}。`, `Fill in ${place.en || en}.`)
        : err.keyword === "minLength"
          ? msg(`${typed.zh} 太短：至少 ${limit} 个字。`, `${typed.en} is too short: at least ${limit} characters.`)
          : msg(`请至少填写 ${limit} 项。`, `Give at least ${limit} items.`);
      return { rule: "schema-range", at: { path, key: false }, message: withForm(file, form) };
    }
    default:
      return {
        rule: "schema-range",
        at: { path, key: false },
        message: said(field, en, place, value, `不符合要求：${zhDetail}。${hiddenNote(value).zh}`, `: ${err.message ?? err.keyword}.${hiddenNote(value).en}`, `does not fit: ${err.message ?? err.keyword}.${hiddenNote(value).en}`),
      };
  }
}
