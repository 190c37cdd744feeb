/**
 * Preloaded into every process the benchmark starts (NODE_OPTIONS=--require): on exit, appends
 * `<pid> <ppid> <maxRSS KiB>` to the file named by BENCH_RSS_FILE, so the benchmark can report the peak
 * memory of the process it ran and of the policy pack that process started.
 */
import * as fs from "node:fs";

const file = process.env.BENCH_RSS_FILE;
if (file) {
  let written = false;
  const record = () => {
    if (written) return;
    written = true;
    fs.appendFileSync(file, `${process.pid} ${process.ppid} ${process.resourceUsage().maxRSS}\n`);
  };
  process.on("exit", record);
  // The gate stops its policy pack with SIGTERM; record before going.
  process.once("SIGTERM", () => {
    record();
    process.exit(0);
  });
}
