import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { parseStackConfig, rawConfigObject, type ConfigProblem } from "../components/config";
import { baseRtoMinutes, objectiveProblems, recoveryPlan, type MechanismSpec } from "../components/recovery";
import { runProgram } from "../tools/harness";
import { repoRoot } from "../tools/paths";

const root = repoRoot();
const awsOneZone =
  "expected at least 2 zones on an aws site (the site's EKS cluster and Application Load Balancer need subnets in at least two Availability Zones; https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html, https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html), found 1";

/** A valid production config (the shape of Pulumi.prod.yaml), as the program reads it. */
function validProd(): Record<string, unknown> {
  return {
    environment: "prod",
    production: true,
    owner: "platform-team",
    costCenter: "cc-1001",
    dataClassification: "confidential",
    frameworks: ["soc2", "pci-dss"],
    alertContacts: [{ name: "on-call", email: "oncall@example.com", minSeverity: "high" }],
    primary: {
      cloud: "aws",
      region: "us-east-1",
      accountId: "222222222222",
      addressSpace: "10.0.0.0/16",
      zones: 3,
    },
    secondary: {
      cloud: "azure",
      region: "westeurope",
      subscriptionId: "00000000-0000-4000-8000-000000000001",
      tenantId: "00000000-0000-4000-8000-0000000000aa",
      addressSpace: "10.1.0.0/16",
    },
    recovery: { rpoMinutes: 60, rtoMinutes: 60 },
    budget: {
      amount: 5000,
      currency: "USD",
      actualThresholds: [50, 80, 100],
      forecastThresholds: [100],
      gcpBillingAccount: "012345-6789AB-CDEF01",
    },
  };
}

function problems(mutate: (cfg: Record<string, unknown>) => void): ConfigProblem[] {
  const cfg = validProd();
  mutate(cfg);
  const result = parseStackConfig(cfg);
  assert.equal(result.ok, false, "expected the config to be rejected");
  return result.ok ? [] : result.problems;
}

function site(cfg: Record<string, unknown>, role: "primary" | "secondary"): Record<string, unknown> {
  return cfg[role] as Record<string, unknown>;
}

describe("stack config schema", () => {
  it("accepts the repository's dev and prod stacks", () => {
    for (const stack of ["dev", "prod"]) {
      const doc = parseYaml(fs.readFileSync(path.join(root, `Pulumi.${stack}.yaml`), "utf8")) as {
        config: Record<string, unknown>;
      };
      const flat = Object.fromEntries(
        Object.entries(doc.config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
      );
      const result = parseStackConfig(rawConfigObject(flat));
      assert.ok(result.ok, `Pulumi.${stack}.yaml: ${JSON.stringify(!result.ok && result.problems)}`);
    }
  });

  it("applies defaults: production false, minSeverity high, no extra tags", () => {
    const cfg = validProd();
    delete cfg.secondary;
    delete cfg.production;
    (cfg.alertContacts as Record<string, unknown>[])[0]!.minSeverity = undefined;
    const result = parseStackConfig(JSON.parse(JSON.stringify(cfg)) as Record<string, unknown>);
    assert.ok(result.ok);
    if (!result.ok) return;
    assert.equal(result.config.production, false);
    assert.equal(result.config.alertContacts[0]!.minSeverity, "high");
    assert.deepEqual(result.config.tags, {});
  });

  const cases: [string, (cfg: Record<string, unknown>) => void, ConfigProblem[]][] = [
    [
      "an unknown cloud",
      (c) => (site(c, "primary").cloud = "amazon"),
      [{ path: "platform:primary.cloud", message: "expected one of aws, azure, gcp, found 'amazon'" }],
    ],
    [
      "the same cloud twice",
      (c) => {
        c.secondary = {
          cloud: "aws",
          region: "us-west-2",
          addressSpace: "10.1.0.0/16",
          accountId: "333333333333",
        };
      },
      [
        {
          path: "platform:secondary.cloud",
          message: "expected a cloud other than the primary's (aws), found 'aws'",
        },
      ],
    ],
    [
      "overlapping address spaces",
      (c) => (site(c, "secondary").addressSpace = "10.0.128.0/17"),
      [
        {
          path: "platform:secondary.addressSpace",
          message:
            "expected an address space that does not overlap primary.addressSpace (10.0.0.0/16), found '10.0.128.0/17'",
        },
      ],
    ],
    [
      "a malformed CIDR",
      (c) => (site(c, "primary").addressSpace = "10.0.0/16"),
      [
        {
          path: "platform:primary.addressSpace",
          message: "expected an IPv4 CIDR such as 10.0.0.0/16, found '10.0.0/16'",
        },
      ],
    ],
    [
      "a CIDR with host bits set",
      (c) => (site(c, "primary").addressSpace = "10.0.1.0/16"),
      [
        {
          path: "platform:primary.addressSpace",
          message:
            "expected a network address with no host bits set (did you mean 10.0.0.0/16?), found '10.0.1.0/16'",
        },
      ],
    ],
    [
      "a public address space",
      (c) => (site(c, "primary").addressSpace = "8.8.0.0/16"),
      [
        {
          path: "platform:primary.addressSpace",
          message:
            "expected a private (RFC 1918) range inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, found '8.8.0.0/16'",
        },
      ],
    ],
    [
      "an address space too small for a site",
      (c) => (site(c, "primary").addressSpace = "10.0.0.0/26"),
      [
        {
          path: "platform:primary.addressSpace",
          message: "expected an address space between /8 and /24, found '10.0.0.0/26'",
        },
      ],
    ],
    [
      "a missing Azure subscription",
      (c) => delete site(c, "secondary").subscriptionId,
      [
        {
          path: "platform:secondary.subscriptionId",
          message: "expected an Azure subscription id (a UUID), found nothing",
        },
      ],
    ],
    [
      "a missing GCP project",
      (c) => {
        c.secondary = { cloud: "gcp", region: "europe-west1", addressSpace: "10.1.0.0/16" };
      },
      [{ path: "platform:secondary.project", message: "expected string, found nothing" }],
    ],
    [
      "an invalid GCP project id",
      (c) => {
        c.secondary = {
          cloud: "gcp",
          region: "europe-west1",
          project: "My_Project",
          addressSpace: "10.1.0.0/16",
        };
      },
      [
        {
          path: "platform:secondary.project",
          message:
            "expected a GCP project id (6-30 characters: lowercase letters, digits and '-', starting with a letter), found 'My_Project'",
        },
      ],
    ],
    [
      "an unknown top-level key",
      (c) => (c.enviroment = "prod"),
      [{ path: "platform", message: "unknown key 'enviroment'" }],
    ],
    [
      "an unknown site key",
      (c) => (site(c, "primary").subnet = "x"),
      [{ path: "platform:primary", message: "unknown key 'subnet'" }],
    ],
    [
      "a tag value GCP would refuse",
      (c) => (c.owner = "Platform Team"),
      [
        {
          path: "platform:owner",
          message:
            "expected a lowercase label value (a-z, 0-9, '_' or '-', at most 63 characters), found 'Platform Team'",
        },
      ],
    ],
    [
      "an unknown data classification",
      (c) => (c.dataClassification = "secret"),
      [
        {
          path: "platform:dataClassification",
          message: "expected one of public, internal, confidential, restricted, found 'secret'",
        },
      ],
    ],
    [
      "an unknown framework",
      (c) => (c.frameworks = ["soc2", "hipaa"]),
      [
        {
          path: "platform:frameworks[1]",
          message: "expected one of soc2, iso27001, pci-dss, gdpr, lfpdppp, found 'hipaa'",
        },
      ],
    ],
    [
      "no framework",
      (c) => (c.frameworks = []),
      [{ path: "platform:frameworks", message: "expected at least 1 entries, found a list of 0" }],
    ],
    [
      "a bad alert email",
      (c) => (c.alertContacts = [{ name: "on-call", email: "oncall-at-example" }]),
      [
        {
          path: "platform:alertContacts[0].email",
          message: "expected an email address, found 'oncall-at-example'",
        },
      ],
    ],
    [
      "an unknown region",
      (c) => (site(c, "primary").region = "us-east-9"),
      [
        {
          path: "platform:primary.region",
          message: `expected a region of aws (us-east-1, us-east-2, us-west-2, ca-central-1, ca-west-1, mx-central-1, sa-east-1, eu-west-1, eu-west-2, eu-west-3, eu-central-1, eu-north-1, ap-southeast-1, ap-northeast-1), found 'us-east-9'`,
        },
      ],
    ],
    [
      "more zones than the region has",
      (c) => {
        site(c, "primary").region = "us-east-2";
        site(c, "primary").zones = 4;
      },
      [
        {
          path: "platform:primary.zones",
          message: "expected at most 3 zones (what us-east-2 offers), found 4",
        },
      ],
    ],
    [
      "production without a secondary site",
      (c) => delete c.secondary,
      [
        {
          path: "platform:secondary",
          message: "expected a secondary site on another cloud because production is true, found nothing",
        },
      ],
    ],
    [
      "an AWS account id given as a number",
      (c) => (site(c, "primary").accountId = 222222222222),
      [
        {
          path: "platform:primary.accountId",
          message:
            "expected a 12-digit AWS account id (required: the provider refuses credentials of any other account), found number 222222222222",
        },
      ],
    ],
    [
      "an AWS site without accountId (the provider would be pinned to no account)",
      (c) => delete site(c, "primary").accountId,
      [
        {
          path: "platform:primary.accountId",
          message:
            "expected a 12-digit AWS account id (required: the provider refuses credentials of any other account), found nothing",
        },
      ],
    ],
    [
      "production with one zone",
      (c) => (site(c, "primary").zones = 1),
      [
        {
          path: "platform:primary.zones",
          message: awsOneZone,
        },
        {
          path: "platform:primary.zones",
          message: "expected at least 2 zones because production is true (zone-redundant HA), found 1",
        },
      ],
    ],
    [
      "an aws site with one zone outside production",
      (c) => {
        c.production = false;
        site(c, "primary").zones = 1;
      },
      [{ path: "platform:primary.zones", message: awsOneZone }],
    ],
    [
      "production in a region without availability zones",
      (c) => (site(c, "secondary").region = "westus"),
      [
        {
          path: "platform:secondary.region",
          message:
            "expected a region with at least 2 availability zones because production is true (zone-redundant HA), found 'westus' (0 zones)",
        },
      ],
    ],
    [
      "production in Mexico without an explicit replica destination (LFPDPPP)",
      (c) => (site(c, "primary").region = "mx-central-1"),
      [
        {
          path: "platform:primary.replicaRegion",
          message:
            "expected a replicaRegion: mx-central-1 has no second aws region in the same jurisdiction (mx), so replicas and geo-redundant backups need an explicit destination, found nothing",
        },
      ],
    ],
    [
      "production in Brazil on Azure, whose fixed pair is in the US",
      (c) => (site(c, "secondary").region = "brazilsouth"),
      [
        {
          path: "platform:secondary.replicaRegion",
          message:
            "expected a replicaRegion: brazilsouth's pair southcentralus is outside its jurisdiction (br to us), so the destination must be set explicitly, found nothing",
        },
      ],
    ],
    [
      "production GCP in a region Cloud Storage cannot pair into a dual-region (Canada)",
      (c) => {
        c.secondary = {
          cloud: "gcp",
          region: "northamerica-northeast1",
          project: "acme-platform-ca",
          addressSpace: "10.1.0.0/16",
        };
      },
      [
        {
          path: "platform:secondary.region",
          message:
            "expected a GCP region where Cloud Storage offers a dual-region with the replica region (pairs within US or EU: components/regions.ts dualRegionContinents) because production is true, found 'northamerica-northeast1' with replica northamerica-northeast2",
        },
      ],
    ],
    [
      "an Azure replicaRegion other than the fixed pair",
      (c) => (site(c, "secondary").replicaRegion = "francecentral"),
      [
        {
          path: "platform:secondary.replicaRegion",
          message:
            "expected northeurope: Azure geo-redundant storage always replicates westeurope to its paired region, found 'francecentral'",
        },
      ],
    ],
    [
      "two alert contacts whose e-mails become the same resource name",
      (c) =>
        (c.alertContacts = [
          { name: "one", email: "a.b@example.com" },
          { name: "two", email: "a-b@example.com" },
        ]),
      [
        {
          path: "platform:alertContacts[1].email",
          message:
            "expected an e-mail address distinct from alertContacts[0].email once lowercased with '.', '_' and '+' read as '-' (both become 'a-b-example-com'), found 'a-b@example.com'",
        },
      ],
    ],
    [
      "an invalid tag key",
      (c) => (c.tags = { "Cost Center": "x" }),
      [
        {
          path: "platform:tags.Cost Center",
          message:
            "expected a lowercase label key (starts with a-z; a-z, 0-9, '_' or '-') as key, found 'Cost Center'",
        },
      ],
    ],
    [
      "an extra tag overriding a required one",
      (c) => (c.tags = { owner: "someone-else" }),
      [
        {
          path: "platform:tags.owner",
          message:
            "expected a tag key other than the required ones (environment, owner, cost-center, data-classification, managed-by, site-role), found 'owner'",
        },
      ],
    ],
  ];

  for (const [what, mutate, expected] of cases) {
    it(`rejects ${what} with its path and message`, () => {
      assert.deepEqual(problems(mutate), expected);
    });
  }

  it("accepts an explicit replicaRegion that leaves the jurisdiction (the documented decision)", () => {
    const cfg = validProd();
    Object.assign(site(cfg, "primary"), { region: "mx-central-1", replicaRegion: "us-east-2" });
    const result = parseStackConfig(cfg);
    assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
  });

  it("treats platform:__proto__ as an unknown key, not as the object's prototype", () => {
    const raw = rawConfigObject({
      "platform:__proto__": '{"polluted": true}',
      "platform:environment": "dev",
    });
    assert.deepEqual(Object.keys(raw), ["__proto__", "environment"]);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    const result = parseStackConfig(raw);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.ok(result.problems.some((p) => p.path === "platform" && p.message === "unknown key '__proto__'"));
  });

  it("echoes at most 80 characters of a huge value, with its length", () => {
    const found = problems((c) => (c.owner = "X".repeat(10_000_000)));
    assert.equal(found.length, 1);
    assert.equal(
      found[0]!.message,
      `expected a lowercase label value (a-z, 0-9, '_' or '-', at most 63 characters), found '${"X".repeat(80)}…' (10000000 characters)`,
    );
  });

  it("replaces control characters in echoed values", () => {
    const found = problems((c) => (c.costCenter = "cc\u001b[31m\nfake"));
    assert.match(found[0]!.message, /found 'cc\?\[31m\?fake'$/);
  });

  it("reports every problem at once", () => {
    const found = problems((c) => {
      site(c, "primary").cloud = "amazon";
      c.owner = "Platform Team";
      site(c, "secondary").addressSpace = "10.0.0.0/16";
    });
    assert.deepEqual(
      found.map((p) => p.path),
      ["platform:owner", "platform:primary.cloud", "platform:secondary.addressSpace"],
    );
  });
});

describe("a malformed stack config under the harness", () => {
  it("prints both errors and creates nothing", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "platform-config-"));
    const file = path.join(dir, "Pulumi.broken.yaml");
    const doc = parseYaml(fs.readFileSync(path.join(root, "Pulumi.prod.yaml"), "utf8")) as {
      config: Record<string, Record<string, unknown> | unknown>;
    };
    (doc.config["platform:primary"] as Record<string, unknown>).cloud = "amazon";
    (doc.config["platform:secondary"] as Record<string, unknown>).region = "narnia";
    fs.writeFileSync(file, JSON.stringify(doc));
    const result = await runProgram({ stack: "broken", configFile: file });
    assert.equal(result.ok, false);
    if (result.ok) return;
    const message = result.errors.join("\n");
    assert.match(message, /invalid stack config \(2 problems\)/);
    assert.match(message, /platform:primary\.cloud: expected one of aws, azure, gcp, found 'amazon'/);
    assert.match(message, /platform:secondary\.region: expected a region of azure \(.*\), found 'narnia'/);
    assert.deepEqual(
      result.plan.resources.map((r) => r.type),
      ["pulumi:pulumi:Stack"],
      "only the stack root may be registered",
    );
  });
});

describe("recovery objectives in the stack config", () => {
  it("requires them in production with a secondary site", () => {
    const found = problems((cfg) => delete cfg.recovery);
    assert.deepEqual(
      found.map((p) => p.path),
      ["platform:recovery"],
    );
    assert.match(found[0]!.message, /rpoMinutes, rtoMinutes/);
  });

  it("rejects an RPO below what the built object replication delivers (AWS -> Azure: Data Factory every 15 minutes, 60)", () => {
    const found = problems((cfg) => (cfg.recovery = { rpoMinutes: 30, rtoMinutes: 60 }));
    assert.deepEqual(
      found.map((p) => `${p.path}: ${p.message}`),
      [
        "platform:recovery.rpoMinutes: expected an RPO the mechanisms can meet: Object replication into azure (Azure Data Factory (copy pipeline, schedule trigger)) delivers 60 minutes, found rpoMinutes 30",
      ],
    );
  });

  it("rejects an RTO below what the failover takes, naming both numbers", () => {
    const found = problems((cfg) => (cfg.recovery = { rpoMinutes: 60, rtoMinutes: 10 }));
    assert.equal(found.length, 1);
    assert.equal(found[0]!.path, "platform:recovery.rtoMinutes");
    // 15 (declare + DNS) + 5 (interconnect check) + 5 (object store switch) + 10 (database promotion).
    assert.match(found[0]!.message, new RegExp(`${baseRtoMinutes + 20} minutes.*found rtoMinutes 10`));
  });

  it("rejects an RPO below what a data mechanism delivers, naming both numbers", () => {
    const parsed = parseStackConfig(validProd());
    assert.ok(parsed.ok);
    const hourly: MechanismSpec = () => ({
      id: "object-replication",
      kind: "objects",
      title: "Object replication",
      what: "objects",
      from: "primary",
      to: "secondary",
      services: "test",
      schedule: { kind: "interval", everyMinutes: 60 },
      rpoMinutes: 60,
      rtoMinutes: 5,
      promotion: [],
      failback: [],
      drill: [],
      sources: [],
    });
    const plan = recoveryPlan({ ...parsed.config, recovery: { rpoMinutes: 15, rtoMinutes: 60 } }, [hourly])!;
    const found = objectiveProblems(plan);
    assert.equal(found.length, 1);
    assert.equal(found[0]!.key, "rpoMinutes");
    assert.match(found[0]!.message, /delivers 60 minutes, found rpoMinutes 15/);
    assert.deepEqual(
      objectiveProblems(
        recoveryPlan({ ...parsed.config, recovery: { rpoMinutes: 60, rtoMinutes: 60 } }, [hourly])!,
      ),
      [],
    );
  });

  it("accepts objectives the mechanisms meet, and a stack without a secondary needs none", () => {
    assert.equal(parseStackConfig(validProd()).ok, true);
    const dev = validProd();
    dev.production = false;
    delete dev.secondary;
    delete dev.recovery;
    (dev.primary as Record<string, unknown>).zones = 2;
    assert.equal(parseStackConfig(dev).ok, true);
  });
});
