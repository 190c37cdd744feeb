/**
 * Preloaded into the policy pack process (`node --require pack-guard.js run-policy-pack ...`): the gate
 * holds the write end of a pipe on the pack's fd 3; when the gate ends, however it ends (even SIGKILL),
 * the pipe closes and the pack exits instead of serving on, reparented to init.
 */
import * as net from "node:net";

try {
  const lifeline = new net.Socket({ fd: 3, readable: true, writable: false });
  const end = () => process.exit(0);
  lifeline.on("end", end);
  lifeline.on("close", end);
  lifeline.on("error", end);
  lifeline.resume();
  lifeline.unref();
} catch {
  // Started without a lifeline (by hand): nothing to watch.
}
