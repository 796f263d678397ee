import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { cancelledLine, holdInterrupts, interruptedExit, type SignalSource } from "../../scripts/cli/interrupt";
import type { CliIo } from "../../scripts/cli/io";

/** A process stand-in: signals are emitted by the test, and a kill is recorded instead of sent. */
function fakeProcess(): SignalSource & { emit(signal: NodeJS.Signals): void; kills: [number, NodeJS.Signals][]; count(): number } {
  const events = new EventEmitter();
  const kills: [number, NodeJS.Signals][] = [];
  return {
    pid: 4242,
    on: (event, listener) => events.on(event, listener),
    removeListener: (event, listener) => events.removeListener(event, listener),
    kill: (pid, signal) => kills.push([pid, signal]),
    emit: (signal) => events.emit(signal, signal),
    kills,
    count: () => events.listenerCount("SIGINT") + events.listenerCount("SIGTERM"),
  };
}

function io(): CliIo & { err: string[] } {
  const err: string[] = [];
  return { cwd: "/", now: () => new Date(), stdout: () => undefined, stderr: (t) => void err.push(t), isInteractive: false, env: {}, err };
}

describe("holdInterrupts (filing up / preview / drift)", () => {
  it("Ctrl+C is held and said, and not passed on: the Pulumi CLI in the same process group has it already", () => {
    const proc = fakeProcess();
    const out = io();
    const held = holdInterrupts(out, "zh", proc);
    proc.emit("SIGINT");
    expect(held.received()).toBe("SIGINT");
    expect(held.signal.aborted).toBe(false);
    expect(proc.kills).toEqual([]);
    expect(out.err.join("")).toContain("收到中断信号：Pulumi 正在取消。");
  });

  it("SIGTERM, sent to this process alone, is passed on: the Automation API then sends the CLI its SIGINT", () => {
    const proc = fakeProcess();
    const held = holdInterrupts(io(), "en", proc);
    proc.emit("SIGTERM");
    expect(held.received()).toBe("SIGTERM");
    expect(held.signal.aborted).toBe(true);
  });

  it("a second signal ends the process at once, as Node would have, with that signal", () => {
    const proc = fakeProcess();
    holdInterrupts(io(), "en", proc);
    proc.emit("SIGINT");
    proc.emit("SIGINT");
    expect(proc.kills).toEqual([[4242, "SIGINT"]]);
    expect(proc.count()).toBe(0);
  });

  it("released after the run: a later signal gets Node's handling", () => {
    const proc = fakeProcess();
    const held = holdInterrupts(io(), "en", proc);
    held.release();
    expect(proc.count()).toBe(0);
    expect(held.received()).toBeUndefined();
  });

  it("an interrupted run exits as shells report a signal, and says how to go on", () => {
    expect([interruptedExit("SIGINT"), interruptedExit("SIGTERM")]).toEqual([130, 143]);
    expect(cancelledLine("SIGTERM", "en")).toBe("Cancelled (SIGTERM). Running the same command again continues from the saved state.\n");
  });
});
