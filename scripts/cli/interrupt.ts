import { msg, text, type Lang } from "../../lib/messages";
import type { CliIo } from "./io";

/** The part of `process` this module uses, so that a test can stand in for it. */
export interface SignalSource {
  readonly pid: number;
  on(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  removeListener(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  kill(pid: number, signal: NodeJS.Signals): unknown;
}

export interface HeldInterrupts {
  /** Aborted on SIGTERM: the Automation API then sends the Pulumi CLI one SIGINT. */
  readonly signal: AbortSignal;
  /** The first signal received, if any. */
  received(): NodeJS.Signals | undefined;
  /** Node's own handling again. */
  release(): void;
}

const HELD: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM"];

/**
 * Holds Ctrl+C and SIGTERM while the engine runs (`filing preview`, `up`, `drift`).
 *
 * The Pulumi CLI cancels gracefully on its first SIGINT: the operations already started finish, the
 * state is saved and the lock released. While it does, it still needs this process, which serves
 * the program (an Automation API inline program). Under Node's default handling this process died at
 * once instead, and the stack was left locked with pending operations: the next `filing up` was
 * refused until an operator followed docs/operations.md's recovery.
 *
 * - SIGINT is not passed on: from a terminal, Ctrl+C reaches the whole process group, the CLI
 *   included, and a second SIGINT would make the CLI stop at once.
 * - SIGTERM is sent to one process, so it is passed on to the CLI as its SIGINT.
 * - A second signal of either kind ends this process at once, as Node would have.
 */
export function holdInterrupts(io: CliIo, lang: Lang, source: SignalSource = process): HeldInterrupts {
  const controller = new AbortController();
  let first: NodeJS.Signals | undefined;
  const release = () => HELD.forEach((s) => source.removeListener(s, onSignal));
  function onSignal(signal: NodeJS.Signals): void {
    if (first !== undefined) {
      release();
      source.kill(source.pid, signal);
      return;
    }
    first = signal;
    io.stderr(`\n${text(msg(
      "收到中断信号：Pulumi 正在取消。已开始的操作会做完，状态会保存，锁会释放，请等待它结束。再中断一次会立即退出，可能留下未完成的操作（恢复方法见 docs/operations.md）。",
      "Interrupted: Pulumi is cancelling. The operations already started will finish, the state is saved and the lock released; wait for it to end. Interrupting again exits at once and may leave operations pending (docs/operations.md says how to recover).",
    ), lang)}\n`);
    if (signal === "SIGTERM") controller.abort();
  }
  HELD.forEach((s) => source.on(s, onSignal));
  return { signal: controller.signal, received: () => first, release };
}

/** Where a rejection nobody handled is reported: `process`, or a test's stand-in. */
export interface RejectionSource {
  on(event: "unhandledRejection", listener: (reason: unknown) => void): unknown;
  removeListener(event: "unhandledRejection", listener: (reason: unknown) => void): unknown;
}

/**
 * After an interrupt, the CLI cancels and drops its connection to the program this process serves;
 * a call the Pulumi SDK had in flight (registering the stack itself, when Ctrl+C comes that early)
 * then rejects with gRPC's UNAVAILABLE or CANCELLED, and nobody handles it: Node would end the process
 * with exit 1 before the run can say it was cancelled (130). Such a rejection, after an interrupt
 * only, is expected and dropped; any other is thrown as Node would. Returns the release.
 */
export function tolerateCancelledProgram(held: Pick<HeldInterrupts, "received">, source: RejectionSource = process): () => void {
  const onRejection = (reason: unknown): void => {
    const code = (reason as { code?: unknown } | null)?.code;
    if (held.received() !== undefined && (code === 14 || code === 1)) return;
    throw reason;
  };
  source.on("unhandledRejection", onRejection);
  return () => source.removeListener("unhandledRejection", onRejection);
}

/** The exit code of a run that ended because it was interrupted: 128 + the signal's number, as shells report it. */
export function interruptedExit(signal: NodeJS.Signals): number {
  return signal === "SIGINT" ? 130 : 143;
}

/** The last line of an interrupted run. */
export function cancelledLine(signal: NodeJS.Signals, lang: Lang): string {
  return `${text(msg(
    `已取消（${signal}）。再次运行同一命令会从已保存的状态继续。`,
    `Cancelled (${signal}). Running the same command again continues from the saved state.`,
  ), lang)}\n`;
}
