import crypto from "node:crypto";
import { msg, type Message } from "../messages";
import { isLoopbackAddress } from "../net/ip";
import { noticeText, type Notice } from "./notice";

/**
 * Delivering a notice to the campus's group robots (WeCom 企业微信, DingTalk 钉钉, Feishu 飞书) and
 * to email, each in its own format, each robot's signature where it has a secret. A failure is
 * retried, then logged, and never thrown: a notification never blocks the gate or a deploy. A
 * webhook's address holds its key, so it is never logged.
 */

export type ChannelKind = "wecom" | "dingtalk" | "feishu" | "email";

export interface Channel {
  readonly kind: ChannelKind;
  /** The robot's webhook, or for email the SMTP server (smtp:// or smtps://, with its login). */
  readonly url: string;
  /** DingTalk's and Feishu's signing secret (加签), when the robot has one. */
  readonly secret?: string;
  /** Email only: who receives it, and whom it is from. */
  readonly to?: readonly string[];
  readonly from?: string;
}

export const CHANNEL_NAMES: Readonly<Record<ChannelKind, Message>> = {
  wecom: msg("企业微信群机器人", "WeCom group robot"),
  dingtalk: msg("钉钉群机器人", "DingTalk group robot"),
  feishu: msg("飞书群机器人", "Feishu group robot"),
  email: msg("邮件", "email"),
};

/**
 * The channels the environment names. They are credentials (a webhook's address is its key), so they
 * live in the environment (the workflow's secrets), never in the register's config.
 */
export function channelsFromEnv(env: Readonly<Record<string, string | undefined>>): Channel[] {
  const out: Channel[] = [];
  const secret = (name: string) => (env[name] ? { secret: env[name] } : {});
  if (env.FILINGS_NOTIFY_WECOM_URL) out.push({ kind: "wecom", url: env.FILINGS_NOTIFY_WECOM_URL });
  if (env.FILINGS_NOTIFY_DINGTALK_URL) out.push({ kind: "dingtalk", url: env.FILINGS_NOTIFY_DINGTALK_URL, ...secret("FILINGS_NOTIFY_DINGTALK_SECRET") });
  if (env.FILINGS_NOTIFY_FEISHU_URL) out.push({ kind: "feishu", url: env.FILINGS_NOTIFY_FEISHU_URL, ...secret("FILINGS_NOTIFY_FEISHU_SECRET") });
  if (env.FILINGS_NOTIFY_SMTP_URL && env.FILINGS_NOTIFY_EMAIL_TO) {
    out.push({ kind: "email", url: env.FILINGS_NOTIFY_SMTP_URL, to: env.FILINGS_NOTIFY_EMAIL_TO.split(/[,;\s]+/).filter(Boolean), from: env.FILINGS_NOTIFY_EMAIL_FROM ?? "server-filings@localhost" });
  }
  return out;
}

/** WeCom takes at most 4096 bytes of Markdown: longer is cut at a character, and says so. */
function withinBytes(text: string, max: number): string {
  if (Buffer.byteLength(text, "utf8") <= max) return text;
  let out = "";
  for (const ch of text) {
    if (Buffer.byteLength(`${out}${ch}…`, "utf8") > max) break;
    out += ch;
  }
  return `${out}…`;
}

const hmac = (key: string, data: string) => crypto.createHmac("sha256", key).update(data).digest("base64");

/** The request a robot takes for `notice`: its address (DingTalk signs in the query) and its JSON body. */
export function robotRequest(channel: Channel, notice: Notice, now: Date): { url: string; body: unknown } {
  const zh = noticeText(notice, "zh");
  const en = noticeText(notice, "en");
  switch (channel.kind) {
    case "wecom":
      return { url: channel.url, body: { msgtype: "markdown", markdown: { content: withinBytes(`**${zh.title}**\n${zh.body}\n\n${en.title}`, 4096) } } };
    case "dingtalk": {
      // 加签: the millisecond timestamp and its HMAC-SHA256 under the secret, in the query.
      const ms = String(now.getTime());
      const url = channel.secret ? `${channel.url}${channel.url.includes("?") ? "&" : "?"}timestamp=${ms}&sign=${encodeURIComponent(hmac(channel.secret, `${ms}\n${channel.secret}`))}` : channel.url;
      return { url, body: { msgtype: "markdown", markdown: { title: zh.title, text: `#### ${zh.title}\n${zh.body}\n\n${en.title}` } } };
    }
    case "feishu": {
      // 签名校验: the second timestamp, and an HMAC-SHA256 of nothing keyed by "timestamp\nsecret", in the body.
      const s = String(Math.floor(now.getTime() / 1000));
      return { url: channel.url, body: { ...(channel.secret ? { timestamp: s, sign: hmac(`${s}\n${channel.secret}`, "") } : {}), msg_type: "text", content: { text: `${zh.title}\n${zh.body}\n\n${en.title}` } } };
    }
    case "email":
      throw new Error("unreachable: email is no robot");
  }
}

/** Whether a robot said it took the message: errcode 0 (WeCom, DingTalk), code 0 (Feishu). */
function robotTook(kind: ChannelKind, answer: unknown): boolean {
  if (typeof answer !== "object" || answer === null) return false;
  const a = answer as Record<string, unknown>;
  return kind === "feishu" ? a.code === 0 || a.StatusCode === 0 : a.errcode === 0;
}

/** A robot's address must be https, or on this machine (a test's recorder): a key never travels in clear. */
function acceptableUrl(channel: Channel): boolean {
  try {
    const u = new URL(channel.url);
    if (channel.kind === "email") return u.protocol === "smtps:" || u.protocol === "smtp:";
    return u.protocol === "https:" || (u.protocol === "http:" && isLoopbackAddress(u.hostname.replace(/^\[|\]$/g, "")));
  } catch {
    return false;
  }
}

export interface Delivery {
  readonly channel: ChannelKind;
  readonly ok: boolean;
  readonly attempts: number;
  /** Why it failed, without the channel's address. */
  readonly error?: string;
}

export interface SendOptions {
  readonly fetch?: typeof fetch;
  /** Where failures are said (the command's stderr). */
  readonly log: (line: string) => void;
  readonly now?: () => Date;
  /** Tries per channel; 3 unless said. */
  readonly tries?: number;
  /** Wait between tries (ms): 1 s, then 2 s; tests shorten it. */
  readonly backoffMs?: number;
  readonly lang?: "zh" | "en";
}

/** Sends `notice` on every channel, each on its own; never throws. */
export async function notify(channels: readonly Channel[], notice: Notice, options: SendOptions): Promise<Delivery[]> {
  return Promise.all(channels.map((c) => deliver(c, notice, options)));
}

async function deliver(channel: Channel, notice: Notice, options: SendOptions): Promise<Delivery> {
  const tries = options.tries ?? 3;
  const name = CHANNEL_NAMES[channel.kind][options.lang ?? "zh"];
  if (!acceptableUrl(channel)) {
    options.log(`通知未发送（${name}）：地址不是 https（或本机），为免泄露其中的密钥，不发送。 / Notification not sent (${CHANNEL_NAMES[channel.kind].en}): the address is not https (or this machine); its key is not sent in clear.`);
    return { channel: channel.kind, ok: false, attempts: 0, error: "not https" };
  }
  let error = "";
  for (let attempt = 1; attempt <= tries; attempt++) {
    try {
      if (channel.kind === "email") {
        await sendEmail(channel, notice);
        return { channel: channel.kind, ok: true, attempts: attempt };
      }
      const request = robotRequest(channel, notice, (options.now ?? (() => new Date()))());
      const res = await (options.fetch ?? fetch)(request.url, { method: "POST", headers: { "content-type": "application/json; charset=utf-8" }, body: JSON.stringify(request.body), signal: AbortSignal.timeout(10_000) });
      const answer: unknown = await res.json().catch(() => undefined);
      if (res.ok && robotTook(channel.kind, answer)) return { channel: channel.kind, ok: true, attempts: attempt };
      error = `HTTP ${res.status} ${JSON.stringify(answer ?? null).slice(0, 200)}`;
      // A robot's refusal (a wrong key, a keyword missing) will not change by trying again.
      if (res.ok || (res.status >= 400 && res.status < 500 && res.status !== 429)) break;
    } catch (e) {
      error = (e as Error).message.replaceAll(channel.url, "<webhook>");
    }
    if (attempt < tries) await new Promise((r) => setTimeout(r, (options.backoffMs ?? 1000) * attempt));
  }
  options.log(`通知发送失败（${name}）：${error}。不影响审批和部署。 / Notification failed (${CHANNEL_NAMES[channel.kind].en}): ${error}. Approvals and deploys go on.`);
  return { channel: channel.kind, ok: false, attempts: tries, error };
}

async function sendEmail(channel: Channel, notice: Notice): Promise<void> {
  const nodemailer = await import("nodemailer");
  const transport = nodemailer.createTransport(channel.url);
  const zh = noticeText(notice, "zh");
  const en = noticeText(notice, "en");
  try {
    await transport.sendMail({ from: channel.from, to: [...(channel.to ?? [])], subject: zh.title, text: `${zh.title}\n${zh.body}\n\n${en.title}\n${en.body}\n` });
  } finally {
    transport.close();
  }
}
