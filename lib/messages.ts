/** Every user-facing text exists in Chinese (the default, for departments) and English. */
export type Lang = "zh" | "en";
export const LANGS: readonly Lang[] = ["zh", "en"];

export interface Message {
  readonly zh: string;
  readonly en: string;
  /**
   * The same said beside a box of the desk's form (web/), where there is no file to edit: no YAML
   * key, path or syntax. Absent where the file's words serve both.
   */
  readonly form?: { readonly zh: string; readonly en: string };
}

export function msg(zh: string, en: string): Message {
  return { zh, en };
}

/** A message with its form's wording (Message.form). */
export function withForm(message: Message, form: Message): Message {
  return { zh: message.zh, en: message.en, form: { zh: form.zh, en: form.en } };
}

export function text(message: Message, lang: Lang): string {
  return message[lang];
}

/** What the desk's form shows: the form's wording where there is one. */
export function formText(message: Message, lang: Lang): string {
  return (message.form ?? message)[lang];
}

/** Renders a value the way a user typed it, for "found X" parts of messages. */
export function shown(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === undefined) return "（空）";
  try {
    const s = JSON.stringify(value);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return String(value);
  }
}

/** Both languages in one text, Chinese first: for tools that show one string (Pulumi's policy output). */
export function bilingual(message: Message): string {
  return `${message.zh}\n${message.en}`;
}
