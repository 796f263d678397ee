import * as YAML from "yaml";
import { invisibleCharacters, withoutInvisible } from "../characters";
import { msg, shown, type Message } from "../messages";
import { problem, type Problem } from "../problems";

/** A file as read from a register root: `path` is posix and relative to the root. */
export interface SourceFile {
  readonly path: string;
  readonly bytes: Uint8Array;
  /** Size on disk when `bytes` holds only a bounded prefix of a larger file. */
  readonly size?: number;
}

export type PathSegment = string | number;

export interface Position {
  readonly line: number;
  readonly column: number;
}

/** A parsed YAML document that can point back at the source of any value in it. */
export interface LocatedValue {
  readonly value: unknown;
  /** Where the value at `path` starts; `key` points at the mapping key instead of its value. */
  locate(path: readonly PathSegment[], at?: "key" | "value"): Position;
}

export const MAX_FILE_BYTES = 256 * 1024;

/** Keys that would reach Object.prototype machinery if they ever became object properties. */
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

const utf8 = new TextDecoder("utf-8", { fatal: true });


/**
 * The loader every YAML file of the register goes through (filings, the institution config, stack
 * files): size and encoding (decodeSource), then strict YAML (parseStrictYaml). Each kind's schema
 * check follows in its own module.
 */
export function loadYaml(source: SourceFile): { located?: LocatedValue; problems: Problem[]; repaired?: LocatedValue } {
  const decoded = decodeSource(source);
  if (decoded.text === undefined) return { problems: decoded.problems };
  return parseStrictYaml(decoded.text, source.path);
}

/** Checks size and encoding, then decodes. A leading BOM is dropped. */
export function decodeSource(source: SourceFile): { text?: string; problems: Problem[] } {
  const start = { line: 1, column: 1 };
  const size = source.size ?? source.bytes.byteLength;
  if (size > MAX_FILE_BYTES) {
    return {
      problems: [
        problem(
          source.path,
          start,
          "file-too-large",
          msg(
            `文件大小为 ${size} 字节，超过上限 ${MAX_FILE_BYTES} 字节（256 KiB）。${source.path.startsWith("filings/") ? "一份备案只登记一台服务器，" : ""}请删除多余内容。`,
            `The file is ${size} bytes, above the limit of ${MAX_FILE_BYTES} bytes (256 KiB). ${source.path.startsWith("filings/") ? "A filing describes one server; r" : "R"}emove the extra content.`,
          ),
        ),
      ],
    };
  }
  try {
    return { text: utf8.decode(source.bytes), problems: [] };
  } catch {
    const offset = firstInvalidUtf8(source.bytes);
    const before = Buffer.from(source.bytes.subarray(0, offset)).toString("latin1");
    const line = before.split("\n").length;
    const column = offset - before.lastIndexOf("\n");
    return {
      problems: [
        problem(
          source.path,
          { line, column },
          "file-encoding",
          msg(
            `文件不是 UTF-8 编码（第 ${offset} 字节无效）。请在编辑器中以 UTF-8 编码重新保存（不要使用 GBK/GB2312）。`,
            `The file is not UTF-8 (invalid byte at offset ${offset}). Save it again as UTF-8 (not GBK/GB2312).`,
          ),
        ),
      ],
    };
  }
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  // Binary search on the longest valid prefix; the decoder itself is the UTF-8 authority.
  let lo = 0;
  let hi = bytes.byteLength;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  return lo;
}

/** Keys 1 and "1" are the same key once the document becomes an object, so compare as text. */
function sameKey(a: unknown, b: unknown): boolean {
  return YAML.isScalar(a) && YAML.isScalar(b) && String(a.value) === String(b.value);
}

const PARSE_OPTIONS = {
  version: "1.2",
  schema: "core",
  merge: false,
  strict: true,
  prettyErrors: true,
  uniqueKeys: sameKey,
  stringKeys: false,
} as const;

function yamlErrorRule(code: string): string {
  switch (code) {
    case "DUPLICATE_KEY":
      return "yaml-duplicate-key";
    case "MULTIPLE_DOCS":
      return "yaml-multiple-documents";
    case "TAG_RESOLVE_FAILED":
    case "BAD_TAG":
      return "yaml-tag";
    case "BAD_ALIAS":
      return "yaml-alias";
    case "BAD_DIRECTIVE":
      return "yaml-directive";
    default:
      return "yaml-syntax";
  }
}

/**
 * The parser's error in the user's words. `key`: for a duplicate, the key as written at the error;
 * `line`: where the parser stopped. The English keeps the parser's own first line, without the
 * position it repeats.
 */
function yamlErrorMessage(code: string, detail: string, where: { key?: string; line?: number; indents?: { line: number; spaces: number }[] } = {}): Message {
  const firstLine = (detail.split("\n")[0] ?? detail).replace(/ at line \d+, column \d+:?$/, "");
  const at = where.line === undefined ? "" : `第 ${where.line} 行`;
  switch (code) {
    case "DUPLICATE_KEY":
      return msg(
        `${where.key ? `字段 ${where.key} ` : "字段名"}在同一层级出现了两次。每个字段只能出现一次，请删除或合并重复的一行。`,
        `Duplicate key${where.key ? ` ${where.key}` : ""} (1 and "1" count as the same key). Keep each key once.`,
      );
    case "BAD_INDENT":
      return msg(
        `${where.indents && where.indents.length > 1 ? `${where.indents.map((i) => `第 ${i.line} 行缩进 ${i.spaces} 个空格`).join("，")}，` : `${at}的缩进与同一层级的其他字段不一致。`}同一层级的字段必须左端对齐（每深一层多缩进两个空格）。`,
        `${firstLine}. Keys of one level must start in the same column (two more spaces per level).`,
      );
    case "MULTILINE_IMPLICIT_KEY":
    case "BLOCK_AS_IMPLICIT_KEY":
      return msg(
        `${at}附近的结构无法识别。常见原因：缩进没有对齐；冒号后缺少空格（应写 cpu: 4）；值里含有冒号（请给整个值加英文双引号）。`,
        `${firstLine}. Usual causes: misaligned indentation, no space after a colon (cpu: 4), or a colon inside a value (quote the whole value).`,
      );
    case "MISSING_CHAR":
      if (/quote/i.test(firstLine)) {
        return msg(`${at}的引号没有成对：缺少结尾的引号。`, `${firstLine}: a quote is not closed.`);
      }
      break;
    case "MULTIPLE_DOCS":
      return msg(
        "文件中有多个 YAML 文档（出现了第二个 ---）。一个文件只能登记一台服务器，请拆分为多个文件。",
        "The file holds more than one YAML document (a second ---). One file describes one server; split it.",
      );
    case "TAB_AS_INDENT":
      return msg("缩进中使用了制表符（Tab）。YAML 只能用空格缩进，请把 Tab 换成两个空格。", `Tabs used for indentation: ${firstLine}. Indent with spaces.`);
  }
  return msg(
    `${at ? `${at}有 ` : ""}YAML 语法错误。请检查缩进（只用空格）、冒号后的空格以及引号是否成对。`,
    `YAML syntax error: ${firstLine}. Check indentation (spaces only), the space after each colon and paired quotes.`,
  );
}

/** Source offsets → 1-based line and column, from the counter the parse filled. */
function positionsIn(lineCounter: YAML.LineCounter): (offset: number) => Position {
  return (offset) => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
}

/**
 * Parses one YAML document under the project's strict profile: YAML 1.2 core schema, no anchors,
 * aliases, tags, merge keys, directives, complex keys, duplicate keys or prototype-polluting keys.
 * Returns a value only when none of those were found.
 */
export function parseStrictYaml(text: string, file: string, repairs = 0): { located?: LocatedValue; problems: Problem[]; repaired?: LocatedValue } {
  const lineCounter = new YAML.LineCounter();
  const docs = YAML.parseAllDocuments(text, { ...PARSE_OPTIONS, lineCounter });
  const posOf = positionsIn(lineCounter);
  // Where the parser's own errors and warnings are reported: its pretty position when it has one.
  const fromYamlError = (err: YAML.YAMLError | YAML.YAMLWarning): Problem => {
    const pretty = err.linePos?.[0];
    const pos = pretty ? { line: pretty.line, column: pretty.col } : posOf(err.pos[0]);
    const key = err.code === "DUPLICATE_KEY" ? /^["']?([^"':]+)/.exec(text.slice(err.pos[0]))?.[1]?.trim() : undefined;
    // A misaligned key: the parser names the line after it, so both lines' indents are said.
    const indents = err.code === "BAD_INDENT" ? alignedWith(text, pos.line) : undefined;
    return problem(file, pos, yamlErrorRule(err.code), yamlErrorMessage(err.code, err.message, { key, line: pos.line, indents }));
  };
  // One structural mistake makes the parser report on every line after it: the first is the one to fix.
  const firstSyntax = (errors: readonly YAML.YAMLError[]): YAML.YAMLError[] => {
    const syntax = errors.filter((e) => yamlErrorRule(e.code) === "yaml-syntax");
    return errors.filter((e) => yamlErrorRule(e.code) !== "yaml-syntax" || e === syntax[0]);
  };
  const problems: Problem[] = [];
  // An empty stream (nothing, or only comments) comes back as no documents at all.
  const list = Array.isArray(docs) ? docs : [docs];
  const doc = list[0];
  if (!doc || doc.contents === null) {
    const empty = problem(file, { line: 1, column: 1 }, "yaml-empty", msg("文件是空的，没有任何备案内容。", "The file is empty: it holds no filing."));
    return { problems: [empty, ...firstSyntax(doc?.errors ?? []).map(fromYamlError)] };
  }
  if (list.length > 1) {
    const second = list[1]!;
    problems.push(problem(file, posOf(second.range[0]), "yaml-multiple-documents", yamlErrorMessage("MULTIPLE_DOCS", "")));
  }
  // One mistake (a tab, a full-width colon) makes the parser report five; name the mistake instead.
  const causes = doc.errors.length > 0 ? rootCauses(text, file) : { found: [], fixes: new Map<number, string>() };
  if (causes.found.length > 0) {
    // And what the file is once each fix the messages give is made: when that parses, its own
    // problems (schema, rules) are reported in this run too, not one round later.
    const fixed = text.split(/\r?\n/).map((line, i) => causes.fixes.get(i + 1) ?? line).join("\n");
    const again = fixed !== text && repairs < MAX_REPAIRS ? parseStrictYaml(fixed, file, repairs + 1) : undefined;
    return { problems: causes.found, ...(again && (again.located ?? again.repaired) ? { repaired: again.located ?? again.repaired } : {}) };
  }
  problems.push(...firstSyntax(doc.errors).map(fromYamlError), ...doc.warnings.map(fromYamlError));
  if (doc.directives?.yaml.explicit || hasTagDirective(doc)) {
    const line = text.slice(0, Math.max(0, text.search(/^%/m))).split("\n").length;
    problems.push(
      problem(
        file,
        { line, column: 1 },
        "yaml-directive",
        msg("文件使用了 %YAML 或 %TAG 指令。备案文件不需要指令，请删除以 % 开头的行。", "The file uses a %YAML or %TAG directive. Filings need none; delete the lines starting with %."),
      ),
    );
  }
  problems.push(...structuralProblems(doc, file, posOf, text));
  if (problems.length > 0) return { problems };
  const value: unknown = doc.toJS({ maxAliasCount: 0 });
  return { located: { value, locate: lazyLocator(text) }, problems };
}

/**
 * Positions for a document that parsed cleanly, from a second parse made only when a rule asks.
 * Keeping every filing's syntax tree alive instead (a few hundred objects each) made validating
 * 10,000 filings spend about a third of its time collecting garbage; only filings with a problem
 * are ever located. Built outside parseStrictYaml so the closure cannot hold that call's tree.
 * `text` may also be a function that reads the file only then (a file whose result the validation
 * cache holds); a file that cannot be read or decoded points at line 1.
 */
export function lazyLocator(text: string | (() => string | undefined)): LocatedValue["locate"] {
  let tree: { doc: YAML.Document; posOf: (offset: number) => Position } | null | undefined;
  return (path, at = "value") => {
    if (tree === undefined) {
      const source = typeof text === "string" ? text : text();
      if (source === undefined) {
        tree = null;
      } else {
        const lineCounter = new YAML.LineCounter();
        tree = { doc: YAML.parseDocument(source, { ...PARSE_OPTIONS, lineCounter }), posOf: positionsIn(lineCounter) };
      }
    }
    return tree ? locateIn(tree.doc, path, at, tree.posOf) : { line: 1, column: 1 };
  };
}

/**
 * A document the program wrote itself (the desk's rendered form), parsed once with its positions
 * kept: every field of it is located, so the second parse lazyLocator saves elsewhere would be paid
 * on each call. Undefined when the text does not parse cleanly (never, for rendered text).
 */
export function eagerlyLocated(text: string): LocatedValue | undefined {
  const lineCounter = new YAML.LineCounter();
  const doc = YAML.parseDocument(text, { ...PARSE_OPTIONS, lineCounter });
  if (doc.errors.length > 0) return undefined;
  const posOf = positionsIn(lineCounter);
  return { value: doc.toJS({ maxAliasCount: 0 }) as unknown, locate: (path, at = "value") => locateIn(doc, path, at, posOf) };
}

/** "第 3 行" and, when there are more, "（另有第 5、7 行）". */
/** The indents of `line` and of the nearest line with content before it (1-based), as a reader counts them. */
function alignedWith(text: string, line: number): { line: number; spaces: number }[] {
  const all = text.split(/\r?\n/);
  const spaces = (n: number) => /^ */.exec(all[n - 1] ?? "")![0].length;
  let before = line - 1;
  while (before > 0 && /^\s*(#.*)?$/.test(all[before - 1] ?? "")) before--;
  return before > 0 ? [{ line: before, spaces: spaces(before) }, { line, spaces: spaces(line) }] : [{ line, spaces: spaces(line) }];
}

/** A key's line whose space after the colon is a no-break or full-width space: the line as it should read. */
function oddSpaceAfterColon(line: number, raw: string): Message {
  const fixed = raw.replace(/[\u00a0\u3000]/g, " ").replace(/[:：] +/, ": ").trim();
  const kind = invisibleCharacters(raw);
  return msg(
    `第 ${line} 行冒号后不是普通空格，而是看不见的 ${kind.zh.join("、")}，常见于从 Word 复制的文字，这一行因此无法识别。请删除冒号后的空格，重新输入一个普通空格，写成：${fixed}`,
    `Line ${line}: the space after the colon is ${kind.en.join(", ")} (as pasted from Word), so the line is not recognised. Delete it and type a plain space: ${fixed}`,
  );
}

function lines(numbers: readonly number[]): Message {
  const [first, ...rest] = numbers;
  return msg(
    `第 ${first} 行${rest.length ? `（另有第 ${rest.join("、")} 行）` : ""}`,
    `line ${first}${rest.length ? ` (also line${rest.length > 1 ? "s" : ""} ${rest.join(", ")})` : ""}`,
  );
}

/** Rounds of certain fixes tried on one file (one fix per line per round). */
const MAX_REPAIRS = 4;

/**
 * The mistakes that make a department's file unparsable, found in the text: tabs or full-width
 * spaces in the indentation, and a key followed by a full-width colon (typed with a Chinese input
 * method). One problem per kind and file, at its first line, with the corrected form; and per line
 * (1-based) the line with its first mistake fixed as the message says.
 */
function rootCauses(text: string, file: string): { found: Problem[]; fixes: Map<number, string> } {
  const tabs: number[] = [];
  const wideSpaces: number[] = [];
  const colons: { line: number; column: number; fixed: string }[] = [];
  const dashes: number[] = [];
  const noBreak: number[] = [];
  const tight: { line: number; column: number; fixed: string }[] = [];
  const bareDashes: { line: number; fixed: string }[] = [];
  const colonValues: { line: number; fixed: string }[] = [];
  const oddColons: number[] = [];
  const wideCommas: { line: number; fixed: string }[] = [];
  const reserved: { line: number; fixed: string }[] = [];
  const deeper: { line: number; by: number; above: number; fixed: string }[] = [];
  let previous: { line: number; indent: number; body: string } | undefined;
  const raws = text.split(/\r?\n/);
  const fixes = new Map<number, string>();
  const fix = (line: number, fixed: string) => {
    if (!fixes.has(line)) fixes.set(line, fixed);
  };
  text.split(/\r?\n/).forEach((raw, i) => {
    const indent = /^[ \t\u3000\u00a0]*/.exec(raw)![0];
    // Each fix as its message says it: a tab is two spaces, a full-width space two, a no-break space one.
    const plain = indent.replace(/\t|\u3000/g, "  ").replace(/\u00a0/g, " ");
    if (indent.includes("\t")) tabs.push(i + 1);
    if (indent.includes("\u3000")) wideSpaces.push(i + 1);
    if (indent.includes("\u00a0")) noBreak.push(i + 1);
    const body = raw.slice(indent.length);
    if (plain !== indent) fix(i + 1, plain + body);
    if (body.startsWith("#") || body === "") return;
    // "   memoryGiB: 64" under "  cpu: 16": a key indented deeper than the line above, which opens no
    // block, can only belong beside it. (A list item's keys align two spaces in, after "- ".) Only
    // an odd indent under an even one is certain: which of two lines is off is otherwise a guess.
    const above = previous;
    previous = { line: i + 1, indent: plain.length, body };
    if (above && /^[A-Za-z_]\w*:( |$)/.test(body) && /^(?:- +)?[A-Za-z_]\w*: *[^\s#|>].*$/.test(above.body)) {
      const aligned = above.indent + (above.body.startsWith("-") ? /^- +/.exec(above.body)![0].length : 0);
      if (plain.length > aligned && aligned % 2 === 0 && plain.length % 2 === 1) {
        deeper.push({ line: i + 1, by: plain.length - aligned, above: above.line, fixed: `${" ".repeat(aligned)}${body}` });
        fix(i + 1, " ".repeat(aligned) + body);
        return;
      }
    }
    if (/^－\s/.test(body)) {
      dashes.push(i + 1);
      fix(i + 1, `${indent}- ${body.slice(1).trimStart()}`);
    }
    // "-sizeGiB: 100": a list item needs a space after its dash.
    if (/^-[A-Za-z_]\w*:(\s|$)/.test(body)) {
      bareDashes.push({ line: i + 1, fixed: `- ${body.slice(1)}` });
      fix(i + 1, `${indent}- ${body.slice(1)}`);
    }
    const odd = /^((?:- +)?[A-Za-z_]\w*)[:：][\u00a0\u3000]+/.exec(body);
    if (odd) {
      oddColons.push(i + 1);
      fix(i + 1, `${indent}${odd[1]}: ${body.slice(odd[0].length)}`);
      return;
    }
    // "cpu:4": a key needs a space after its colon (a URL or a time inside a value is not at a key's place).
    // "{ daily: true，secondCopy: true }": a Chinese comma inside a flow is no separator.
    const flow = /[{[][^}\]]*，/.exec(body);
    if (flow) {
      wideCommas.push({ line: i + 1, fixed: raw.trim().replace(/，\s*/g, ", ") });
      fix(i + 1, `${indent}${body.slice(0, flow.index)}${body.slice(flow.index).replace(/，\s*/g, ", ")}`);
    }
    // "purpose: 图书馆: 查询": a colon and a space inside a value make it read as a key; quoting fixes it.
    const inner = /^((?:- +)?)([A-Za-z_]\w*): +([^"'{[\s#][^#]*?: .*)$/.exec(body);
    if (inner) {
      colonValues.push({ line: i + 1, fixed: `${inner[2]}: "${inner[3]!.trimEnd().replace(/"/g, '\\"')}"` });
      fix(i + 1, `${indent}${inner[1]}${colonValues.at(-1)!.fixed}`);
    }
    // "account: @zhangsan": YAML reserves @ and ` at the start of a value; quoting fixes it.
    const at = /^((?:- +)?)([A-Za-z_]\w*): +([@`][^#]*?)\s*$/.exec(body);
    if (at) {
      reserved.push({ line: i + 1, fixed: `${at[2]}: "${at[3]!.replace(/"/g, '\\"')}"` });
      fix(i + 1, `${indent}${at[1]}${reserved.at(-1)!.fixed}`);
    }
    const glued = /^((?:- +)?)([A-Za-z_]\w*):([^\s:/].*)$/.exec(body);
    if (glued) {
      tight.push({ line: i + 1, column: indent.length + glued[1]!.length + glued[2]!.length + 1, fixed: `${glued[2]}: ${glued[3]}` });
      fix(i + 1, `${indent}${glued[1]}${tight.at(-1)!.fixed}`);
    }
    const item = /^[-－][ \u3000]+/.exec(body)?.[0] ?? "";
    const key = /^([^\s:：#"'“”{}[\]][^:：#"“”]*?)[ \u3000]*：[ \u3000]*/.exec(body.slice(item.length));
    if (key) {
      const rest = body.slice(item.length + key[0].length);
      colons.push({ line: i + 1, column: indent.length + item.length + key[1]!.length + 1, fixed: `${key[1]}: ${rest}`.trimEnd() });
      fix(i + 1, `${indent}${item ? "- " : ""}${colons.at(-1)!.fixed}`);
    }
  });
  const found: Problem[] = [];
  if (tabs.length) {
    const where = lines(tabs);
    found.push(problem(file, { line: tabs[0]!, column: 1 }, "yaml-tab", msg(
      `${where.zh}的缩进中有制表符（Tab）。YAML 只能用空格缩进：请把每个 Tab 换成两个空格（编辑器中可打开“用空格代替 Tab”）。`,
      `Tab in the indentation of ${where.en}. YAML indents with spaces only: replace each tab with two spaces.`,
    )));
  }
  if (wideSpaces.length) {
    const where = lines(wideSpaces);
    found.push(problem(file, { line: wideSpaces[0]!, column: 1 }, "yaml-full-width", msg(
      `${where.zh}的缩进中有全角空格（U+3000）。请切换到英文输入法，用半角空格缩进。`,
      `Full-width space (U+3000) in the indentation of ${where.en}. Indent with ASCII spaces.`,
    )));
  }
  if (colons.length) {
    const where = lines(colons.map((c) => c.line));
    const first = colons[0]!;
    found.push(problem(file, { line: first.line, column: first.column }, "yaml-full-width", msg(
      `${where.zh}的字段名后用了全角冒号“：”。YAML 只认英文半角冒号，且冒号后要有一个空格，例如：${first.fixed}`,
      `${where.en}: a full-width colon "：" follows the key. YAML needs an ASCII colon and a space after it, e.g. ${first.fixed}`,
    )));
  }
  if (noBreak.length) {
    const where = lines(noBreak);
    found.push(problem(file, { line: noBreak[0]!, column: 1 }, "yaml-full-width", msg(
      `${where.zh}的缩进中有不换行空格（U+00A0，常见于从 Word 或网页复制的文字）。请删除这些空格，用普通空格重新缩进。`,
      `No-break spaces (U+00A0, as pasted from Word or a web page) in the indentation of ${where.en}. Delete them and indent with plain spaces.`,
    )));
  }
  if (tight.length) {
    const where = lines(tight.map((t) => t.line));
    const first = tight[0]!;
    found.push(problem(file, { line: first.line, column: first.column }, "yaml-syntax", msg(
      `${where.zh}的冒号后缺少空格。字段名和值之间要写“冒号 + 空格”，例如：${first.fixed}`,
      `${where.en}: no space after the colon. Write a colon and a space between key and value, e.g. ${first.fixed}`,
    )));
  }
  if (wideCommas.length) {
    const where = lines(wideCommas.map((c) => c.line));
    found.push(problem(file, { line: wideCommas[0]!.line, column: 1 }, "yaml-full-width", msg(
      `${where.zh}的花括号或方括号里用了中文逗号“，”。请改为英文逗号，例如：${wideCommas[0]!.fixed}`,
      `${where.en}: a Chinese comma "，" inside braces or brackets. Use an ASCII comma, e.g. ${wideCommas[0]!.fixed}`,
    )));
  }
  for (const line of oddColons) found.push(problem(file, { line, column: 1 }, "yaml-invisible-character", oddSpaceAfterColon(line, raws[line - 1] ?? "")));
  if (colonValues.length) {
    const where = lines(colonValues.map((c) => c.line));
    found.push(problem(file, { line: colonValues[0]!.line, column: 1 }, "yaml-syntax", msg(
      `${where.zh}的值里含有“冒号 + 空格”，会被当成新的字段。请给整个值加英文双引号，例如：${colonValues[0]!.fixed}`,
      `${where.en}: the value holds a colon and a space, which reads as a new key. Quote the whole value, e.g. ${colonValues[0]!.fixed}`,
    )));
  }
  for (const d of deeper) {
    found.push(problem(file, { line: d.line, column: 1 }, "yaml-syntax", msg(
      `第 ${d.line} 行比第 ${d.above} 行多缩进了 ${d.by} 个空格。同一层级的字段必须左端对齐，请改为与第 ${d.above} 行对齐：${d.fixed.trimEnd()}`,
      `Line ${d.line} is indented ${d.by} more space${d.by > 1 ? "s" : ""} than line ${d.above}. Keys of one level start in the same column: align it with line ${d.above}: ${d.fixed.trimEnd()}`,
    )));
  }
  if (reserved.length) {
    const where = lines(reserved.map((r) => r.line));
    found.push(problem(file, { line: reserved[0]!.line, column: 1 }, "yaml-syntax", msg(
      `${where.zh}的值以 @ 或 \` 开头，YAML 不能直接识别。请给整个值加英文双引号，例如：${reserved[0]!.fixed}`,
      `${where.en}: a value starting with @ or \` cannot stand bare in YAML. Quote the whole value, e.g. ${reserved[0]!.fixed}`,
    )));
  }
  if (bareDashes.length) {
    const where = lines(bareDashes.map((d) => d.line));
    found.push(problem(file, { line: bareDashes[0]!.line, column: 1 }, "yaml-syntax", msg(
      `${where.zh}的列表项“-”后缺少空格，例如应写：${bareDashes[0]!.fixed}`,
      `${where.en}: a list item's "-" needs a space after it, e.g. ${bareDashes[0]!.fixed}`,
    )));
  }
  if (dashes.length) {
    const where = lines(dashes);
    found.push(problem(file, { line: dashes[0]!, column: 1 }, "yaml-full-width", msg(
      `${where.zh}的列表项用了全角减号“－”。请改为英文半角“-”，后跟一个空格。`,
      `${where.en}: a list item starts with a full-width hyphen "－". Use an ASCII "-" followed by a space.`,
    )));
  }
  return { found, fixes };
}

function hasTagDirective(doc: YAML.Document): boolean {
  return Object.keys(doc.directives?.tags ?? {}).some((handle) => handle !== "!!");
}

function structuralProblems(doc: YAML.Document, file: string, posOf: (offset: number) => Position, text: string): Problem[] {
  const found: Problem[] = [];
  const at = (node: { range?: YAML.Range | null } | null | undefined): Position =>
    node?.range ? posOf(node.range[0]) : { line: 1, column: 1 };
  YAML.visit(doc, {
    Alias(_key, node) {
      found.push(
        problem(
          file,
          at(node),
          "yaml-alias",
          msg(`不允许使用 YAML 别名（*${node.source}）。请把内容直接写出来。`, `YAML aliases (*${node.source}) are not allowed. Write the value out in full.`),
        ),
      );
    },
    Node(_key, node, path) {
      const parent = path[path.length - 1];
      const owner = YAML.isPair(parent) && parent.value === node && YAML.isNode(parent.key) ? parent.key : node;
      if (node.anchor) {
        found.push(
          problem(
            file,
            at(owner),
            "yaml-anchor",
            msg(`不允许使用 YAML 锚点（&${node.anchor}）。请删除 &${node.anchor}。`, `YAML anchors (&${node.anchor}) are not allowed. Delete &${node.anchor}.`),
          ),
        );
      }
      // The parser sets `tag` only when the author wrote one (`!!str x`, `!foo x`).
      if (node.tag) {
        found.push(
          problem(
            file,
            at(node),
            "yaml-tag",
            msg(`不允许使用 YAML 标签（${node.tag}）。请删除以 ! 开头的标签，直接写值。`, `YAML tags (${node.tag}) are not allowed. Delete the tag starting with ! and write the plain value.`),
          ),
        );
      }
    },
    Pair(_key, pair) {
      const key = pair.key;
      if (key !== null && !YAML.isScalar(key)) {
        found.push(
          problem(file, at(key as YAML.Node), "yaml-complex-key", msg("字段名必须是简单的文字，不能是列表或对象。", "Keys must be plain text, not lists or mappings.")),
        );
        return;
      }
      if (!YAML.isScalar(key)) return;
      const name = String(key.value);
      const invisible = invisibleCharacters(name);
      if (invisible.zh.length > 0 && /[:：][\u00a0\u3000]/.test(name)) {
        // "name:\u00a0吴桐" read as one key running into the next line: the space after the colon is a
        // no-break space (pasted from Word). The fix is that line with a plain space, never a new key.
        const where = at(key);
        found.push(problem(file, where, "yaml-invisible-character", oddSpaceAfterColon(where.line, text.split(/\r?\n/)[where.line - 1] ?? "")));
      } else if (invisible.zh.length > 0) {
        const meant = withoutInvisible(name);
        found.push(
          problem(file, at(key), "yaml-invisible-character", msg(
            `字段名 ${shown(name)} 中含有看不见的字符 ${invisible.zh.join("、")}，因此无法识别。请删除整个字段名，用英文输入法重新输入 ${meant}${invisible.zh.some((c) => c.startsWith("U+3000")) ? "（用作缩进时请改用半角空格）" : ""}。`,
            `The key ${shown(name)} contains invisible characters ${invisible.en.join(", ")}, so it is not recognised. Delete the key and type ${meant} again.`,
          )),
        );
      } else if (name === "<<") {
        found.push(
          problem(file, at(key), "yaml-merge-key", msg("不允许使用合并键（<<）。请把需要的字段直接写出来。", "Merge keys (<<) are not allowed. Write the fields out in full.")),
        );
      } else if (FORBIDDEN_KEYS.has(name)) {
        found.push(
          problem(
            file,
            at(key),
            "yaml-forbidden-key",
            msg(`字段名 ${shown(name)} 不允许使用。请删除这一项。`, `The key ${shown(name)} is not allowed. Delete it.`),
          ),
        );
      }
    },
  });
  return found;
}

function locateIn(doc: YAML.Document, path: readonly PathSegment[], at: "key" | "value", posOf: (o: number) => Position): Position {
  let node: unknown = doc.contents;
  let best: Position = rangeStart(node, posOf) ?? { line: 1, column: 1 };
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const last = i === path.length - 1;
    if (YAML.isMap(node)) {
      const pair = node.items.find((p) => YAML.isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return best;
      const keyPos = rangeStart(pair.key, posOf);
      if (keyPos) best = keyPos;
      if (last && at === "key") return best;
      node = pair.value;
    } else if (YAML.isSeq(node)) {
      const index = typeof seg === "number" ? seg : /^\d+$/.test(seg) ? Number(seg) : -1;
      node = node.items[index];
      if (node === undefined) return best;
    } else {
      return best;
    }
    const pos = rangeStart(node, posOf);
    // A null value (`key:` with nothing after it) has no useful range: keep the key's position.
    if (pos && !(YAML.isScalar(node) && node.value === null)) best = pos;
  }
  return best;
}

function rangeStart(node: unknown, posOf: (o: number) => Position): Position | undefined {
  if (YAML.isNode(node) && node.range) return posOf(node.range[0]);
  return undefined;
}
