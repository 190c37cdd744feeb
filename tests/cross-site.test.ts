/**
 * Cross-site database access: on every two-site stack of the matrix, each site's data tier admits
 * PostgreSQL from the other site's database blocks (and, on AWS's stateless ACLs, exchanges the replies and
 * its own connections with them), and nothing on any tier admits 5432 from outside the site except those
 * blocks, which lie inside the prefixes the interconnect routes (never 0.0.0.0/0). Single-site stacks open
 * nothing across sites.
 */
import { strict as assert } from "node:assert";
import { cidr, contains } from "../components/cidr";
import { parseStackConfig, rawConfigObject, type SiteRole, type StackConfig } from "../components/config";
import { crossSiteAccess, databasePrefixes, plannedNetwork } from "../components/cross-site";
import { NetworkArgumentError, planNetwork, type NetworkPlanContext } from "../components/network";
import { regionInfo } from "../components/regions";
import type { Plan, PlanResource } from "../tools/harness";
import { overlayRanges, siteAddressSpaces } from "../providers/azure/aks-network";
import { planFor } from "./helpers";
import { matrix } from "./matrix";

/** The pod range of the site's AKS cluster (part of the site, not routed outside it); none elsewhere. */
function clusterPods(config: StackConfig, role: SiteRole): string[] {
  return config[role]?.cloud === "azure" ? [overlayRanges(siteAddressSpaces(config)).podCidr] : [];
}

type Props = Record<string, unknown>;
const obj = (v: unknown): Props => (v && typeof v === "object" ? (v as Props) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === "string" ? v : "");

const postgres = 5432;
const peerOf = (role: SiteRole): SiteRole => (role === "primary" ? "secondary" : "primary");

function configOf(plan: Plan): StackConfig {
  // Secret keys (platform:onCall carries a secure integration key) are "[secret]" in a plan: this test
  // reads only the sites, so they are left out.
  const config = Object.fromEntries(Object.entries(plan.config).filter(([, v]) => v !== "[secret]"));
  const parsed = parseStackConfig(rawConfigObject(config));
  assert.ok(parsed.ok, "the plan's config parses");
  return parsed.config;
}

/** The resources of a site's Network component. */
function networkOf(plan: Plan, role: SiteRole): PlanResource[] {
  const component = plan.resources.find(
    (r) => r.type === "platform:network:Network" && r.name === `${role}-network`,
  );
  assert.ok(component, `no Network component for the ${role} site`);
  return plan.resources.filter((r) => r.parent === component.urn);
}

/** Whether a port spec (number, `a-b`, `*`, undefined) covers `port`. */
function covers(spec: unknown, port: number): boolean {
  if (spec === undefined || spec === null || spec === "*") return true;
  const m = /^(\d+)(?:-(\d+))?$/.exec(String(spec));
  if (!m) return false;
  const to = m[2] === undefined ? Number(m[1]) : Number(m[2]);
  return port >= Number(m[1]) && port <= to;
}
const inRange = (e: Props, port: number) =>
  e.protocol === "-1" || e.protocol === "all" || (Number(e.fromPort) <= port && port <= Number(e.toPort));

/** Every source a network admits `port` from, as `resource/rule: source`. */
function admissions(resources: PlanResource[], port: number): { where: string; source: string }[] {
  const out: { where: string; source: string }[] = [];
  for (const r of resources) {
    const i = r.inputs;
    if (r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && i.cidrIpv4) {
      if (inRange(i, port)) out.push({ where: r.name, source: str(i.cidrIpv4) });
    }
    if (r.type === "aws:ec2/networkAcl:NetworkAcl") {
      for (const e of list(i.ingress).map(obj))
        if (e.action === "allow" && inRange(e, port))
          out.push({ where: `${r.name}/${String(e.ruleNo)}`, source: str(e.cidrBlock) });
    }
    if (r.type === "azure-native:network:NetworkSecurityGroup") {
      for (const rule of list(i.securityRules).map(obj)) {
        if (rule.direction !== "Inbound" || rule.access !== "Allow") continue;
        const ports = rule.destinationPortRanges
          ? list(rule.destinationPortRanges)
          : [rule.destinationPortRange];
        if (!ports.some((p) => covers(p, port))) continue;
        const sources = rule.sourceAddressPrefixes
          ? list(rule.sourceAddressPrefixes).map(str)
          : [str(rule.sourceAddressPrefix)];
        for (const source of sources) out.push({ where: `${r.name}/${str(rule.name)}`, source });
      }
    }
    if (r.type === "gcp:compute/firewall:Firewall" && str(i.direction || "INGRESS") === "INGRESS") {
      const allows = list(i.allows).map(obj);
      const open = allows.some(
        (a) => a.protocol === "all" || a.ports === undefined || list(a.ports).some((p) => covers(p, port)),
      );
      if (open) for (const source of list(i.sourceRanges).map(str)) out.push({ where: r.name, source });
    }
  }
  return out;
}

const isCidr = (s: string) => /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(s);
const within = (inner: string, outer: string) => contains(cidr(outer), cidr(inner));

describe("cross-site database access (components/cross-site.ts)", function () {
  this.timeout(300_000);

  for (const m of matrix) {
    describe(m.name, () => {
      let plan: Plan;
      let config: StackConfig;
      before(async () => {
        plan = await planFor(m.name, m.file);
        config = configOf(plan);
      });

      if (!m.secondary) {
        it("a single-site stack opens nothing across sites", () => {
          assert.equal(crossSiteAccess(config), undefined);
          const own = [config.primary.addressSpace, ...clusterPods(config, "primary")];
          const outside = admissions(networkOf(plan, "primary"), postgres).filter(
            (a) => isCidr(a.source) && !own.some((o) => within(a.source, o)),
          );
          assert.deepEqual(outside, []);
        });
        return;
      }

      for (const role of ["primary", "secondary"] as const) {
        it(`${role}: admits 5432 from outside the site only from the peer's routed private/data prefixes`, () => {
          const site = config[role]!;
          const routed = list(obj(obj(plan.outputs?.interconnect)[role]).peerPrefixes).map(str);
          assert.ok(routed.length > 0, "the interconnect routes the peer's prefixes");
          const access = crossSiteAccess(config)![role];
          assert.deepEqual(access.ports, [postgres]);
          for (const block of access.cidrs) {
            assert.ok(
              routed.some((p) => within(block, p)),
              `${block} is not routed by the interconnect`,
            );
          }
          const problems = admissions(networkOf(plan, role), postgres)
            .filter((a) => a.source !== "AzureLoadBalancer") // the platform's health probe, on every NSG
            .filter((a) => !(isCidr(a.source) && within(a.source, site.addressSpace)))
            // The site's own AKS pods (Azure CNI Overlay range, never routed outside the cluster).
            .filter((a) => !(isCidr(a.source) && clusterPods(config, role).some((p) => within(a.source, p))))
            .filter((a) => !(isCidr(a.source) && access.cidrs.some((c) => within(a.source, c))))
            .map((a) => `${a.where}: ${a.source}`);
          assert.deepEqual(
            problems,
            [],
            "5432 admitted from outside the site and the peer's database blocks",
          );
        });

        it(`${role}: the peer's database blocks are the blocks its network actually builds`, () => {
          const peer = peerOf(role);
          const planned = databasePrefixes(plannedNetwork(config, peer)!);
          assert.deepEqual(crossSiteAccess(config)![role].cidrs, planned);
          const built = networkOf(plan, peer).flatMap((r) => [
            str(r.inputs.cidrBlock),
            str(r.inputs.addressPrefix),
            str(r.inputs.ipCidrRange),
            r.inputs.address ? `${str(r.inputs.address)}/${String(r.inputs.prefixLength)}` : "",
          ]);
          for (const block of planned) assert.ok(built.includes(block), `${peer} builds no block ${block}`);
        });

        it(`${role}: the data tier's own rules let replication through, both ways`, () => {
          const cloud = config[role]!.cloud;
          const access = crossSiteAccess(config)![role];
          const resources = networkOf(plan, role);
          switch (cloud) {
            case "aws": {
              const sgIn = resources.filter(
                (r) =>
                  r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" &&
                  r.name.includes("-sg-data-in-peer-"),
              );
              assert.deepEqual(
                sgIn.map((r) => [r.inputs.cidrIpv4, r.inputs.fromPort, r.inputs.toPort]).sort(),
                access.cidrs.map((c) => [c, postgres, postgres]).sort(),
              );
              const acl = resources.find((r) => r.name === `${role}-network-acl-data`)!;
              const ingress = list(acl.inputs.ingress).map(obj);
              const egress = list(acl.inputs.egress).map(obj);
              for (const c of access.cidrs) {
                const from = ingress.filter((e) => e.cidrBlock === c && e.action === "allow");
                assert.ok(
                  from.some((e) => inRange(e, postgres)),
                  `ACL: 5432 from ${c}`,
                );
                assert.ok(
                  from.some((e) => e.fromPort === 1024 && e.toPort === 65535),
                  `ACL: replies from ${c}`,
                );
                const to = egress.filter((e) => e.cidrBlock === c && e.action === "allow");
                assert.ok(
                  to.some((e) => e.fromPort === 1024 && e.toPort === 65535),
                  `ACL: replies and 5432 to ${c}`,
                );
              }
              // The replication instance (on the receiving site) reaches the peer's database blocks only.
              const dmsOut = plan.resources.filter(
                (r) =>
                  r.type === "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule" &&
                  /-sg-out-peer/.test(r.name),
              );
              assert.equal(dmsOut.length > 0, role === "secondary", "DMS egress rules on the receiving site");
              for (const r of dmsOut) {
                assert.ok(
                  access.cidrs.includes(str(r.inputs.cidrIpv4)),
                  `${r.name}: ${str(r.inputs.cidrIpv4)}`,
                );
                assert.equal(r.inputs.fromPort, postgres);
              }
              // Under the default quota (20 per direction, the default deny included) with unique numbers.
              for (const nacl of resources.filter((r) => r.type === "aws:ec2/networkAcl:NetworkAcl")) {
                for (const dir of ["ingress", "egress"] as const) {
                  const numbers = list(nacl.inputs[dir]).map((e) => Number(obj(e).ruleNo));
                  assert.ok(numbers.length <= 19, `${nacl.name} ${dir}: ${numbers.length} rules`);
                  assert.equal(
                    new Set(numbers).size,
                    numbers.length,
                    `${nacl.name} ${dir}: duplicate numbers`,
                  );
                }
              }
              break;
            }
            case "azure": {
              const nsg = resources.find(
                (r) => r.type === "azure-native:network:NetworkSecurityGroup" && r.name.endsWith("-nsg-data"),
              )!;
              const rules = list(nsg.inputs.securityRules).map(obj);
              const named = (n: string) => rules.find((r) => r.name === n)!;
              assert.deepEqual(named("allow-db-from-peer-site").sourceAddressPrefixes, access.cidrs);
              assert.deepEqual(named("allow-db-from-peer-site").destinationPortRanges, ["5432"]);
              assert.ok(
                Number(named("allow-db-from-peer-site").priority) <
                  Number(named("deny-all-inbound").priority),
              );
              // Towards the peer: 5432 allowed, everything else denied, both before allow-vnet.
              const vnet = Number(named("allow-vnet").priority);
              assert.deepEqual(named("allow-db-to-peer-site").destinationAddressPrefixes, access.cidrs);
              assert.ok(
                Number(named("allow-db-to-peer-site").priority) <
                  Number(named("deny-other-to-peer-site").priority),
              );
              assert.ok(Number(named("deny-other-to-peer-site").priority) < vnet);
              for (const dir of ["Inbound", "Outbound"]) {
                const priorities = rules.filter((r) => r.direction === dir).map((r) => Number(r.priority));
                assert.equal(new Set(priorities).size, priorities.length, `${dir} priorities are unique`);
              }
              break;
            }
            case "gcp": {
              // Cloud SQL sits in the producer network: no firewall rule applies to it. The path needs the
              // Private Service Access range advertised to the peer and the learned routes exported to it.
              const psa = resources.find((r) => r.type === "gcp:compute/globalAddress:GlobalAddress")!;
              const range = `${str(psa.inputs.address)}/${String(psa.inputs.prefixLength)}`;
              const router = plan.resources.find(
                (r) => r.type === "gcp:compute/router:Router" && r.name === `interconnect-${role}-router`,
              );
              assert.ok(router, "the interconnect's Cloud Router");
              const bgp = obj(router.inputs.bgp);
              assert.equal(bgp.advertiseMode, "CUSTOM");
              assert.ok(
                list(bgp.advertisedIpRanges).some((a) => obj(a).range === range),
                `the Cloud Router advertises the PSA range ${range}`,
              );
              const peering = plan.resources.find(
                (r) => r.type === "gcp:compute/networkPeeringRoutesConfig:NetworkPeeringRoutesConfig",
              );
              assert.equal(peering?.inputs.peering, "servicenetworking-googleapis-com");
              assert.equal(peering?.inputs.exportCustomRoutes, true);
              break;
            }
          }
        });
      }
    });
  }
});

describe("cross-site access is validated by the network", () => {
  const ctx: NetworkPlanContext = {
    cloud: "aws",
    site: { cloud: "aws", region: "eu-west-1", addressSpace: "10.0.0.0/16" } as never,
    zones: regionInfo("aws", "eu-west-1")!.zones.slice(0, 1),
    production: false,
  };
  it("refuses the internet, its own address space, public blocks and bad ports, naming them", () => {
    const plan =
      (cidrs: string[], ports = [5432]) =>
      () =>
        planNetwork(ctx, { crossSite: { cidrs, ports } });
    assert.throws(
      plan(["0.0.0.0/0"]),
      (e: Error) => e instanceof NetworkArgumentError && /0\.0\.0\.0\/0/.test(e.message),
    );
    assert.throws(plan(["8.8.8.0/24"]), /private \(RFC 1918\)/);
    assert.throws(plan(["10.0.4.0/24"]), /outside this site's address space 10\.0\.0\.0\/16/);
    assert.throws(plan(["10.1.0.0/24"], [0]), /TCP ports 1-65535, found 0/);
    assert.throws(plan([]), /at least one block/);
    assert.deepEqual(planNetwork(ctx, { crossSite: { cidrs: ["10.1.4.0/22"], ports: [5432] } }).crossSite, {
      cidrs: ["10.1.4.0/22"],
      ports: [5432],
    });
    assert.equal(planNetwork(ctx, {}).crossSite, undefined);
  });
});
