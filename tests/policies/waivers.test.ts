import * as assert from "node:assert/strict";
import { parseExpiredWaiver, parseUnusedWaiver, parseWaivedFinding } from "../../policies/pack";
import { configFile } from "./cases";
import { pack, urnOf, type TestResource } from "./harness";

const sg: TestResource = {
  type: "aws:ec2/securityGroup:SecurityGroup",
  name: "bastion-sg",
  props: { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] },
};
const bucket: TestResource = {
  type: "aws:s3/bucket:Bucket",
  name: "scratch",
  props: { bucket: "acme-scratch" },
};
const waiver = (extra: Record<string, unknown>) => ({
  control: "disallow-public-admin-ports",
  resource: "bastion-*",
  reason: "temporary bastion until the VPN is live",
  approvedBy: "ciso@example.com",
  expires: "2099-12-31",
  ...extra,
});

describe("waivers", () => {
  afterEach(async () => (await pack()).configure());

  it("a valid waiver suppresses the control's violation and is reported by report-waived-findings", async () => {
    const server = await pack();
    await server.configure(configFile({ waivers: [waiver({})] }));
    const direct = await server.analyze(sg);
    assert.deepEqual(
      direct.filter((d) => d.policyName === "disallow-public-admin-ports"),
      [],
    );
    const stack = await server.analyzeStack([sg]);
    const waived = stack.filter((d) => d.policyName === "report-waived-findings");
    assert.equal(waived.length, 1, JSON.stringify(stack));
    assert.equal(waived[0]!.enforcementLevel, "advisory");
    assert.equal(waived[0]!.urn, urnOf(sg.type, sg.name));
    const parsed = parseWaivedFinding(waived[0]!.message);
    assert.deepEqual(parsed, {
      control: "disallow-public-admin-ports",
      message: "ingress[0] opens administration port(s) 22 to the internet",
      reason: "temporary bastion until the VPN is live",
      approvedBy: "ciso@example.com",
      expires: "2099-12-31",
    });
    assert.match(
      waived[0]!.message.split("\n").pop()!,
      /^waived disallow-public-admin-ports: .* \| reason=.*; approvedBy=ciso@example.com; expires=2099-12-31$/,
    );
    assert.deepEqual(
      stack.filter((d) => d.policyName === "report-unused-waivers"),
      [],
    );
  });

  it("a waiver by URN works for a stack-level control", async () => {
    const server = await pack();
    await server.configure(
      configFile({
        waivers: [
          waiver({
            control: "enforce-storage-public-access-block",
            resource: urnOf(bucket.type, bucket.name),
            reason: "scratch bucket, no data",
          }),
        ],
      }),
    );
    const stack = await server.analyzeStack([bucket]);
    assert.deepEqual(
      stack.filter((d) => d.policyName === "enforce-storage-public-access-block"),
      [],
    );
    const waived = stack
      .filter((d) => d.policyName === "report-waived-findings")
      .map((d) => parseWaivedFinding(d.message));
    assert.ok(
      waived.some(
        (w) => w?.control === "enforce-storage-public-access-block" && w.reason === "scratch bucket, no data",
      ),
    );
  });

  it("an expired waiver fails as a violation and says so", async () => {
    const server = await pack();
    await server.configure(configFile({ waivers: [waiver({ expires: "2020-01-31" })] }));
    const direct = (await server.analyze(sg)).filter((d) => d.policyName === "disallow-public-admin-ports");
    assert.equal(direct.length, 1);
    assert.equal(direct[0]!.enforcementLevel, "mandatory");
    assert.match(
      direct[0]!.message,
      / \(waiver expired 2020-01-31: temporary bastion until the VPN is live\)$/,
    );
    assert.deepEqual(parseExpiredWaiver(direct[0]!.message), {
      message: "ingress[0] opens administration port(s) 22 to the internet",
      expires: "2020-01-31",
      reason: "temporary bastion until the VPN is live",
    });
    const stack = await server.analyzeStack([sg]);
    assert.deepEqual(
      stack.filter((d) => d.policyName === "report-waived-findings"),
      [],
    );
    assert.deepEqual(
      stack.filter((d) => d.policyName === "report-unused-waivers"),
      [],
    );
  });

  it("a waiver that matches nothing is reported by report-unused-waivers", async () => {
    const server = await pack();
    await server.configure(
      configFile({
        waivers: [waiver({ resource: "legacy-*" }), waiver({ control: "no-such-control", resource: "x" })],
      }),
    );
    const stack = await server.analyzeStack([sg]);
    const unused = stack.filter((d) => d.policyName === "report-unused-waivers");
    assert.deepEqual(
      unused.map((d) => parseUnusedWaiver(d.message)),
      [
        { control: "disallow-public-admin-ports", resource: "legacy-*" },
        { control: "no-such-control", resource: "x" },
      ],
    );
    assert.ok(unused.every((d) => d.enforcementLevel === "advisory"));
    assert.match(
      unused[0]!.message.split("\n").pop()!,
      /^unused waiver for disallow-public-admin-ports on legacy-\*$/,
    );
    // The unwaived violation is still mandatory.
    assert.ok(
      (await server.analyze(sg)).some(
        (d) => d.policyName === "disallow-public-admin-ports" && d.enforcementLevel === "mandatory",
      ),
    );
  });
});

describe("remediation", () => {
  it("adds the required tags that have a configured value and leaves the rest as violations", async () => {
    const server = await pack();
    await server.configure(configFile({ environment: "dev" }));
    const vpc: TestResource = {
      type: "aws:ec2/vpc:Vpc",
      name: "vpc",
      props: { cidrBlock: "10.0.0.0/16", tags: { owner: "platform-team", Name: "vpc" } },
    };
    const remediations = await server.remediate(vpc);
    const tags = remediations.find((r) => r.policyName === "enforce-required-tags");
    assert.ok(tags?.properties, JSON.stringify(remediations));
    assert.deepEqual(tags.properties["tags"], {
      owner: "platform-team",
      Name: "vpc",
      environment: "dev",
      "managed-by": "pulumi",
    });
    assert.equal(tags.properties["cidrBlock"], "10.0.0.0/16");
    const after = await server.analyze({ ...vpc, props: tags.properties });
    const left = after.filter((d) => d.policyName === "enforce-required-tags");
    assert.equal(left.length, 1);
    assert.equal(left[0]!.enforcementLevel, "mandatory");
    assert.match(left[0]!.message, /missing required tags: cost-center, data-classification, site-role$/);
    await server.configure();
  });

  it("adds Cloud SQL labels under settings.userLabels and keeps the other settings", async () => {
    const server = await pack();
    await server.configure(configFile({ environment: "dev" }));
    const db: TestResource = {
      type: "gcp:sql/databaseInstance:DatabaseInstance",
      name: "db",
      props: {
        databaseVersion: "POSTGRES_16",
        settings: { tier: "db-custom-2-7680", userLabels: { owner: "platform-team" } },
      },
    };
    const remediations = await server.remediate(db);
    const tags = remediations.find((r) => r.policyName === "enforce-required-tags");
    assert.ok(tags?.properties, JSON.stringify(remediations));
    assert.deepEqual(tags.properties["settings"], {
      tier: "db-custom-2-7680",
      userLabels: { owner: "platform-team", environment: "dev", "managed-by": "pulumi" },
    });
    assert.equal(tags.properties["labels"], undefined);
    const left = (await server.analyze({ ...db, props: tags.properties })).filter(
      (d) => d.policyName === "enforce-required-tags",
    );
    assert.equal(left.length, 1);
    assert.match(
      left[0]!.message,
      /missing required settings\.userLabels: cost-center, data-classification, site-role$/,
    );
    await server.configure();
  });
});

describe("waivers by what a resource is (type and role), not by its name", () => {
  afterEach(async () => (await pack()).configure());
  const logs: TestResource = {
    type: "aws:s3/bucket:Bucket",
    name: "secondary-storage-logs",
    props: { bucket: "acme-logs" },
  };
  const data: TestResource = {
    type: "aws:s3/bucket:Bucket",
    name: "secondary-storage",
    props: { bucket: "acme-data" },
  };
  const logging: TestResource = {
    type: "aws:s3/bucketLogging:BucketLogging",
    name: "secondary-storage-logging",
    props: { bucket: "acme-data", targetBucket: "acme-logs", targetPrefix: "s3/" },
  };
  const roleWaiver = {
    control: "enforce-storage-geo-redundancy",
    type: "aws:s3/bucket*",
    role: "access-log-target",
    reason: "access logs are operational evidence",
    approvedBy: "platform-team",
    expires: "2099-12-31",
  };
  const geo = (ds: { policyName: string; urn?: string }[]) =>
    ds.filter((d) => d.policyName === "enforce-storage-geo-redundancy").map((d) => d.urn);
  const waivedUrns = (ds: { policyName: string; urn?: string }[]) =>
    ds.filter((d) => d.policyName === "report-waived-findings").map((d) => d.urn);

  it("a type+role waiver covers the access-log target bucket whatever its name, and not the data bucket", async () => {
    const server = await pack();
    await server.configure(configFile({ environment: "prod", waivers: [roleWaiver] }));
    const stack = await server.analyzeStack([logs, data, logging]);
    assert.deepEqual(geo(stack), [urnOf(data.type, data.name)]);
    assert.deepEqual(waivedUrns(stack), [urnOf(logs.type, logs.name)]);
    assert.deepEqual(
      stack.filter((d) => d.policyName === "report-unused-waivers"),
      [],
    );
  });

  it("without anything logging to it, the same bucket is not an access-log target: the waiver is unused", async () => {
    const server = await pack();
    await server.configure(configFile({ environment: "prod", waivers: [roleWaiver] }));
    const stack = await server.analyzeStack([logs, data]);
    assert.deepEqual(geo(stack).sort(), [urnOf(data.type, data.name), urnOf(logs.type, logs.name)].sort());
    const unused = stack.filter((d) => d.policyName === "report-unused-waivers");
    assert.equal(unused.length, 1);
    assert.deepEqual(parseUnusedWaiver(unused[0]!.message), {
      control: "enforce-storage-geo-redundancy",
      resource: "type aws:s3/bucket*, role access-log-target",
    });
  });

  it("a type waiver does not cover another type; a waiver with no selector or an unknown role is refused", async () => {
    const server = await pack();
    await server.configure(
      configFile({ environment: "prod", waivers: [{ ...roleWaiver, type: "aws:s3/bucketV2:BucketV2" }] }),
    );
    assert.equal(geo(await server.analyzeStack([logs, data, logging])).length, 2);
    const { role: _role, type: _type, ...noSelector } = roleWaiver;
    await server.configure(configFile({ waivers: [noSelector] }));
    await assert.rejects(
      server.analyzeStack([data]),
      /waivers\[0\]: give at least one of resource, type, role/,
    );
    await server.configure(configFile({ waivers: [{ ...roleWaiver, role: "log-bucket" }] }));
    await assert.rejects(
      server.analyzeStack([data]),
      /waivers\[0\]\.role: expected one of access-log-target/,
    );
  });
});
