import type { ErrorObject, ValidateFunction } from "ajv";
import localizeZh from "ajv-i18n/localize/zh";
import { closest, distance } from "fastest-levenshtein";
import { invisibleCharacters, suspiciousCharacters, withoutInvisible } from "../characters";
import { msg, shown, type Message } from "../messages";
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
  /** Checks a parsed document; returns the typed value only when it conforms. */
  check(located: LocatedValue, file: string): { value?: T; problems: Problem[] };
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
      return { problems };
    },
  };
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
  if (/GiB$/.test(key)) return { zh: "GiB", en: "GiB" };
  if (/Days$/.test(key)) return { zh: "天", en: "days" };
  if (key === "months") return { zh: "个月", en: "months" };
  if (key === "cpu") return { zh: "核", en: "cores" };
  const inTitle = node?.title ? /（(.+)）/.exec(node.title)?.[1] : undefined;
  return inTitle ? { zh: inTitle, en: inTitle } : undefined;
}

/** For a value of the wrong type, the line the user should have written: `memoryGiB: 8`, `daily: true`. */
function correctedForm(expected: string, key: string, value: unknown, node: SchemaNode | undefined): { zh: string; en: string } {
  if (typeof value === "string" && (expected === "integer" || expected === "number")) {
    const digits = /^\s*(\d+(?:\.\d+)?)/.exec(value)?.[1];
    const unit = unitOf(key, node);
    if (digits === undefined) return { zh: "请只填数字。", en: " Write a number only." };
    return {
      zh: `请只填数字，不加单位和引号：${key}: ${digits}${unit ? `（单位 ${unit.zh}）` : ""}。`,
      en: ` Write the number alone, without unit or quotes: ${key}: ${digits}${unit ? ` (in ${unit.en})` : ""}.`,
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
  return node?.title ? `${name}（${node.title}）` : name;
}

function example(node: SchemaNode | undefined): string | undefined {
  const ex = node?.examples?.[0];
  return ex === undefined ? undefined : shown(ex);
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
  const p = err.params as Record<string, unknown>;
  switch (err.keyword) {
    case "required": {
      const missing = String(p.missingProperty);
      const child = [...path, missing];
      const childNode = schemaAt(schema, child);
      const ex = example(childNode);
      return {
        rule: "schema-required",
        at: { path, key: path.length > 0 },
        message: msg(
          `缺少必填字段 ${titled(child, childNode)}。请补充该字段${ex ? `，例如 ${missing}: ${ex}` : ""}。`,
          `Missing required field ${fieldName(child)}.${ex ? ` Add it, e.g. ${missing}: ${ex}.` : ""}`,
        ),
      };
    }
    case "additionalProperties": {
      const extra = String(p.additionalProperty);
      const allowed = Object.keys(node?.properties ?? {});
      const meant = nearestKey(extra, node?.properties ?? {});
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
          ? { zh: `请加英文双引号，例如 "${String(value)}"。`, en: ` Quote it, e.g. "${String(value)}".` }
          : correctedForm(expected, key, value, node);
      const found = value === null ? "空值" : `${shown(value)}（${TYPE_ZH[typeOf(value)] ?? typeOf(value)}）`;
      return {
        rule: "schema-type",
        at: { path, key: false },
        message: msg(
          `字段 ${field}应为${TYPE_ZH[expected] ?? expected}，实际为 ${found}。${quoteHint.zh}`,
          `Field ${en} must be ${expected === "integer" ? "an integer" : `a ${expected}`}, found ${value === null ? "nothing" : shown(value)}.${quoteHint.en}`,
        ),
      };
    }
    case "enum": {
      const allowed = (p.allowedValues as unknown[]).map((v) => String(v));
      const hidden = hiddenNote(value);
      return {
        rule: "schema-enum",
        at: { path, key: false },
        message: msg(
          `字段 ${field}的值 ${shown(value)} 不在允许范围内，可选值为：${allowed.join("、")}。${hidden.zh}`,
          `Field ${en} is ${shown(value)}; allowed values: ${allowed.join(", ")}.${hidden.en}`,
        ),
      };
    }
    case "pattern": {
      const odd = typeof value === "string" ? suspiciousCharacters(value) : [];
      const ex = example(node);
      return {
        rule: "schema-pattern",
        at: { path, key: false },
        message: msg(
          `字段 ${field}的值 ${shown(value)} 格式不正确${ex ? `，应形如 ${ex}` : ""}。${odd.length ? `其中含有非 ASCII 或不可见字符 ${odd.join("、")}（可能是全角字符、形近字母或零宽字符），请删除后用英文半角重新输入。` : ""}`,
          `Field ${en} is ${shown(value)}, which does not have the required form${ex ? ` (like ${ex})` : ""}.${odd.length ? ` It contains non-ASCII or invisible characters ${odd.join(", ")} (full-width, look-alike or zero-width); retype it in plain ASCII.` : ""}`,
        ),
      };
    }
    case "format": {
      const fmt = String(p.format);
      const hidden = hiddenNote(value);
      return {
        rule: "schema-format",
        at: { path, key: false },
        message: msg(
          `字段 ${field}的值 ${shown(value)} 不是有效的${FORMAT_ZH[fmt] ?? fmt}。${example(node) ? `例如 ${example(node)}。` : ""}${hidden.zh}`,
          `Field ${en} is ${shown(value)}, not a valid ${fmt}.${example(node) ? ` Example: ${example(node)}.` : ""}${hidden.en}`,
        ),
      };
    }
    default:
      return {
        rule: "schema-range",
        at: { path, key: false },
        message: msg(
          `字段 ${field}的值 ${shown(value)} 不符合要求：${zhDetail}。${hiddenNote(value).zh}`,
          `Field ${en} is ${shown(value)}: ${err.message ?? err.keyword}.${hiddenNote(value).en}`,
        ),
      };
  }
}
