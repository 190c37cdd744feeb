import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { root } from "./helpers";

function runbook(stack: string, configFile?: string): string {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "dr-")), `${stack}.md`);
  execFileSync(
    process.execPath,
    [
      path.join(root, "dist", "tools", "dr.js"),
      "--stack",
      stack,
      "--out",
      out,
      ...(configFile ? ["--config", configFile] : []),
    ],
    { cwd: root, stdio: "pipe" },
  );
  return fs.readFileSync(out, "utf8");
}

describe("npm run dr (runbook from the recovery model)", () => {
  const cases = [
    {
      stack: "prod",
      primary: "AWS",
      secondary: "Azure",
      check: /az network vnet-gateway list-bgp-peer-status --resource-group rg-prod-secondary-westeurope/,
      back: /aws ec2 describe-vpn-connections --region us-east-1/,
    },
    {
      stack: "resnet-prod-gcp-aws",
      file: "tests/fixtures/Pulumi.resnet-prod-gcp-aws.yaml",
      primary: "Google Cloud",
      secondary: "AWS",
      check: /aws ec2 describe-vpn-connections --region eu-west-1/,
      back: /gcloud compute routers get-status cr-prodvpn-primary-vpn --region europe-west1/,
    },
    {
      stack: "resnet-prod-azure-gcp",
      file: "tests/fixtures/Pulumi.resnet-prod-azure-gcp.yaml",
      primary: "Azure",
      secondary: "Google Cloud",
      check: /gcloud compute vpn-tunnels list --filter='name~\^vpn-prodvpn-secondary-'/,
      back: /az network vpn-connection list --resource-group rg-prodvpn-primary-westeurope/,
    },
  ];
  for (const c of cases) {
    it(`${c.stack}: names both clouds, the objectives, the promotion and failback commands, and a drill`, () => {
      const md = runbook(c.stack, c.file ? path.join(root, c.file) : undefined);
      assert.match(md, new RegExp(`Primary: \\*\\*${c.primary}\\*\\*`));
      assert.match(md, new RegExp(`Secondary: \\*\\*${c.secondary}\\*\\*`));
      // Declared in the stack; deliverable = the slowest data mechanism (RPO) and the failover's steps (RTO:
      // 15 declare + DNS, 5 interconnect check, 5 object-store switch, 10 database promotion).
      assert.match(md, /\| RPO \| (60|120) minutes \| (60|120) minutes/);
      assert.match(md, /\| RTO \| 60 minutes \| 35 minutes/);
      assert.match(md, /Object replication into/);
      assert.match(md, /PostgreSQL replication into/);
      assert.match(md, new RegExp(`## Promotion: ${c.primary} -> ${c.secondary}`));
      assert.match(md, c.check);
      assert.match(md, new RegExp(`## Failback: ${c.secondary} -> ${c.primary}`));
      assert.match(md, c.back);
      assert.match(md, /## Drill checklist/);
      // PostgreSQL reachability across the VPN, both directions, from the blocks the peer's rules admit.
      const reach = [
        ...md.matchAll(
          /- \[ \] The (primary|secondary) database admits 5432 from the (primary|secondary)'s database blocks \(([0-9./, ]+)\): from a host in one of them .*`nc -zv -w 5 <(primary|secondary) database private address> 5432`/g,
        ),
      ];
      assert.deepEqual(
        reach.map((m) => [m[1], m[2], m[4]]),
        [
          ["primary", "secondary", "primary"],
          ["secondary", "primary", "secondary"],
        ],
      );
      for (const m of reach) assert.match(m[3]!, /^10\.\d+\.\d+\.\d+\/\d+(, 10\.\d+\.\d+\.\d+\/\d+)*$/);
      assert.match(md, /- \[ \] /);
    });
  }

  it("refuses a stack without a secondary site", () => {
    assert.throws(
      () => runbook("single", path.join(root, "tests", "fixtures", "Pulumi.data-dev-azure.yaml")),
      (err: { status?: number; stderr?: Buffer }) =>
        err.status === 1 && /no secondary site|invalid stack config/.test(String(err.stderr)),
    );
  });
});
