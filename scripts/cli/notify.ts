import type { Notice } from "../../lib/notify/notice";
import { channelsFromEnv, notify } from "../../lib/notify/send";
import type { CliIo } from "./io";

/**
 * Sends `notice` to the group robots and email the environment names (lib/notify/send.ts), saying
 * failures on stderr. Never throws and never changes the command's exit: a notification is news,
 * not part of the gate or the deploy.
 */
export async function notifyFromEnv(io: CliIo, notice: Notice | undefined): Promise<void> {
  const channels = channelsFromEnv(io.env);
  if (!notice || channels.length === 0) return;
  await notify(channels, notice, { log: (line) => io.stderr(`${line}\n`), now: io.now }).catch((e: unknown) => io.stderr(`通知未发送 / notification not sent: ${(e as Error).message}\n`));
}

/** The forge's web address of the repository, for links in notices (GitHub Actions says it). */
export function repositoryWebUrl(io: CliIo, repo: string): string {
  return `${(io.env.GITHUB_SERVER_URL ?? "https://github.com").replace(/\/+$/, "")}/${repo}`;
}
