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

/** Names non-ASCII or control characters by code point, the usual reason a value fails a pattern. */
export function suspiciousCharacters(value: string): string[] {
  const found: string[] = [];
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (code > 0x7e || code < 0x20) {
      const l = label(code);
      if (!found.includes(l)) found.push(l);
    }
  }
  return found;
}
