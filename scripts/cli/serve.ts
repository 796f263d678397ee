import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Command, Option } from "commander";
import { UsageError } from "../../lib/errors";
import { githubForge } from "../../lib/forge/github";
import { localForge } from "../../lib/forge/local";
import { isLoopbackAddress } from "../../lib/net/ip";
import { msg, text } from "../../lib/messages";
import type { CliIo } from "./io";
import { asLang, langOption, openRegisterRoot, rootOption, todayOption } from "./options";

interface ServeOptions {
  root: string;
  host: string;
  port: string;
  publicUrl?: string;
  forge: "local" | "github";
  repo?: string;
  trustProxy: string;
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

/**
 * The GitHub forge from the environment: the school's GitHub App's OAuth client (DESK_GITHUB_CLIENT_ID,
 * DESK_GITHUB_CLIENT_SECRET), the repository, GITHUB_SERVER_URL / GITHUB_API_URL for Enterprise
 * Server. The sign-in comes back to --public-url, which must be the address people open.
 */
function githubFromEnv(env: Readonly<Record<string, string | undefined>>, options: ServeOptions) {
  const clientId = env.DESK_GITHUB_CLIENT_ID;
  const clientSecret = env.DESK_GITHUB_CLIENT_SECRET;
  const repository = options.repo ?? env.GITHUB_REPOSITORY;
  const missing = [!clientId && "DESK_GITHUB_CLIENT_ID", !clientSecret && "DESK_GITHUB_CLIENT_SECRET", !repository && "--repo（或 GITHUB_REPOSITORY）", !options.publicUrl && "--public-url"].filter(Boolean);
  if (missing.length > 0 || !/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repository ?? "")) {
    throw new UsageError(msg(`--forge github 还需要：${missing.join("、") || "形如 owner/name 的 --repo"}（见 docs/operations.md“部门服务台”）。`, `--forge github also needs: ${missing.join(", ") || "--repo as owner/name"} (docs/operations.md, "The department desk").`));
  }
  return githubForge({ webUrl: env.GITHUB_SERVER_URL ?? "https://github.com", apiUrl: env.GITHUB_API_URL ?? "https://api.github.com", clientId: clientId!, clientSecret: clientSecret!, repository: repository! });
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
    .addOption(new Option("--repo <owner/name>", "the register's repository on GitHub (default: GITHUB_REPOSITORY)"))
    .addOption(new Option("--trust-proxy <hops>", "how many reverse proxies stand in front (their X-Forwarded-For is believed that far)").default("0"))
    .addOption(langOption())
    .addOption(todayOption())
    .action(async (options: ServeOptions) => {
      const lang = asLang(options.lang);
      const register = openRegisterRoot(io, options);
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(msg(`--port 的值 "${options.port}" 不是端口号。`, `--port "${options.port}" is not a port.`));
      const hops = Number(options.trustProxy);
      if (!Number.isInteger(hops) || hops < 0 || hops > 5) throw new UsageError(msg(`--trust-proxy 的值 "${options.trustProxy}" 应为 0 到 5 的整数（前面有几层反向代理）。`, `--trust-proxy "${options.trustProxy}" must be a whole number 0-5 (the reverse proxies in front).`));
      // Local trial mode lets anyone be anyone: only this machine may reach it.
      if (options.forge === "local" && !isLoopbackAddress(options.host)) {
        throw new UsageError(msg(`本地试用模式没有真实登录，任何人都可以冒充任何部门，只能在本机地址上运行（--host 127.0.0.1）。供全校使用请用 --forge github（见 docs/operations.md“The department desk”）。`, `Local trial mode has no real sign-in (anyone can be anyone), so it listens on this machine only (--host 127.0.0.1). For the school, use --forge github (docs/operations.md, "The department desk").`));
      }
      // Behind the school's TLS proxy with no hop trusted, every person arrives from the proxy's
      // address and shares its limit: said at start, not found out on a busy morning.
      if (options.publicUrl?.startsWith("https:") && hops === 0) {
        io.stderr(`${text(msg("注意：--public-url 是 https 地址，服务台通常在反向代理之后；请加 --trust-proxy 1，否则所有人都以代理的地址计数，未登录的请求共用一个限额（见 docs/operations.md“部门服务台”）。", "Note: --public-url is https, so the desk likely stands behind a reverse proxy; add --trust-proxy 1, or everyone counts as the proxy's address and anonymous requests share one limit (docs/operations.md, \"The department desk\")."), lang)}\n`);
      }
      const forge = options.forge === "github" ? githubFromEnv(io.env, options) : localForge(register.root);
      const { buildDesk } = await import("../../web/server.js");
      const app = await buildDesk({
        root: register.root,
        forge,
        sessionKey: sessionKey(register.root, io.env),
        trustedProxies: hops,
        logger: true,
        // Relative redirects in local mode: the browser stays on whatever address it used.
        publicUrl: options.publicUrl?.replace(/\/+$/, "") ?? "",
        ...(options.today ? { today: register.today } : {}),
      });
      const address = await app.listen({ host: options.host, port });
      const url = options.publicUrl ?? address.replace("[::1]", "localhost");
      const mode = forge.kind === "local" ? msg("本地试用模式", "local trial mode") : msg(`GitHub 登录，仓库 ${options.repo ?? io.env.GITHUB_REPOSITORY}`, `GitHub sign-in, repository ${options.repo ?? io.env.GITHUB_REPOSITORY}`);
      io.stderr(`${text(msg(`部门服务台已启动：${url}（${mode.zh}，按 Ctrl-C 停止）`, `The department desk is running at ${url} (${mode.en}; Ctrl-C stops it)`), lang)}\n`);
      setExit(0);
    });
}
