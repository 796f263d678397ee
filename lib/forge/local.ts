import fs from "node:fs";
import path from "node:path";
import { UsageError } from "../errors";
import { msg } from "../messages";
import { blobSha, StaleFileError, type DeskForge, type ForgeSession, type OpenedPull, type PullProposal, type PullSummary } from "./desk";

/**
 * The desk's built-in forge for trying it on a fresh clone: no sign-in service and no server. A
 * person signs in by choosing who they are; a team's member is the login named after the team
 * (`jwc-staff` for `@campus/jwc-staff`); a pull request is a JSON file under `.desk/pulls/` in the
 * checkout, holding its branch name, body and files. Nothing is pushed anywhere.
 */

const LOGIN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,38}$/;
const TOKEN_PREFIX = "local:";

interface StoredPull extends PullSummary {
  readonly body: string;
  readonly files: readonly { readonly path: string; readonly content: string }[];
}

export function localForge(root: string): DeskForge {
  const dir = path.join(root, ".desk", "pulls");
  const all = (): StoredPull[] => {
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir).filter((f) => /^\d+\.json$/.test(f)).map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as StoredPull);
  };
  const session = (login: string): ForgeSession => ({
    account: async () => ({ login }),
    isTeamMember: async (team, who) => who === login && team.split("/").pop() === login,
    async openPull(p: PullProposal): Promise<OpenedPull> {
      const pulls = all();
      if (pulls.some((x) => x.branch === p.branch && x.state === "open")) {
        throw new UsageError(msg(`分支 ${p.branch} 已有一个未合并的申请。`, `Branch ${p.branch} already has an open pull request.`));
      }
      // The checkout stands for the default branch: a file changed (or made) since the form was filled is not overwritten.
      for (const f of p.files) {
        const at = path.join(root, f.path);
        const now = fs.existsSync(at) ? blobSha(fs.readFileSync(at, "utf8")) : undefined;
        if (now !== f.basedOn) throw new StaleFileError(f.path);
      }
      const number = Math.max(0, ...pulls.map((x) => x.number)) + 1;
      const stored: StoredPull = { number, title: p.title, url: `/local/pulls/${number}`, author: login, state: "open", branch: p.branch, createdAt: new Date().toISOString(), body: p.body, files: p.files };
      fs.mkdirSync(dir, { recursive: true });
      // Written whole, then renamed: a crash never leaves half a pull request.
      const file = path.join(dir, `${number}.json`);
      fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(stored, null, 2)}\n`, { flag: "wx" });
      fs.renameSync(`${file}.tmp`, file);
      return { number, url: stored.url, branch: p.branch };
    },
    pullsBy: async (who) => all().filter((x) => x.author === who).sort((a, b) => b.number - a.number).map(({ body: _b, files: _f, ...summary }) => summary),
    openPulls: async () => all().filter((x) => x.state === "open").sort((a, b) => b.number - a.number).map(({ body: _b, files: _f, ...summary }) => summary),
  });
  return {
    kind: "local",
    signInUrl: (state, redirectUri) => `/local/sign-in?${new URLSearchParams({ state, redirect_uri: redirectUri })}`,
    async tokenFor(code) {
      if (!LOGIN.test(code)) throw new UsageError(msg("登录信息无效。", "Invalid sign-in."));
      return `${TOKEN_PREFIX}${code}`;
    },
    session(token) {
      const login = token.startsWith(TOKEN_PREFIX) ? token.slice(TOKEN_PREFIX.length) : "";
      if (!LOGIN.test(login)) throw new UsageError(msg("登录信息无效。", "Invalid sign-in."));
      return session(login);
    },
  };
}

/** A local pull request with its files, for the desk's page that shows it. */
export function localPull(root: string, number: number): StoredPull | undefined {
  const file = path.join(root, ".desk", "pulls", `${number}.json`);
  return Number.isInteger(number) && fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as StoredPull) : undefined;
}
