import { UsageError } from "../../lib/errors";
import { msg } from "../../lib/messages";

/** `--repo OWNER/NAME` → its parts, or a usage error saying the expected form. */
export function parseRepo(value: string): { owner: string; repo: string } {
  const m = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(value);
  if (!m) throw new UsageError(msg(`--repo 应写作 所有者/仓库名，收到 "${value}"。`, `--repo must be OWNER/NAME, got "${value}".`));
  return { owner: m[1]!, repo: m[2]! };
}
