import { strict as assert } from "node:assert";
import { cidr, contains, overlaps } from "../components/cidr";
import { parseStackConfig, type StackConfig } from "../components/config";
import type { SiteContext } from "../components/context";
import { NetworkArgumentError, neverFromInternet, planNetwork } from "../components/network";
import { regionInfo } from "../components/regions";
import type { Plan, PlanResource } from "../tools/harness";
import { fixture, planFor } from "./helpers";

type Props = Record<string, unknown>;
const obj = (v: unknown): Props => (v && typeof v === "object" ? (v as Props) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === "string" ? v : "");

interface SiteUnderTest {
  readonly stack: string;
  readonly file?: string;
  readonly role: "primary" | "secondary";
  readonly cloud: "aws" | "azure" | "gcp";
  readonly production: boolean;
  readonly addressSpace: string;
  readonly zones: number;
  readonly egress: "none" | "single" | "perZone";
  readonly retention: number;
  readonly interfaceEndpoints: number;
  /** The other site's database blocks (its data tier; GCP's Private Service Access range instead). */
  readonly peerBlocks: number;
}

/** Every cloud in a dev and a prod shape: the repository's stacks plus two network fixtures. */
const sites: SiteUnderTest[] = [
  // Pulumi.dev.yaml
  { stack: "dev", role: "primary", cloud: "gcp", production: false, addressSpace: "10.20.0.0/16", zones: 1, egress: "single", retention: 90, interfaceEndpoints: 0, peerBlocks: 2 },
  { stack: "dev", role: "secondary", cloud: "aws", production: false, addressSpace: "10.21.0.0/16", zones: 2, egress: "single", retention: 90, interfaceEndpoints: 0, peerBlocks: 1 },
  // Pulumi.prod.yaml
  { stack: "prod", role: "primary", cloud: "aws", production: true, addressSpace: "10.0.0.0/16", zones: 3, egress: "perZone", retention: 365, interfaceEndpoints: 0, peerBlocks: 1 },
  { stack: "prod", role: "secondary", cloud: "azure", production: true, addressSpace: "10.1.0.0/16", zones: 3, egress: "perZone", retention: 365, interfaceEndpoints: 0, peerBlocks: 3 },
  // tests/fixtures/Pulumi.network-dev-azure.yaml
  { stack: "network-dev-azure", file: fixture("Pulumi.network-dev-azure.yaml"), role: "primary", cloud: "azure", production: false, addressSpace: "10.50.0.0/16", zones: 1, egress: "single", retention: 90, interfaceEndpoints: 0, peerBlocks: 1 },
  { stack: "network-dev-azure", file: fixture("Pulumi.network-dev-azure.yaml"), role: "secondary", cloud: "gcp", production: false, addressSpace: "10.51.0.0/20", zones: 1, egress: "none", retention: 30, interfaceEndpoints: 0, peerBlocks: 1 },
  // tests/fixtures/Pulumi.network-prod-gcp-aws.yaml
  { stack: "network-prod-gcp-aws", file: fixture("Pulumi.network-prod-gcp-aws.yaml"), role: "primary", cloud: "gcp", production: true, addressSpace: "10.60.0.0/16", zones: 3, egress: "perZone", retention: 365, interfaceEndpoints: 0, peerBlocks: 2 },
  { stack: "network-prod-gcp-aws", file: fixture("Pulumi.network-prod-gcp-aws.yaml"), role: "secondary", cloud: "aws", production: true, addressSpace: "10.61.0.0/18", zones: 2, egress: "none", retention: 400, interfaceEndpoints: 3, peerBlocks: 1 },
]; // prettier-ignore

/** The resources under a site's Network component (its direct children). */
function networkOf(plan: Plan, role: string): PlanResource[] {
  const component = plan.resources.find(
    (r) => r.type === "platform:network:Network" && r.name === `${role}-network`,
  );
  assert.ok(component, `no Network component for the ${role} site`);
  return plan.resources.filter((r) => r.parent === component.urn);
}

const ofType = (resources: PlanResource[], type: string) => resources.filter((r) => r.type === type);

function counts(resources: PlanResource[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of resources) out[r.type] = (out[r.type] ?? 0) + 1;
  return out;
}

/** The resource counts each cloud must create for a site (zones x tiers x strategy). */
function expectedCounts(s: SiteUnderTest): Record<string, number> {
  const nats = s.egress === "none" ? 0 : s.egress === "single" ? 1 : s.zones;
  switch (s.cloud) {
    case "aws":
      return {
        "aws:ec2/vpc:Vpc": 1,
        "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": 1,
        // public and private per zone; data in at least two zones (RDS subnet groups must cover two)
        "aws:ec2/subnet:Subnet": 2 * s.zones + Math.max(s.zones, 2),
        "aws:ec2/internetGateway:InternetGateway": 1,
        "aws:ec2/eip:Eip": nats,
        "aws:ec2/natGateway:NatGateway": nats,
        "aws:ec2/routeTable:RouteTable": 2 * s.zones + Math.max(s.zones, 2),
        "aws:ec2/routeTableAssociation:RouteTableAssociation": 2 * s.zones + Math.max(s.zones, 2),
        "aws:ec2/networkAcl:NetworkAcl": 3,
        "aws:ec2/securityGroup:SecurityGroup": s.interfaceEndpoints > 0 ? 4 : 3,
        // public 80+443, private from public + self, data postgres + redis (+ endpoints 443), and
        // postgres from each of the other site's database blocks
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule":
          6 + (s.interfaceEndpoints > 0 ? 1 : 0) + s.peerBlocks,
        // public to private, private out (anywhere, or VPC + S3 without egress)
        "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": s.egress === "none" ? 3 : 2,
        "aws:ec2/vpcEndpoint:VpcEndpoint": 1 + s.interfaceEndpoints,
        "aws:cloudwatch/logGroup:LogGroup": 1,
        "aws:iam/role:Role": 1,
        "aws:iam/rolePolicy:RolePolicy": 1,
        "aws:ec2/flowLog:FlowLog": 1,
      };
    case "azure":
      return {
        "azure-native:network:VirtualNetwork": 1,
        // public, private, data, endpoints, and the AKS API server's delegated subnet
        "azure-native:network:Subnet": 5,
        "azure-native:network:NetworkSecurityGroup": 5,
        "azure-native:network:RouteTable": 1,
        "azure-native:network:PublicIPAddress": nats > 0 ? 1 : 0,
        "azure-native:network:NatGateway": nats > 0 ? 1 : 0,
        "azure-native:managedidentity:UserAssignedIdentity": 1,
        "azure-native:storage:StorageAccount": 1,
        "azure-native:storage:BlobServiceProperties": 1,
        // Blob access logs of the flow-log account, to the site's Log Analytics workspace.
        "azure-native:monitor:DiagnosticSetting": 1,
        "azure-native:authorization:RoleAssignment": 1,
        "azure-native:network:FlowLog": 1,
        // postgres, blob, vault, redis, file, registry
        "azure-native:privatedns:PrivateZone": 6,
        "azure-native:privatedns:VirtualNetworkLink": 6,
        // Private endpoints (with DNS zone groups) for the site's Key Vault and the flow-log account.
        "azure-native:network:PrivateEndpoint": 2,
        "azure-native:network:PrivateDnsZoneGroup": 2,
      };
    case "gcp":
      return {
        "gcp:compute/network:Network": 1,
        "gcp:compute/subnetwork:Subnetwork": 3,
        "gcp:compute/route:Route": 3,
        "gcp:dns/managedZone:ManagedZone": 1,
        "gcp:dns/recordSet:RecordSet": 2,
        "gcp:compute/router:Router": nats > 0 ? 1 : 0,
        "gcp:compute/routerNat:RouterNat": nats > 0 ? 1 : 0,
        // deny-all ingress, public web, private, data; PSA egress deny + private-tier allow
        "gcp:compute/firewall:Firewall": 6,
        "gcp:logging/projectBucketConfig:ProjectBucketConfig": 1,
        "gcp:logging/projectSink:ProjectSink": 1,
        "gcp:logging/projectExclusion:ProjectExclusion": 1,
        "gcp:compute/globalAddress:GlobalAddress": 1,
        "gcp:servicenetworking/connection:Connection": 1,
      };
  }
}

/** Every address block the network carves out of the address space. */
function blocks(resources: PlanResource[]): string[] {
  return [
    ...ofType(resources, "aws:ec2/subnet:Subnet").map((r) => str(r.inputs.cidrBlock)),
    ...ofType(resources, "azure-native:network:Subnet").map((r) => str(r.inputs.addressPrefix)),
    ...ofType(resources, "gcp:compute/subnetwork:Subnetwork").map((r) => str(r.inputs.ipCidrRange)),
    ...ofType(resources, "gcp:compute/globalAddress:GlobalAddress").map(
      (r) => `${str(r.inputs.address)}/${String(r.inputs.prefixLength)}`,
    ),
  ];
}

const internet = new Set(["0.0.0.0/0", "*", "internet", "any"]);

/** Whether a port spec (number range, `a-b` text, `*`) covers `port`. */
function covers(spec: unknown, port: number): boolean {
  if (spec === undefined || spec === null || spec === "*") return true;
  const text = String(spec);
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!m) return false;
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  return port >= from && port <= to;
}

/** Rules (as `cloud: description`) that admit the internet on a forbidden port. */
function internetAdmissions(resources: PlanResource[]): string[] {
  const found: string[] = [];
  for (const r of resources) {
    const i = r.inputs;
    for (const port of neverFromInternet) {
      if (r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule") {
        const all = i.ipProtocol === "-1";
        const inRange = all || (Number(i.fromPort) <= port && port <= Number(i.toPort));
        if (str(i.cidrIpv4) === "0.0.0.0/0" && inRange) found.push(`${r.name} port ${port}`);
      }
      if (r.type === "aws:ec2/securityGroup:SecurityGroup" || r.type === "aws:ec2/networkAcl:NetworkAcl") {
        for (const e of list(i.ingress).map(obj)) {
          const allow = r.type === "aws:ec2/securityGroup:SecurityGroup" || e.action === "allow";
          const cidrs = [str(e.cidrBlock), ...list(e.cidrBlocks).map(str)];
          const all = e.protocol === "-1" || e.protocol === "all";
          const inRange = all || (Number(e.fromPort) <= port && port <= Number(e.toPort));
          if (allow && cidrs.includes("0.0.0.0/0") && inRange) found.push(`${r.name} port ${port}`);
        }
      }
      if (r.type === "azure-native:network:NetworkSecurityGroup") {
        for (const rule of list(i.securityRules).map(obj)) {
          if (rule.direction !== "Inbound" || rule.access !== "Allow") continue;
          const sources = [str(rule.sourceAddressPrefix), ...list(rule.sourceAddressPrefixes).map(str)];
          const ports = rule.destinationPortRanges
            ? list(rule.destinationPortRanges)
            : [rule.destinationPortRange];
          if (sources.some((s) => internet.has(s.toLowerCase())) && ports.some((p) => covers(p, port))) {
            found.push(`${r.name}/${str(rule.name)} port ${port}`);
          }
        }
      }
      if (r.type === "gcp:compute/firewall:Firewall" && str(i.direction ?? "INGRESS") === "INGRESS") {
        if (!list(i.sourceRanges).includes("0.0.0.0/0")) continue;
        for (const allow of list(i.allows).map(obj)) {
          const ports = allow.ports === undefined ? ["*"] : list(allow.ports);
          const all = allow.protocol === "all";
          if (all || ports.some((p) => covers(p, port))) found.push(`${r.name} port ${port}`);
        }
      }
    }
  }
  return found;
}

describe("network on every cloud, dev and prod shapes", function () {
  this.timeout(120_000);

  for (const s of sites) {
    describe(`${s.stack} ${s.role} (${s.cloud}, ${s.zones} zone${s.zones > 1 ? "s" : ""}, egress ${s.egress})`, () => {
      let resources: PlanResource[] = [];
      before(async () => {
        resources = networkOf(await planFor(s.stack, s.file), s.role);
      });

      it("creates the resources zones x tiers x strategy call for, and nothing else", () => {
        const expected = Object.fromEntries(Object.entries(expectedCounts(s)).filter(([, n]) => n > 0));
        assert.deepEqual(counts(resources), expected);
      });

      it("carves every subnet inside the address space, with no two overlapping", () => {
        const space = cidr(s.addressSpace);
        const found = blocks(resources);
        assert.ok(found.length >= 3);
        found.forEach((b, i) => {
          assert.ok(contains(space, cidr(b)), `${b} lies outside ${s.addressSpace}`);
          for (const other of found.slice(i + 1))
            assert.ok(!overlaps(cidr(b), cidr(other)), `${b} overlaps ${other}`);
        });
      });

      it("admits nothing from the internet on 22, 3389, 5432 or 6379", () => {
        assert.deepEqual(internetAdmissions(resources), []);
      });

      it("has flow logs for the network, encrypted with the site key, with the retention", () => {
        switch (s.cloud) {
          case "aws": {
            const [vpc] = ofType(resources, "aws:ec2/vpc:Vpc");
            const [flow] = ofType(resources, "aws:ec2/flowLog:FlowLog");
            const [group] = ofType(resources, "aws:cloudwatch/logGroup:LogGroup");
            assert.equal(flow!.inputs.vpcId, vpc!.id);
            assert.equal(flow!.inputs.trafficType, "ALL");
            assert.equal(flow!.inputs.logDestination, group!.outputs.arn);
            assert.equal(group!.inputs.retentionInDays, s.retention);
            assert.match(str(group!.inputs.kmsKeyId), /^arn:aws:kms:[a-z0-9-]+:\d{12}:key\//);
            assert.equal(group!.protect, s.production);
            const policy = JSON.parse(
              str(ofType(resources, "aws:iam/rolePolicy:RolePolicy")[0]!.inputs.policy),
            ) as { Statement: { Action: string[]; Resource: string[] }[] };
            assert.deepEqual(policy.Statement[0]!.Resource, [
              group!.outputs.arn,
              `${str(group!.outputs.arn)}:*`,
            ]);
            assert.ok(!policy.Statement[0]!.Action.includes("logs:*"));
            break;
          }
          case "azure": {
            const [vnet] = ofType(resources, "azure-native:network:VirtualNetwork");
            const [flow] = ofType(resources, "azure-native:network:FlowLog");
            const [account] = ofType(resources, "azure-native:storage:StorageAccount");
            assert.equal(flow!.inputs.targetResourceId, vnet!.id);
            assert.equal(flow!.inputs.storageId, account!.id);
            assert.deepEqual(flow!.inputs.retentionPolicy, { enabled: true, days: s.retention });
            const encryption = obj(account!.inputs.encryption);
            assert.equal(encryption.keySource, "Microsoft.Keyvault");
            assert.match(
              str(obj(encryption.keyVaultProperties).keyVaultUri),
              /^https:\/\/kv-.*\.vault\.azure\.net\/$/,
            );
            assert.equal(account!.inputs.allowSharedKeyAccess, false);
            assert.equal(account!.inputs.allowBlobPublicAccess, false);
            assert.equal(account!.inputs.minimumTlsVersion, "TLS1_2");
            assert.equal(obj(account!.inputs.networkRuleSet).defaultAction, "Deny");
            // Audit evidence: versioned everywhere; geo-redundant and WORM for the retention in production.
            const [blobs] = ofType(resources, "azure-native:storage:BlobServiceProperties");
            assert.equal(blobs!.inputs.isVersioningEnabled, true);
            assert.deepEqual(account!.inputs.sku, {
              name: s.production ? "Standard_RAGZRS" : "Standard_LRS",
            });
            const worm = account!.inputs.immutableStorageWithVersioning as
              Record<string, unknown> | undefined;
            if (s.production) {
              assert.equal(worm?.enabled, true);
              assert.equal(obj(worm!.immutabilityPolicy).immutabilityPeriodSinceCreationInDays, s.retention);
              // Azure refuses a policy created Locked (tests/azure-deployability.test.ts covers the lock).
              assert.equal(obj(worm!.immutabilityPolicy).state, "Unlocked");
            } else {
              assert.equal(worm, undefined);
            }
            break;
          }
          case "gcp": {
            for (const subnet of ofType(resources, "gcp:compute/subnetwork:Subnetwork")) {
              const log = obj(subnet.inputs.logConfig);
              assert.equal(log.metadata, "INCLUDE_ALL_METADATA", subnet.name);
              assert.equal(log.flowSampling, s.production ? 1 : 0.5, subnet.name);
              assert.equal(subnet.inputs.privateIpGoogleAccess, true, subnet.name);
            }
            const [bucket] = ofType(resources, "gcp:logging/projectBucketConfig:ProjectBucketConfig");
            assert.equal(bucket!.inputs.retentionDays, s.retention);
            assert.match(str(obj(bucket!.inputs.cmekSettings).kmsKeyName), /\/cryptoKeys\//);
            const [sink] = ofType(resources, "gcp:logging/projectSink:ProjectSink");
            assert.match(str(sink!.inputs.filter), /vpc_flows/);
            assert.equal(sink!.inputs.destination, `logging.googleapis.com/${bucket!.id}`);
            break;
          }
        }
      });

      it("gives the data tier no route to the internet", () => {
        switch (s.cloud) {
          case "aws": {
            const data = ofType(resources, "aws:ec2/subnet:Subnet").filter((r) =>
              r.name.includes("-subnet-data-"),
            );
            assert.equal(data.length, Math.max(s.zones, 2));
            const tables = new Map(ofType(resources, "aws:ec2/routeTable:RouteTable").map((r) => [r.id, r]));
            for (const subnet of data) {
              const assoc = ofType(resources, "aws:ec2/routeTableAssociation:RouteTableAssociation").find(
                (a) => a.inputs.subnetId === subnet.id,
              );
              const table = tables.get(str(assoc?.inputs.routeTableId));
              assert.ok(table, `no route table for ${subnet.name}`);
              assert.deepEqual(table.inputs.routes, [], `${table.name} has routes`);
            }
            const nacl = ofType(resources, "aws:ec2/networkAcl:NetworkAcl").find((r) =>
              r.name.endsWith("-acl-data"),
            );
            for (const rule of list(nacl!.inputs.egress).map(obj))
              assert.notEqual(rule.cidrBlock, "0.0.0.0/0");
            break;
          }
          case "azure": {
            const data = ofType(resources, "azure-native:network:Subnet").find((r) =>
              r.name.endsWith("-subnet-data"),
            )!;
            assert.equal(data.inputs.natGateway, undefined);
            assert.equal(data.inputs.defaultOutboundAccess, false);
            const table = ofType(resources, "azure-native:network:RouteTable")[0]!;
            assert.equal(obj(data.inputs.routeTable).id, table.id);
            assert.deepEqual(list(table.inputs.routes).map(obj), [
              { name: "no-internet", addressPrefix: "0.0.0.0/0", nextHopType: "None" },
            ]);
            assert.deepEqual(list(data.inputs.delegations).map(obj), [
              { name: "postgres-flexible-server", serviceName: "Microsoft.DBforPostgreSQL/flexibleServers" },
            ]);
            break;
          }
          case "gcp": {
            const [vpc] = ofType(resources, "gcp:compute/network:Network");
            assert.equal(vpc!.inputs.deleteDefaultRoutesOnCreate, true);
            assert.equal(vpc!.inputs.autoCreateSubnetworks, false);
            const toInternet = ofType(resources, "gcp:compute/route:Route").filter(
              (r) => r.inputs.destRange === "0.0.0.0/0",
            );
            assert.equal(toInternet.length, 1);
            const tags = list(toInternet[0]!.inputs.tags).map(str);
            assert.ok(
              tags.length > 0 && tags.every((t) => !t.endsWith("-data")),
              `internet route tags: ${tags}`,
            );
            assert.equal(
              tags.some((t) => t.endsWith("-private")),
              s.egress !== "none",
            );
            break;
          }
        }
      });
    });
  }

  it("takes over the AWS default security group with no rules, and gives the data tier only the DB ports", async () => {
    const resources = networkOf(await planFor("prod"), "primary");
    const [sg] = ofType(resources, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
    assert.equal(sg!.inputs.ingress, undefined);
    assert.equal(sg!.inputs.egress, undefined);
    const groups = new Map(
      ofType(resources, "aws:ec2/securityGroup:SecurityGroup").map((g) => [g.id, g.name]),
    );
    const dataIn = ofType(resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter(
      (r) => groups.get(str(r.inputs.securityGroupId)) === "primary-network-sg-data",
    );
    assert.deepEqual(
      dataIn
        .map((r) => [
          r.inputs.fromPort,
          groups.get(str(r.inputs.referencedSecurityGroupId)) ?? r.inputs.cidrIpv4,
        ])
        .sort((a, b) => String(a).localeCompare(String(b))),
      [
        // the other site's (Azure) data subnet, for database replication across the interconnect
        [5432, "10.1.4.0/22"],
        [5432, "primary-network-sg-private"],
        [6379, "primary-network-sg-private"],
      ],
    );
  });

  it("denies all GCP ingress at the lowest priority and leaves SSH/RDP closed everywhere", async () => {
    const resources = networkOf(await planFor("dev"), "primary");
    const deny = ofType(resources, "gcp:compute/firewall:Firewall").find((r) =>
      r.name.endsWith("deny-all-ingress"),
    );
    assert.equal(deny!.inputs.priority, 65534);
    assert.deepEqual(deny!.inputs.denies, [{ protocol: "all" }]);
  });
});

/**
 * Whether a VM carrying `tags` may send TCP to `port` at `destination`, by the VPC firewall's rules:
 * egress rules whose target tags match (or that have none) and whose destination ranges contain the
 * address; the lowest priority number wins, a deny beats an allow of the same priority, and the implied
 * rule allows all egress (https://cloud.google.com/firewall/docs/firewalls#default_firewall_rules).
 */
function gcpEgressAllowed(
  firewalls: PlanResource[],
  tags: string[],
  destination: string,
  port: number,
): boolean {
  let verdict: { priority: number; allow: boolean } = { priority: 65535, allow: true };
  for (const r of firewalls) {
    const i = r.inputs;
    if (str(i.direction) !== "EGRESS") continue;
    const targets = list(i.targetTags).map(str);
    if (targets.length > 0 && !targets.some((t) => tags.includes(t))) continue;
    if (!list(i.destinationRanges).some((range) => contains(cidr(str(range)), cidr(`${destination}/32`))))
      continue;
    const allow = list(i.allows).length > 0;
    const entries = list(allow ? i.allows : i.denies).map(obj);
    const matches = entries.some(
      (e) =>
        e.protocol === "all" ||
        (e.protocol === "tcp" && (e.ports === undefined || list(e.ports).some((p) => covers(str(p), port)))),
    );
    if (!matches) continue;
    const priority = Number(i.priority ?? 1000);
    if (priority < verdict.priority || (priority === verdict.priority && !allow))
      verdict = { priority, allow };
  }
  return verdict.allow;
}

describe("GCP: the database in the producer network is reachable from the private tier only", function () {
  this.timeout(120_000);
  for (const [stack, file, role] of [
    ["dev", undefined, "primary"],
    ["network-prod-gcp-aws", fixture("Pulumi.network-prod-gcp-aws.yaml"), "primary"],
    ["network-dev-azure", fixture("Pulumi.network-dev-azure.yaml"), "secondary"],
  ] as const) {
    it(`${stack} ${role}: egress to the Private Service Access range on 5432/3307/6379/2049 only from the private tier`, async () => {
      const resources = networkOf(await planFor(stack, file), role);
      const [range] = ofType(resources, "gcp:compute/globalAddress:GlobalAddress");
      // An address Cloud SQL could get inside the allocated range.
      const dbAddress = str(range!.inputs.address).replace(/\.\d+$/, ".3");
      const firewalls = ofType(resources, "gcp:compute/firewall:Firewall");
      const tagOf = (tier: string) => {
        const rule = firewalls.find((f) =>
          f.name.endsWith(`-fw-allow-${tier === "public" ? "public-web" : tier}`),
        );
        return str(list(rule!.inputs.targetTags)[0]);
      };
      for (const port of [5432, 3307, 6379, 2049]) {
        assert.equal(
          gcpEgressAllowed(firewalls, [tagOf("private")], dbAddress, port),
          true,
          `private ${port}`,
        );
        assert.equal(
          gcpEgressAllowed(firewalls, [tagOf("public")], dbAddress, port),
          false,
          `public ${port}`,
        );
        assert.equal(gcpEgressAllowed(firewalls, [tagOf("data")], dbAddress, port), false, `data ${port}`);
        assert.equal(gcpEgressAllowed(firewalls, [], dbAddress, port), false, `untagged ${port}`);
      }
      // Nothing but the data ports, even from the private tier.
      assert.equal(gcpEgressAllowed(firewalls, [tagOf("private")], dbAddress, 22), false);
    });
  }

  it("excludes the flow logs it routes to the CMEK bucket from the _Default sink, with the same filter", async () => {
    const resources = networkOf(await planFor("dev"), "primary");
    const [sink] = ofType(resources, "gcp:logging/projectSink:ProjectSink");
    const [exclusion] = ofType(resources, "gcp:logging/projectExclusion:ProjectExclusion");
    assert.equal(exclusion!.inputs.filter, sink!.inputs.filter);
    assert.equal(exclusion!.inputs.disabled ?? false, false);
    assert.ok(exclusion!.dependencies.includes(sink!.urn), "the exclusion waits for the sink");
  });
});

/** A minimal site context for the contract's validation (no resources are created). */
function context(cloud: "aws" | "azure" | "gcp", region: string, addressSpace: string): SiteContext {
  const parsed = parseStackConfig({
    environment: "dev",
    owner: "team",
    costCenter: "cc",
    dataClassification: "internal",
    frameworks: ["soc2"],
    alertContacts: [{ name: "x", email: "x@example.com" }],
    primary:
      cloud === "aws"
        ? { cloud, region, addressSpace, accountId: "111111111111" }
        : cloud === "azure"
          ? {
              cloud,
              region,
              addressSpace,
              subscriptionId: "00000000-0000-4000-8000-000000000001",
              tenantId: "00000000-0000-4000-8000-0000000000aa",
            }
          : { cloud, region, addressSpace, project: "acme-test-1" },
  });
  assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.problems));
  const stack: StackConfig = parsed.config;
  return {
    cloud,
    role: "primary",
    stack,
    site: stack.primary,
    production: false,
    zones: regionInfo(cloud, region)!.zones.slice(0, 1),
    provider: undefined as never,
    uniqueSuffix: undefined as never,
    replicaRegion: undefined,
  } as SiteContext;
}

describe("network arguments are validated before anything is created", () => {
  it("rejects an address space too small for the tiers, with the numbers", () => {
    assert.throws(
      () =>
        planNetwork(context("aws", "eu-west-1", "10.0.0.0/16"), {
          addressSpace: "10.0.0.0/24",
          tiers: { private: { prefixLength: 26 } },
        }),
      (err: unknown) =>
        err instanceof NetworkArgumentError &&
        /^addressSpace: address space 10\.0\.0\.0\/24 \(256 addresses\) is too small for 3 tiers x their zone slots \(public 6 x \/28, private 6 x \/26, data 6 x \/28: 576 addresses\)/.test(
          err.message,
        ),
    );
  });

  it("rejects more zones than the region offers, and unknown zones", () => {
    assert.throws(
      () => planNetwork(context("aws", "eu-west-1", "10.0.0.0/16"), { zones: 4 }),
      /^NetworkArgumentError: zones: expected between 1 and 3 zones \(what eu-west-1 offers\), found 4$/,
    );
    assert.throws(
      () => planNetwork(context("aws", "eu-west-1", "10.0.0.0/16"), { zones: ["eu-west-1a", "us-east-1a"] }),
      /zones: expected distinct zones of eu-west-1 \(eu-west-1a, eu-west-1b, eu-west-1c\), found eu-west-1a, us-east-1a/,
    );
  });

  it("rejects an unknown egress strategy and AWS-only settings elsewhere", () => {
    assert.throws(
      () => planNetwork(context("gcp", "europe-west1", "10.0.0.0/16"), { egress: "dual" as never }),
      /egress: expected one of none, single, perZone, found 'dual'/,
    );
    assert.throws(
      () => planNetwork(context("azure", "westeurope", "10.0.0.0/16"), { interfaceEndpoints: ["ssm"] }),
      /interfaceEndpoints: expected none on azure \(AWS only\), found ssm/,
    );
  });

  it("plans zonal subnets on AWS and regional ones elsewhere, with environment defaults", () => {
    const aws = planNetwork(context("aws", "eu-west-1", "10.0.0.0/16"), { zones: 3 });
    assert.deepEqual(
      aws.subnets.filter((s) => s.tier === "private").map((s) => `${s.zone} ${s.cidr}`),
      ["eu-west-1a 10.0.16.0/20", "eu-west-1b 10.0.32.0/20", "eu-west-1c 10.0.48.0/20"],
    );
    assert.equal(aws.egress, "single");
    assert.equal(aws.flowLogRetentionDays, 90);
    const azure = planNetwork(context("azure", "westeurope", "10.1.0.0/16"), {});
    assert.deepEqual(
      azure.subnets.map((s) => `${s.tier} ${String(s.zone)} ${s.cidr}`),
      [
        "public undefined 10.1.0.0/22",
        "private undefined 10.1.64.0/18",
        "data undefined 10.1.4.0/22",
        "endpoints undefined 10.1.8.0/24",
        "gateway undefined 10.1.9.0/27",
        "apiserver undefined 10.1.9.32/28",
      ],
    );
  });
});

describe("network settings in the stack config", () => {
  const base = (primary: Props): Props => ({
    environment: "dev",
    owner: "team",
    costCenter: "cc",
    dataClassification: "internal",
    frameworks: ["soc2"],
    alertContacts: [{ name: "x", email: "x@example.com" }],
    primary,
  });
  const problems = (primary: Props) => {
    const r = parseStackConfig(base(primary));
    assert.equal(r.ok, false);
    return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
  };

  it("names the setting, what was expected and what was found", () => {
    assert.deepEqual(
      problems({
        cloud: "aws",
        region: "eu-west-1",
        addressSpace: "10.0.0.0/16",
        accountId: "111111111111",
        network: { egress: "dual", flowLogRetentionDays: 100 },
      }),
      [
        "platform:primary.network.egress: expected one of none, single, perZone, found 'dual'",
        "platform:primary.network.flowLogRetentionDays: expected a CloudWatch Logs retention period (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653), found number 100",
      ],
    );
    assert.deepEqual(
      problems({
        cloud: "azure",
        region: "westeurope",
        addressSpace: "10.0.0.0/16",
        subscriptionId: "00000000-0000-4000-8000-000000000001",
        tenantId: "00000000-0000-4000-8000-0000000000aa",
        network: { flowLogRetentionDays: 400 },
      }),
      ["platform:primary.network.flowLogRetentionDays: expected at most 365, found number 400"],
    );
  });

  it("rejects an address space the tiers do not fit, before any resource", () => {
    const found = problems({
      cloud: "aws",
      region: "eu-west-1",
      addressSpace: "10.0.0.0/22",
      accountId: "111111111111",
      network: { tiers: { private: { prefixLength: 22 } } },
    });
    assert.equal(found.length, 1);
    assert.match(
      found[0]!,
      /^platform:primary\.addressSpace: expected an address space that fits the subnet tiers: address space 10\.0\.0\.0\/22 \(1024 addresses\) is too small .*private 6 x \/22.*, found '10\.0\.0\.0\/22'$/,
    );
  });
});
