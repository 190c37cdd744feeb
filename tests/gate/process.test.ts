/**
 * Process hygiene: the policy pack the gate starts ends with the gate, whatever ends the gate (SIGTERM,
 * SIGINT, SIGKILL, errors), and a pack that never starts serving fails the gate in bounded time.
 */
import * as assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { cli, previewFixture, root } from "./helpers";

const hangingPack = path.join(root, "tests/gate/fixtures/hanging-pack");
const silentPack = path.join(root, "tests/gate/fixtures/silent-pack");

/** Direct children of a process (Linux /proc). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[1]) === pid) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** True while the process exists and is not a zombie. */
function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

async function waitFor<T>(what: string, ms: number, probe: () => T | undefined): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function startGate(
  pack: string,
  env: NodeJS.ProcessEnv = {},
): { gate: ChildProcess; exited: Promise<unknown> } {
  const gate = spawn(process.execPath, [cli, "--preview", previewFixture, "--pack", pack], {
    cwd: root,
    env: { ...process.env, NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  gate.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise((resolve) =>
    gate.once("exit", (code, signal) => resolve({ code, signal, stderr })),
  );
  return { gate, exited };
}

/** Starts the gate on the hanging pack and returns once the pack process is up and being analyzed. */
async function gateWithRunningPack(): Promise<{
  gate: ChildProcess;
  pack: number;
  exited: Promise<unknown>;
}> {
  const { gate, exited } = startGate(hangingPack);
  const pack = await waitFor("the pack process", 60_000, () => childrenOf(gate.pid!)[0]);
  // Wait until the pack is serving (it has opened a listening socket) so the gate is mid-evaluation.
  await waitFor("the pack to listen", 60_000, () =>
    fs.readdirSync(`/proc/${pack}/fd`).some((fd) => {
      try {
        return fs.readlinkSync(`/proc/${pack}/fd/${fd}`).startsWith("socket:");
      } catch {
        return false;
      }
    })
      ? true
      : undefined,
  );
  await new Promise((r) => setTimeout(r, 1_000));
  return { gate, pack, exited };
}

describe("gate: the pack process ends with the gate", function () {
  this.timeout(180_000);
  if (process.platform !== "linux") return;

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`${signal} to the gate ends the pack, and the gate ends by that signal`, async () => {
      const { gate, pack, exited } = await gateWithRunningPack();
      assert.ok(alive(pack));
      gate.kill(signal);
      const result = (await exited) as { signal: string | null };
      assert.equal(result.signal, signal);
      await waitFor("the pack to end", 5_000, () => (alive(pack) ? undefined : true));
    });
  }

  it("SIGKILL to the gate (no handler runs) still ends the pack through its lifeline", async () => {
    const { gate, pack, exited } = await gateWithRunningPack();
    gate.kill("SIGKILL");
    await exited;
    await waitFor("the pack to end", 10_000, () => (alive(pack) ? undefined : true));
  });

  it("a pack that never starts serving fails the gate within the start timeout, saying why", async () => {
    const started = Date.now();
    const { gate, exited } = startGate(silentPack, { GATE_PACK_START_TIMEOUT_MS: "3000" });
    const pack = await waitFor("the pack process", 30_000, () => childrenOf(gate.pid!)[0]);
    const result = (await exited) as { code: number; stderr: string };
    assert.equal(result.code, 2);
    assert.match(result.stderr, /the policy pack did not print its port within 3 s/);
    assert.equal(result.stderr.trim().split("\n").length, 1, "one line");
    assert.ok(Date.now() - started < 30_000);
    await waitFor("the pack to end", 5_000, () => (alive(pack) ? undefined : true));
  });
});
