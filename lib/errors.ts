import { msg, type Message } from "./messages";

/**
 * Errors that stop a command. Each carries a bilingual message that says what went wrong and
 * how to fix it; only the CLI entry turns them into output and exit codes.
 */
export class FilingToolError extends Error {
  constructor(
    readonly userMessage: Message,
    readonly exitCode: number,
  ) {
    super(userMessage.en);
    this.name = new.target.name;
  }
}

/** Bad command-line usage: unknown option, missing argument, path outside the root. Exit 2. */
export class UsageError extends FilingToolError {
  constructor(message: Message) {
    super(message, 2);
  }
}

/** The register root or its institution config cannot be used at all. Exit 2. */
export class ConfigurationError extends FilingToolError {
  constructor(message: Message) {
    super(message, 2);
  }
}

/** The user stopped the command (Ctrl-C at a prompt). Exit 130, as a shell reports an interrupt. */
export class CancelledError extends FilingToolError {
  constructor(message: Message) {
    super(message, 130);
  }
}

/**
 * A check that will not give a verdict on what it was given (a pull request into another branch, one
 * that changed while it was judged, a deploy older than the last): nothing is reported as success. Exit 2.
 */
export class RefusedError extends FilingToolError {
  constructor(message: Message) {
    super(message, 2);
  }
}

/** A remote service (GitHub) failed or refused; nothing is reported as success. Exit 2. */
export class RemoteServiceError extends FilingToolError {
  constructor(
    message: Message,
    readonly status: number | undefined,
  ) {
    super(message, 2);
  }
}

/** A GitHub API failure, said plainly; never turned into a success. */
export class GitHubApiError extends RemoteServiceError {
  constructor(status: number | undefined, zh: string, en: string) {
    super(msg(zh, en), status);
  }
}
