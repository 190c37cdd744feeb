/** `node dist/tools/bench/scale-plan.js <n>`: plans a synthetic program of about n resources under the mock harness. */
import { runProgram } from "../harness";
import { scaleProgram } from "./scale";

async function main(): Promise<number> {
  const n = Number(process.argv[2] ?? "5000");
  const result = await runProgram({ stack: "dev", program: scaleProgram(n) });
  if (!result.ok) {
    console.error(result.errors.slice(0, 3).join("\n"));
    return 1;
  }
  console.log(`${result.plan.resources.length} resources`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
