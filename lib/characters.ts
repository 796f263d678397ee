/**
 * Characters that make a value "look right" and still fail: invisible ones pasted from chat tools and
 * web pages, and full-width punctuation typed with a Chinese input method. Messages name them by code
 * point and in words, because the user cannot see them in the value the message quotes.
 */

const NAMED: Record<number, [string, string]> = {
  0x00a0: ["不换行空格", "no-break space"],
  0x200b: ["零宽空格", "zero-width space"],
  0x200c: ["零宽非连接符", "zero-width non-joiner"],
  0x200d: ["零宽连接符", "zero-width joiner"],
  0x2060: ["零宽不换行符", "word joiner"],
  0xfeff: ["零宽不换行空格（BOM）", "zero-width no-break space (BOM)"],
  0x3000: ["全角空格", "full-width space"],
  0x0009: ["制表符 Tab", "tab"],
};

function label(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** True for a character nobody sees: format characters, odd spaces and control characters. */
function isInvisible(ch: string): boolean {
  return /[\p{Cf}\p{Cc}\p{Zs}\p{Zl}\p{Zp}]/u.test(ch) && ch !== " " && ch !== "\n" && ch !== "\r";
}

/** The invisible characters in `value`, each once: `U+200B（零宽空格）`. */
export function invisibleCharacters(value: string): { zh: string[]; en: string[] } {
  const zh: string[] = [];
  const en: string[] = [];
  for (const ch of value) {
    if (!isInvisible(ch)) continue;
    const code = ch.codePointAt(0)!;
    const [nameZh, nameEn] = NAMED[code] ?? ["不可见字符", "invisible character"];
    const z = `${label(code)}（${nameZh}）`;
    if (zh.includes(z)) continue;
    zh.push(z);
    en.push(`${label(code)} (${nameEn})`);
  }
  return { zh, en };
}

/** `value` without its invisible characters: what the user meant to type. */
export function withoutInvisible(value: string): string {
  return [...value].filter((ch) => !isInvisible(ch)).join("");
}

/**
 * What kind of character keeps a value from being plain ASCII, in words a department reads: Chinese
 * characters, full-width letters or digits (typed with a Chinese input method), letters that look
 * Latin but are not (Cyrillic, Greek), invisible ones (by name and code point), anything else by
 * code point.
 */
function kindOf(ch: string): { zh: string; en: string; visible: boolean } {
  const code = ch.codePointAt(0)!;
  if (isInvisible(ch)) {
    const [zh, en] = NAMED[code] ?? ["不可见字符", "invisible character"];
    return { zh: `${zh} ${label(code)}`, en: `${en} ${label(code)}`, visible: false };
  }
  if (/\p{Script=Han}/u.test(ch)) return { zh: "中文", en: "Chinese characters", visible: true };
  if (code >= 0xff01 && code <= 0xff5e) return { zh: "全角字符", en: "full-width characters", visible: true };
  if (/\p{Script=Cyrillic}/u.test(ch)) return { zh: "形近的西里尔字母", en: "Cyrillic look-alike letters", visible: true };
  if (/\p{Script=Greek}/u.test(ch)) return { zh: "形近的希腊字母", en: "Greek look-alike letters", visible: true };
  if (/[\p{P}\p{S}]/u.test(ch)) return { zh: "中文标点或符号", en: "Chinese punctuation or symbols", visible: true };
  return { zh: `字符 ${label(code)}`, en: `character ${label(code)}`, visible: false };
}

/**
 * The characters in `value` that are not plain ASCII, grouped by kind and named as a reader can find
 * them: 中文“阅览室”, 全角字符“１２”, 零宽空格 U+200B. Empty when there are none.
 */
export function suspiciousCharacters(value: string): { zh: string[]; en: string[] } {
  const groups = new Map<string, { zh: string; en: string; chars: string[]; visible: boolean }>();
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (code <= 0x7e && code >= 0x20) continue;
    const kind = kindOf(ch);
    const group = groups.get(kind.zh) ?? { ...kind, chars: [] };
    if (!group.chars.includes(ch)) group.chars.push(ch);
    groups.set(kind.zh, group);
  }
  const all = [...groups.values()];
  return {
    zh: all.map((g) => (g.visible ? `${g.zh}“${g.chars.join("")}”` : g.zh)),
    en: all.map((g) => (g.visible ? `${g.en} "${g.chars.join("")}"` : g.en)),
  };
}
