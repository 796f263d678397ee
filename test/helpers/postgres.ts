/**
 * A PostgreSQL server of the test's own, from Debian's packages (`.ci/run` installs them): a
 * temporary data directory, 127.0.0.1 and a free port only, trust authentication for local
 * connections, removed afterwards. PostgreSQL refuses to run as root, so as root it runs as the
 * `postgres` account the package creates.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export interface Postgres {
  /** A database URL for Pulumi's DIY backend: `postgres://postgres@127.0.0.1:<port>/<db>?sslmode=disable`. */
  url(database: string): string;
  createDatabase(name: string): void;
  /** One value from a query, as psql prints it unaligned. */
  query(database: string, sql: string): string;
  stop(): void;
}

/** The directory with initdb, pg_ctl and psql, or undefined with the reason. */
export function postgresBin(): { bin?: string; missing?: string } {
  const onPath = spawnSync("sh", ["-c", "command -v pg_ctl"], { encoding: "utf8" });
  if (onPath.status === 0) return { bin: path.dirname(fs.realpathSync(onPath.stdout.trim())) };
  const root = "/usr/lib/postgresql";
  const versions = fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (fs.existsSync(path.join(root, v, "bin/pg_ctl"))) return { bin: path.join(root, v, "bin") };
  return { missing: "PostgreSQL is not installed (Debian: apt-get install postgresql; .ci/run does it)" };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

export async function startPostgres(bin: string): Promise<Postgres> {
  const asRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "filings-pg-"));
  fs.chmodSync(dir, 0o755);
  const data = path.join(dir, "data");
  const socket = path.join(dir, "socket");
  fs.mkdirSync(socket);
  if (asRoot) spawnSync("chown", ["-R", "postgres:postgres", dir]);
  const run = (cmd: string, args: string[]) => {
    const r = asRoot
      ? spawnSync("runuser", ["-u", "postgres", "--", path.join(bin, cmd), ...args], { encoding: "utf8", cwd: dir })
      : spawnSync(path.join(bin, cmd), args, { encoding: "utf8", cwd: dir });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr || r.stdout}`);
    return r.stdout;
  };
  const port = await freePort();
  run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"]);
  const options = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${socket} -c fsync=off`;
  run("pg_ctl", ["-D", data, "-o", options, "-l", path.join(dir, "server.log"), "-w", "start"]);
  return {
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}?sslmode=disable`,
    createDatabase: (name) => {
      run("psql", ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-c", `CREATE DATABASE "${name}"`]);
    },
    query: (database, sql) => run("psql", ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", database, "-At", "-c", sql]).trim(),
    stop: () => {
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "stop"]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
