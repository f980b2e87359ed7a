import { execFileSync, spawn, ChildProcess } from "node:child_process";
import fs from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import type { Page } from "@playwright/test";

export const repoRoot = path.resolve(__dirname, "../../..");
export const distDir = path.join(repoRoot, "dist");
/** The reference receiver, built by scripts/test (cargo build --profile server). */
export const receiverBinary = path.join(repoRoot, "target", "server", "safewalk-server");

/** The people every test server has, made through the console before it starts. */
export const INSPECTOR = "E2E Inspector";
export const ADMIN = "E2E Admin";
export const ADMIN_PASSWORD = "e2e office password";

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

/**
 * The reference receiver on 127.0.0.1, as `scripts/run` starts it: it serves one build of the
 * app at / and receives uploads at /inspections, into its own SQLite file (kept across
 * `stop`/`serve`, like a redeploy keeps its database).
 */
export class StaticServer {
  private process?: ChildProcess;
  readonly database: string;
  /** The device token of an inspector ("E2E Inspector"), made with the console as a bureau
   * does (`safewalk-server people add` and `people token`): what the phone sends. */
  readonly inspectorToken: string;
  /** An admin's device token ("E2E Admin"), for reading back what the receiver holds. */
  readonly adminToken: string;

  private constructor(public readonly port: number, private dir: string, private readonly env: Record<string, string>) {
    this.database = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "safewalk-e2e-")), "receiver.sqlite3");
    this.people("add", INSPECTOR, "--role", "inspector");
    this.inspectorToken = this.people("token", INSPECTOR, "--label", "e2e phone");
    this.people("add", ADMIN, "--role", "admin");
    this.people("password", ADMIN, { input: `${ADMIN_PASSWORD}\n` });
    this.adminToken = this.people("token", ADMIN, "--label", "e2e reader");
  }

  /** `safewalk-server people …` against this server's database; what it printed. */
  people(...args: (string | { input: string })[]): string {
    const input = args.find((a): a is { input: string } => typeof a === "object")?.input;
    const words = args.filter((a): a is string => typeof a === "string");
    return execFileSync(receiverBinary, ["people", ...words], {
      env: { ...process.env, DATABASE_URL: this.database, SAFEWALK_ADDR: `127.0.0.1:${this.port}` },
      input,
      encoding: "utf8",
    }).trim();
  }

  /** Signs `page` in to the office as the admin, with the sign-in form (as a person does). */
  async signInToOffice(page: Page): Promise<void> {
    await page.goto(`${this.url}office/sign-in`);
    await page.getByLabel("姓名").fill(ADMIN);
    await page.getByLabel("密码").fill(ADMIN_PASSWORD);
    await page.getByRole("button", { name: "登录" }).click();
    await page.waitForURL(`${this.url}office`);
  }

  /** The headers an integration reading this receiver sends: the admin's token. */
  get readerHeaders(): Record<string, string> {
    return { authorization: `Bearer ${this.adminToken}` };
  }

  /** Legacy shared-token mode (SAFEWALK_TOKENS set): the test hands the app a token itself. */
  get legacy(): boolean {
    return Boolean(this.env.SAFEWALK_TOKENS);
  }

  static async start(dir = distDir, env: Record<string, string> = {}): Promise<StaticServer> {
    const server = new StaticServer(await freePort(), dir, env);
    await server.spawn();
    return server;
  }

  /** The receiver's JSON list of what it stored. */
  async stored(): Promise<{ total: number; items: { id: string; payload: any }[] }> {
    const token = this.env.SAFEWALK_TOKENS ? this.env.SAFEWALK_TOKENS.split(",")[0] : this.adminToken;
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    const response = await fetch(`${this.url}api/inspections?limit=500`, { headers });
    return response.json();
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  private async spawn(): Promise<void> {
    this.process = spawn(receiverBinary, [], {
      stdio: "ignore",
      env: {
        ...process.env,
        SAFEWALK_ADDR: `127.0.0.1:${this.port}`,
        SAFEWALK_STATIC_DIR: this.dir,
        DATABASE_URL: this.database,
        ...this.env,
      },
    });
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      try {
        const response = await fetch(`${this.url}health`, { cache: "no-store" });
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
