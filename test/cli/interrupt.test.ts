import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { cancelledLine, holdInterrupts, interruptedExit, tolerateCancelledProgram, type SignalSource } from "../../scripts/cli/interrupt";
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

describe("tolerateCancelledProgram (the program's connection dropped by a cancel)", () => {
  const grpc = (code: number) => Object.assign(new Error(`${code} UNAVAILABLE: Connection dropped`), { code });
  function rejections() {
    const events = new EventEmitter();
    return { on: (e: "unhandledRejection", l: (r: unknown) => void) => events.on(e, l), removeListener: (e: "unhandledRejection", l: (r: unknown) => void) => events.removeListener(e, l), fire: (r: unknown) => events.listeners("unhandledRejection").forEach((l) => (l as (r: unknown) => void)(r)), count: () => events.listenerCount("unhandledRejection") };
  }

  it("after an interrupt, drops gRPC's UNAVAILABLE and CANCELLED, so the run ends as cancelled (130), not crashed (1)", () => {
    const source = rejections();
    let got: NodeJS.Signals | undefined = "SIGINT";
    const release = tolerateCancelledProgram({ received: () => got }, source);
    expect(() => source.fire(grpc(14))).not.toThrow();
    expect(() => source.fire(grpc(1))).not.toThrow();
    // Anything else is thrown, as Node would.
    expect(() => source.fire(new Error("boom"))).toThrow("boom");
    // Without an interrupt, even a dropped connection is a failure.
    got = undefined;
    expect(() => source.fire(grpc(14))).toThrow("Connection dropped");
    release();
    expect(source.count()).toBe(0);
  });
});
