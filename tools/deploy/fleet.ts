/**
 * Many stacks at once: a scheduler that previews or updates a fleet of stacks concurrently while
 * respecting an order between them, streaming each stack's output with its name and printing one
 * summary. Pure scheduling here; `automation.ts` runs one stack through the Pulumi Automation API.
 *
 * Order: a stack starts only when every stack it must follow has succeeded; a stack whose predecessor
 * failed (or was skipped) is skipped, never run on a half-updated fleet. By default every production
 * stack follows every non-production stack of the same run (a canary order: what breaks dev never
 * reaches prod); `--after prod=dev,staging` adds explicit edges, and cycles are a usage error.
 */

export type Operation = "preview" | "up";

export interface FleetStack {
  /** Stack name (`Pulumi.<name>.yaml`). */
  readonly name: string;
  /** From the stack's validated config (`platform:production`). */
  readonly production: boolean;
}

export interface StackResult {
  readonly stack: string;
  readonly status: "succeeded" | "failed" | "skipped";
  /** Resource changes by kind (create, update, delete, same, ...) as the engine counts them. */
  readonly changes: Readonly<Record<string, number>>;
  /** Why it failed or was skipped (one line, no stack trace). */
  readonly reason?: string;
  readonly seconds: number;
}

/** Runs one stack; reports output lines through `onOutput`. Throws on failure. */
export type StackRunner = (
  stack: string,
  op: Operation,
  onOutput: (line: string) => void,
) => Promise<{ readonly changes: Readonly<Record<string, number>> }>;

export class FleetError extends Error {}

/**
 * The edges of the run: stack -> the stacks it must follow. `explicit` maps a stack to its
 * predecessors; `productionLast` adds every non-production stack before every production one.
 */
export function orderOf(
  stacks: readonly FleetStack[],
  explicit: Readonly<Record<string, readonly string[]>>,
  productionLast: boolean,
): Map<string, Set<string>> {
  const names = new Set(stacks.map((s) => s.name));
  if (names.size !== stacks.length) throw new FleetError("each stack may be named once");
  const after = new Map<string, Set<string>>(stacks.map((s) => [s.name, new Set<string>()]));
  for (const [stack, preds] of Object.entries(explicit)) {
    if (!names.has(stack)) throw new FleetError(`--after names '${stack}', which is not in --stacks`);
    for (const p of preds) {
      if (!names.has(p)) throw new FleetError(`--after ${stack}=${p}: '${p}' is not in --stacks`);
      if (p === stack) throw new FleetError(`--after ${stack}=${p}: a stack cannot follow itself`);
      after.get(stack)!.add(p);
    }
  }
  if (productionLast) {
    const canaries = stacks.filter((s) => !s.production).map((s) => s.name);
    for (const s of stacks.filter((x) => x.production)) for (const c of canaries) after.get(s.name)!.add(c);
  }
  // Reject cycles, naming one.
  const state = new Map<string, "visiting" | "done">();
  const visit = (n: string, path: string[]): void => {
    if (state.get(n) === "done") return;
    if (state.get(n) === "visiting") {
      throw new FleetError(
        `the stack order has a cycle: ${[...path.slice(path.indexOf(n)), n].join(" -> ")}`,
      );
    }
    state.set(n, "visiting");
    for (const p of after.get(n) ?? []) visit(p, [...path, n]);
    state.set(n, "done");
  };
  for (const s of stacks) visit(s.name, []);
  return after;
}

export interface FleetOptions {
  /** Most stacks running at once (default 4). */
  readonly concurrency?: number;
  /** Each output line of each stack, and the scheduler's own events. */
  readonly onLine?: (stack: string, line: string) => void;
  readonly now?: () => number;
}

/** Runs the fleet in dependency order with at most `concurrency` stacks at once. */
export async function runFleet(
  stacks: readonly FleetStack[],
  after: Map<string, Set<string>>,
  op: Operation,
  runner: StackRunner,
  options: FleetOptions = {},
): Promise<StackResult[]> {
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const now = options.now ?? (() => Date.now());
  const onLine = options.onLine ?? (() => undefined);
  const results = new Map<string, StackResult>();
  const running = new Map<string, Promise<void>>();
  const pending = stacks.map((s) => s.name);

  const blockedBy = (name: string): string | undefined =>
    [...(after.get(name) ?? [])].find((p) => results.has(p) && results.get(p)!.status !== "succeeded");
  const ready = (name: string): boolean =>
    [...(after.get(name) ?? [])].every((p) => results.get(p)?.status === "succeeded");

  while (pending.length > 0 || running.size > 0) {
    // Skip what can never run, then start what is ready, up to the limit.
    for (let i = 0; i < pending.length;) {
      const name = pending[i]!;
      const blocker = blockedBy(name);
      if (blocker !== undefined) {
        pending.splice(i, 1);
        const reason = `not run: '${blocker}' ${results.get(blocker)!.status === "failed" ? "failed" : "was skipped"}`;
        results.set(name, { stack: name, status: "skipped", changes: {}, reason, seconds: 0 });
        onLine(name, reason);
        i = 0;
        continue;
      }
      if (running.size < concurrency && ready(name)) {
        pending.splice(i, 1);
        const started = now();
        onLine(name, `${op} started`);
        const task = runner(name, op, (line) => onLine(name, line)).then(
          ({ changes }) => {
            results.set(name, {
              stack: name,
              status: "succeeded",
              changes,
              seconds: (now() - started) / 1000,
            });
            onLine(name, `${op} succeeded`);
          },
          (err: unknown) => {
            const reason = (err instanceof Error ? err.message : String(err)).split("\n")[0] ?? "failed";
            results.set(name, {
              stack: name,
              status: "failed",
              changes: {},
              reason,
              seconds: (now() - started) / 1000,
            });
            onLine(name, `${op} failed: ${reason}`);
          },
        );
        running.set(
          name,
          task.finally(() => running.delete(name)),
        );
        continue;
      }
      i++;
    }
    if (running.size === 0) {
      if (pending.length > 0) throw new FleetError(`nothing can start: ${pending.join(", ")}`); // cycles are caught earlier
      break;
    }
    await Promise.race(running.values());
  }
  return stacks.map((s) => results.get(s.name)!);
}

/** One summary table for the run. */
export function summarize(op: Operation, results: readonly StackResult[]): string {
  const kinds = [...new Set(results.flatMap((r) => Object.keys(r.changes)))].sort();
  const header = ["stack", "result", ...kinds, "seconds", "note"];
  const rows = results.map((r) => [
    r.stack,
    r.status,
    ...kinds.map((k) => String(r.changes[k] ?? 0)),
    r.seconds.toFixed(1),
    r.reason ?? "",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  const failed = results.filter((r) => r.status !== "succeeded").length;
  return [
    `${op}: ${results.length - failed} of ${results.length} stacks succeeded`,
    line(header),
    ...rows.map(line),
  ].join("\n");
}
