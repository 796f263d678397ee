import { stripVTControlCharacters } from "node:util";
import path from "node:path";
import * as pty from "@lydell/node-pty";
import { REPO } from "./register";

/**
 * The `filing` command on a real pseudo-terminal, driven as a person would: wait until a text
 * appears on the screen, then type. What the user saw is kept, without colours and cursor codes.
 */
export class Terminal {
  private readonly proc: pty.IPty;
  private seen = "";
  private read = 0;
  readonly exited: Promise<number>;

  constructor(args: string[], cwd: string, env: Record<string, string> = {}) {
    this.proc = pty.spawn(process.execPath, [path.join(REPO, "scripts/filing.js"), ...args], {
      cwd,
      cols: 160,
      rows: 50,
      env: { ...withoutCi(process.env), TERM: "xterm-256color", FORCE_COLOR: "0", ...env },
    });
    this.proc.onData((d) => {
      this.seen += d;
    });
    this.exited = new Promise((resolve) => this.proc.onExit(({ exitCode }) => resolve(exitCode)));
  }

  /** Everything shown so far, as text. */
  get screen(): string {
    return stripVTControlCharacters(this.seen);
  }

  /** Waits until `needle` appears after what earlier waits consumed, then consumes up to it. */
  async waitFor(needle: string | RegExp, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = this.screen;
      const rest = text.slice(this.read);
      const at = typeof needle === "string" ? rest.indexOf(needle) : rest.search(needle);
      if (at >= 0) {
        const matched = typeof needle === "string" ? needle : rest.match(needle)![0];
        this.read += at + matched.length;
        return rest.slice(0, at + matched.length);
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(needle)}; the screen ends with:\n${text.slice(-1500)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Types `text` and presses Enter. */
  answer(text: string): void {
    this.proc.write(`${text}\r`);
  }

  /** Presses keys as they are: "\x1b[B" is the down arrow, "\x03" Ctrl-C. */
  press(keys: string): void {
    this.proc.write(keys);
  }

  kill(): void {
    try {
      this.proc.kill();
    } catch {
      // Already gone.
    }
  }
}

export const DOWN = "\x1b[B";
export const CTRL_C = "\x03";

/** A person's terminal has no CI variable (CI runs these tests with CI=true); a test may set it again. */
function withoutCi(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && k !== "CI") out[k] = v;
  return out;
}
