import { text, type Lang, type Message } from "../../lib/messages";
import type { CliIo } from "./io";

/** Says what a slow command is doing. Calls are free when nobody watches. */
export interface Progress {
  step(message: Message): void;
  done(): void;
}

const SILENT: Progress = { step: () => undefined, done: () => undefined };

/**
 * A spinner with the current step on stderr, for commands that can take more than two seconds.
 * Silent unless stderr is a terminal, in CI, and when the output is JSON for a program to read.
 */
export async function progress(io: CliIo, lang: Lang, options: { json?: boolean } = {}): Promise<Progress> {
  const stream = io.progressStream;
  if (!stream || options.json || io.env.CI) return SILENT;
  const { default: yoctoSpinner } = await import("yocto-spinner");
  const spinner = yoctoSpinner({ stream });
  let started = false;
  return {
    step(message) {
      spinner.text = text(message, lang);
      if (!started) spinner.start();
      started = true;
    },
    done() {
      if (started) spinner.stop();
      started = false;
    },
  };
}
