// CloudWatch Synthetics canary (Node.js, Playwright runtime: the handler file sits at the root of the
// zip). One HTTPS GET of TARGET_URL; the run fails (SuccessPercent 0) when the answer is not
// EXPECTED_STATUS within 10 s or the TLS certificate does not validate. healthcheck.zip holds this file
// stored uncompressed (tests/synthetics.test.ts checks it is this file); providers/aws/synthetics.ts sets
// the environment.
const https = require("node:https");

exports.handler = async () => {
  const url = process.env.TARGET_URL;
  const expected = Number(process.env.EXPECTED_STATUS || "200");
  if (!url || !url.startsWith("https://")) throw new Error("TARGET_URL must be an https:// URL");
  const status = await new Promise((resolve, reject) => {
    const req = https.get(url, { timeout: 10000 }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on("timeout", () => req.destroy(new Error(`${url} did not answer within 10 s`)));
    req.on("error", reject);
  });
  if (status !== expected) throw new Error(`${url} answered ${status}, expected ${expected}`);
  return `${url} answered ${status}`;
};
