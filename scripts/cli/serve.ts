import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Command, Option } from "commander";
import { UsageError } from "../../lib/errors";
import { localForge } from "../../lib/forge/local";
import { msg, text } from "../../lib/messages";
import type { CliIo } from "./io";
import { asLang, langOption, openRegisterRoot, rootOption, todayOption } from "./options";

interface ServeOptions {
  root: string;
  host: string;
  port: string;
  publicUrl?: string;
  forge: "local" | "github";
  lang: string;
  today?: string;
}

/**
 * The session key: DESK_SESSION_KEY (64 hex digits, the same on every instance behind a load
 * balancer), else a key kept in the checkout's .desk/ (created once, readable by its owner only),
 * so that a restart keeps everyone signed in.
 */
function sessionKey(root: string, env: Readonly<Record<string, string | undefined>>): Buffer {
  const given = env.DESK_SESSION_KEY;
  if (given !== undefined) {
    if (!/^[0-9a-f]{64}$/i.test(given)) throw new UsageError(msg("DESK_SESSION_KEY 应为 64 位十六进制数字（32 字节）。可用 openssl rand -hex 32 生成。", "DESK_SESSION_KEY must be 64 hex digits (32 bytes), e.g. from openssl rand -hex 32."));
    return Buffer.from(given, "hex");
  }
  const file = path.join(root, ".desk", "session.key");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, crypto.randomBytes(32).toString("hex"), { mode: 0o600, flag: "wx" });
  }
  return Buffer.from(fs.readFileSync(file, "utf8").trim(), "hex");
}

/** `filing serve`: the department desk (web/server.ts) on this checkout. */
export function serveCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command("serve")
    .description("run the department desk, a web application for departments and leaders / 启动部门服务台（网页）")
    .addOption(rootOption())
    .addOption(new Option("--host <host>", "address to listen on").default("127.0.0.1"))
    .addOption(new Option("--port <port>", "port to listen on").default("8080"))
    .addOption(new Option("--public-url <url>", "the address people open, for the sign-in redirect (default http://HOST:PORT)"))
    .addOption(new Option("--forge <forge>", "where sign-in and pull requests go").choices(["local", "github"]).default("local"))
    .addOption(langOption())
    .addOption(todayOption())
    .action(async (options: ServeOptions) => {
      const lang = asLang(options.lang);
      const register = openRegisterRoot(io, options);
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(msg(`--port 的值 "${options.port}" 不是端口号。`, `--port "${options.port}" is not a port.`));
      if (options.forge === "github") {
        throw new UsageError(msg("GitHub 登录尚未接入部门服务台；请先用 --forge local 试用（见 docs/operations.md）。", "GitHub sign-in is not wired into the desk yet; try it with --forge local (docs/operations.md)."));
      }
      const { buildDesk } = await import("../../web/server.js");
      const app = await buildDesk({
        root: register.root,
        forge: localForge(register.root),
        sessionKey: sessionKey(register.root, io.env),
        // Relative redirects in local mode: the browser stays on whatever address it used.
        publicUrl: options.publicUrl?.replace(/\/+$/, "") ?? "",
        ...(options.today ? { today: register.today } : {}),
      });
      const address = await app.listen({ host: options.host, port });
      const url = options.publicUrl ?? address.replace("[::1]", "localhost");
      io.stderr(`${text(msg(`部门服务台已启动：${url}（本地试用模式，按 Ctrl-C 停止）`, `The department desk is running at ${url} (local trial mode; Ctrl-C stops it)`), lang)}\n`);
      setExit(0);
    });
}
