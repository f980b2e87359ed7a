import { spawn, ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";

export const repoRoot = path.resolve(__dirname, "../../..");
export const distDir = path.join(repoRoot, "dist");

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** A real HTTP server (Python's http.server) serving one directory on 127.0.0.1. */
export class StaticServer {
  private process?: ChildProcess;

  private constructor(public readonly port: number, private dir: string) {}

  static async start(dir = distDir, port?: number): Promise<StaticServer> {
    const server = new StaticServer(port ?? (await freePort()), dir);
    await server.spawn();
    return server;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  private async spawn(): Promise<void> {
    this.process = spawn("python3", ["-m", "http.server", String(this.port), "--bind", "127.0.0.1", "--directory", this.dir], {
      stdio: "ignore",
    });
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      try {
        const response = await fetch(this.url, { cache: "no-store" });
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`static server on ${this.url} did not start`);
  }

  /** Stops serving: the app must now come from the service worker. */
  async stop(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  }

  /** Serves another directory on the same port (the same origin), as a redeploy would. */
  async serve(dir: string): Promise<void> {
    await this.stop();
    this.dir = dir;
    await this.spawn();
  }
}
