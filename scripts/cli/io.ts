/** What a command touches outside the process, passed in so tests can run commands in-process. */
export interface CliIo {
  readonly cwd: string;
  readonly now: () => Date;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly isInteractive: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** A terminal to show progress on (stderr when it is one); absent where nobody watches. */
  readonly progressStream?: NodeJS.WriteStream;
}

export function processIo(): CliIo {
  return {
    cwd: process.cwd(),
    now: () => new Date(),
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isInteractive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    env: process.env,
    progressStream: process.stderr.isTTY ? process.stderr : undefined,
  };
}
