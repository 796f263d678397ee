/**
 * Notifications (lib/notify) against a local HTTP server on 127.0.0.1 that records each call, and a
 * local SMTP server for email: each platform's message format and signature as its documentation
 * gives it, a failure retried then logged, a refusal not retried, nothing thrown, and no key logged.
 */
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SMTPServer } from "smtp-server";
import { channelsFromEnv, notify, robotRequest, type Channel } from "../../lib/notify/send";
import type { Notice } from "../../lib/notify/notice";

const NOTICE: Notice = {
  title: { zh: "#7 【新申请】教务处 jwc-timetable：等待签字", en: "#7 new filing jwc-timetable: waiting for signatures" },
  lines: [{ zh: "jwc-timetable（新申请）：请使用部门负责人批准", en: "jwc-timetable (new filing): needs the department head" }],
  link: "https://github.com/campus/filings/pull/7",
};
const NOW = new Date("2026-12-07T23:40:00Z");

interface Call { readonly path: string; readonly query: URLSearchParams; readonly body: Record<string, unknown> }
let calls: Call[] = [];
/** Answers per path, in turn; the last one repeats. */
let script: Record<string, { status: number; body: unknown }[]> = {};
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let data = "";
    req.on("data", (c: Buffer) => (data += c.toString()));
    req.on("end", () => {
      const url = new URL(req.url!, "http://127.0.0.1");
      calls.push({ path: url.pathname, query: url.searchParams, body: JSON.parse(data) as Record<string, unknown> });
      const answers = script[url.pathname] ?? [{ status: 200, body: { errcode: 0, errmsg: "ok" } }];
      const answer = answers.length > 1 ? answers.shift()! : answers[0]!;
      res.writeHead(answer.status, { "content-type": "application/json" }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function send(channels: Channel[]) {
  calls = [];
  const log: string[] = [];
  const deliveries = await notify(channels, NOTICE, { log: (l) => log.push(l), now: () => NOW, backoffMs: 1 });
  return { deliveries, log };
}

describe("each platform's message", () => {
  it("WeCom: a Markdown message with the title in bold, the lines and the link", async () => {
    const { deliveries } = await send([{ kind: "wecom", url: `${base}/cgi-bin/webhook/send?key=k1` }]);
    expect(deliveries).toEqual([{ channel: "wecom", ok: true, attempts: 1 }]);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.query.get("key")).toBe("k1");
    expect(calls[0]!.body).toEqual({ msgtype: "markdown", markdown: { content: "**#7 【新申请】教务处 jwc-timetable：等待签字**\n- jwc-timetable（新申请）：请使用部门负责人批准\nhttps://github.com/campus/filings/pull/7\n\n#7 new filing jwc-timetable: waiting for signatures" } });
  });

  it("DingTalk with a secret: the millisecond timestamp and its HMAC-SHA256 signature in the query", async () => {
    await send([{ kind: "dingtalk", url: `${base}/robot/send?access_token=t1`, secret: "SEC123" }]);
    const q = calls[0]!.query;
    expect(q.get("access_token")).toBe("t1");
    expect(q.get("timestamp")).toBe(String(NOW.getTime()));
    const expected = crypto.createHmac("sha256", "SEC123").update(`${NOW.getTime()}\nSEC123`).digest("base64");
    expect(q.get("sign")).toBe(expected);
    expect(calls[0]!.body).toEqual({ msgtype: "markdown", markdown: { title: NOTICE.title.zh, text: expect.stringContaining("#### #7 【新申请】教务处 jwc-timetable：等待签字\n- jwc-timetable") } });
  });

  it("Feishu with a secret: the second timestamp and the signature of nothing keyed by timestamp and secret, in the body", async () => {
    script["/open-apis/bot/v2/hook/h1"] = [{ status: 200, body: { code: 0, msg: "success", data: {} } }];
    const { deliveries } = await send([{ kind: "feishu", url: `${base}/open-apis/bot/v2/hook/h1`, secret: "fs" }]);
    expect(deliveries[0]!.ok).toBe(true);
    const s = String(Math.floor(NOW.getTime() / 1000));
    expect(calls[0]!.body).toEqual({ timestamp: s, sign: crypto.createHmac("sha256", `${s}\nfs`).update("").digest("base64"), msg_type: "text", content: { text: expect.stringContaining("#7 【新申请】教务处 jwc-timetable：等待签字\n- ") } });
  });

  it("WeCom's Markdown is cut at its 4096 bytes", () => {
    const long: Notice = { ...NOTICE, lines: Array.from({ length: 400 }, () => ({ zh: "很长的一行说明文字", en: "x" })) };
    const content = (robotRequest({ kind: "wecom", url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k" }, long, NOW).body as { markdown: { content: string } }).markdown.content;
    expect(Buffer.byteLength(content, "utf8")).toBeLessThanOrEqual(4096);
    expect(content.endsWith("…")).toBe(true);
  });
});

describe("failures", () => {
  it("a server error is retried, and the second try succeeds", async () => {
    script["/retry"] = [{ status: 502, body: {} }, { status: 200, body: { errcode: 0, errmsg: "ok" } }];
    const { deliveries, log } = await send([{ kind: "wecom", url: `${base}/retry?key=k2` }]);
    expect(deliveries).toEqual([{ channel: "wecom", ok: true, attempts: 2 }]);
    expect(calls).toHaveLength(2);
    expect(log).toEqual([]);
  });

  it("a robot's refusal (a wrong key) is not retried; it is logged without the key, and nothing is thrown", async () => {
    script["/refuse"] = [{ status: 200, body: { errcode: 93000, errmsg: "invalid webhook url" } }];
    const { deliveries, log } = await send([{ kind: "wecom", url: `${base}/refuse?key=secret-key-abc` }, { kind: "dingtalk", url: `${base}/robot/send?access_token=ok` }]);
    expect(deliveries.map((d) => [d.channel, d.ok])).toEqual([["wecom", false], ["dingtalk", true]]);
    expect(calls.filter((c) => c.path === "/refuse")).toHaveLength(1);
    expect(log).toHaveLength(1);
    expect(log[0]).toContain("通知发送失败（企业微信群机器人）");
    expect(log[0]).toContain("93000");
    expect(log.join("\n")).not.toContain("secret-key-abc");
  });

  it("an address nobody answers is tried three times, then logged", async () => {
    const { deliveries, log } = await send([{ kind: "feishu", url: "http://127.0.0.1:9/open-apis/bot/v2/hook/none" }]);
    expect(deliveries[0]).toEqual(expect.objectContaining({ channel: "feishu", ok: false, attempts: 3 }));
    expect(log[0]).toContain("不影响审批和部署");
  });

  it("a key is never sent in clear: a robot's address must be https (or this machine)", async () => {
    const { deliveries, log } = await send([{ kind: "wecom", url: "http://qyapi.example.edu.cn/cgi-bin/webhook/send?key=k" }]);
    expect(deliveries[0]).toEqual(expect.objectContaining({ ok: false, attempts: 0 }));
    expect(log[0]).toContain("地址不是 https");
  });
});

describe("email", () => {
  it("goes to the SMTP server with the title as subject and both languages in the text", async () => {
    const received: { from: string; to: string[]; data: string }[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      onData(stream, session, done) {
        let data = "";
        stream.on("data", (c: Buffer) => (data += c.toString()));
        stream.on("end", () => {
          received.push({ from: (session.envelope.mailFrom as { address: string }).address, to: session.envelope.rcptTo.map((r) => r.address), data });
          done();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, "127.0.0.1", r));
    try {
      const port = (smtp.server.address() as AddressInfo).port;
      const channels = channelsFromEnv({ FILINGS_NOTIFY_SMTP_URL: `smtp://127.0.0.1:${port}?ignoreTLS=true`, FILINGS_NOTIFY_EMAIL_TO: "head@example.edu.cn, info@example.edu.cn", FILINGS_NOTIFY_EMAIL_FROM: "filings@example.edu.cn" });
      const { deliveries } = await send(channels);
      expect(deliveries).toEqual([{ channel: "email", ok: true, attempts: 1 }]);
      expect(received).toHaveLength(1);
      expect(received[0]!.from).toBe("filings@example.edu.cn");
      expect(received[0]!.to).toEqual(["head@example.edu.cn", "info@example.edu.cn"]);
      expect(received[0]!.data).toContain("Subject: =?UTF-8?");
    } finally {
      await new Promise<void>((r) => smtp.close(() => r()));
    }
  });
});

describe("the channels the environment names", () => {
  it("each robot with its secret, email only with its receivers, and none when nothing is set", () => {
    expect(channelsFromEnv({})).toEqual([]);
    expect(channelsFromEnv({ FILINGS_NOTIFY_WECOM_URL: "https://w", FILINGS_NOTIFY_DINGTALK_URL: "https://d", FILINGS_NOTIFY_DINGTALK_SECRET: "s", FILINGS_NOTIFY_FEISHU_URL: "https://f", FILINGS_NOTIFY_SMTP_URL: "smtps://m" })).toEqual([
      { kind: "wecom", url: "https://w" },
      { kind: "dingtalk", url: "https://d", secret: "s" },
      { kind: "feishu", url: "https://f" },
    ]);
  });
});
