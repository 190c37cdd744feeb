import { strict as assert } from "node:assert";
import { cidr, contains } from "../components/cidr";
import {
  InterconnectError,
  planInterconnect,
  siteAsn,
  type EndpointModel,
  type HalfInput,
} from "../components/interconnect";
import { clouds, type Cloud } from "../components/regions";
import { vpnImplementations } from "../providers/vpn";
import { secretSig, sigKey, type Plan, type PlanResource } from "../tools/harness";
import { fixture, planFor } from "./helpers";

type Props = Record<string, unknown>;
const obj = (v: unknown): Props => (v && typeof v === "object" ? (v as Props) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

const endpoints = (cloud: Cloud): EndpointModel => vpnImplementations[cloud].endpoints;
const half = (role: "primary" | "secondary", cloud: Cloud, prefixes: string[] = []): HalfInput => ({
  role,
  cloud,
  endpoints: endpoints(cloud),
  prefixes,
});

/** AWS reserves these inside /30s; Azure's custom BGP (APIPA) range is 169.254.21.0-169.254.22.255. */
const awsReserved = [
  "169.254.0.0/30",
  "169.254.1.0/30",
  "169.254.2.0/30",
  "169.254.3.0/30",
  "169.254.4.0/30",
  "169.254.5.0/30",
  "169.254.169.252/30",
];
const azureApipa = ["169.254.21.0/24", "169.254.22.0/24"];

const orderedPairs: [Cloud, Cloud][] = clouds.flatMap((a) =>
  clouds.filter((b) => b !== a).map((b) => [a, b] as [Cloud, Cloud]),
);
const expectedTunnels = (a: Cloud, b: Cloud): number => (a === "aws" || b === "aws" ? 4 : 2);

describe("interconnect plan (pure)", () => {
  it("gives every site a distinct private ASN that no cloud reserves", () => {
    const asns = ["primary", "secondary"].flatMap((role) => clouds.map((c) => siteAsn(role as "primary", c)));
    assert.equal(new Set(asns).size, asns.length);
    for (const asn of asns) {
      assert.ok(asn >= 64512 && asn <= 65514, `${asn} in the 16-bit private range`);
      assert.ok(asn < 65515 || asn > 65520, `${asn} clear of Azure's reserved 65515-65520`);
    }
  });

  for (const [a, b] of orderedPairs) {
    it(`${a} -> ${b}: ${expectedTunnels(a, b)} tunnels, mirrored views, inside /30s valid on both clouds`, () => {
      const plans = planInterconnect(
        half("primary", a, ["10.0.1.0/24"]),
        half("secondary", b, ["10.1.1.0/24"]),
      );
      const p = plans.primary;
      const s = plans.secondary;
      assert.equal(p.tunnels.length, expectedTunnels(a, b));
      assert.equal(s.tunnels.length, p.tunnels.length);
      assert.notEqual(p.asn, s.asn);
      assert.equal(p.peerAsn, s.asn);
      assert.deepEqual(p.peerPrefixes, ["10.1.1.0/24"]);
      assert.deepEqual(s.peerPrefixes, ["10.0.1.0/24"]);
      const cidrs = new Set<string>();
      for (const t of p.tunnels) {
        const mirror = s.tunnels.find((x) => x.index === t.index)!;
        assert.equal(mirror.insideCidr, t.insideCidr);
        assert.equal(mirror.localInsideIp, t.peerInsideIp);
        assert.equal(mirror.peerInterface, t.localInterface);
        assert.ok(!cidrs.has(t.insideCidr), `inside ${t.insideCidr} used once`);
        cidrs.add(t.insideCidr);
        const inside = cidr(t.insideCidr);
        assert.equal(inside.prefix, 30);
        assert.ok(
          azureApipa.some((r) => contains(cidr(r), inside)),
          `${t.insideCidr} in Azure's APIPA range`,
        );
        assert.ok(!awsReserved.includes(t.insideCidr), `${t.insideCidr} not reserved by AWS`);
        // AWS takes the first host of every /30.
        const awsSide = a === "aws" ? t : b === "aws" ? mirror : undefined;
        if (awsSide) assert.match(awsSide.localInsideIp, /\.(1|5|9|13)$/);
      }
      // Every public interface of a gateway-first half is used (the 99.99% topologies of HA VPN).
      for (const view of [p, s]) {
        const model = endpoints(view.cloud);
        if (model.kind === "gateway") {
          assert.deepEqual(
            [...new Set(view.tunnels.map((t) => t.localInterface))].sort(),
            Array.from({ length: model.interfaces }, (_, i) => i),
          );
        }
      }
    });
  }

  it("refuses two sites on one cloud and two per-connection halves", () => {
    assert.throws(
      () => planInterconnect(half("primary", "aws"), half("secondary", "aws")),
      InterconnectError,
    );
    assert.throws(
      () =>
        planInterconnect(
          { ...half("primary", "aws"), cloud: "aws" },
          {
            ...half("secondary", "azure"),
            endpoints: { kind: "perPeerInterface", tunnelsPerPeerInterface: 2 },
          },
        ),
      /both create their addresses only per connection/,
    );
  });
});

interface PairUnderTest {
  readonly stack: string;
  readonly file?: string;
  readonly primary: Cloud;
  readonly secondary: Cloud;
  /** Custom resources under the interconnect (keys and provider included). */
  readonly resources: number;
}

const pairs: PairUnderTest[] = [
  { stack: "prod", primary: "aws", secondary: "azure", resources: 30 },
  {
    stack: "resnet-prod-gcp-aws",
    file: "Pulumi.resnet-prod-gcp-aws.yaml",
    primary: "gcp",
    secondary: "aws",
    resources: 33,
  },
  {
    stack: "resnet-prod-azure-gcp",
    file: "Pulumi.resnet-prod-azure-gcp.yaml",
    primary: "azure",
    secondary: "gcp",
    resources: 22,
  },
  { stack: "dev", primary: "gcp", secondary: "aws", resources: 31 }, // two AWS zones: route propagation to 2 private + 2 data route tables
];

const isSecret = (v: unknown): boolean => obj(v)[sigKey] === secretSig;

/** Properties that carry a pre-shared key, per VPN resource type. */
const pskProps: Record<string, string[]> = {
  "aws:ec2/vpnConnection:VpnConnection": ["tunnel1PresharedKey", "tunnel2PresharedKey"],
  "azure-native:network:VirtualNetworkGatewayConnection": ["sharedKey"],
  "gcp:compute/vPNTunnel:VPNTunnel": ["sharedSecretWo"],
};

describe("interconnect in the program", () => {
  for (const pair of pairs) {
    describe(`${pair.stack}: ${pair.primary} -> ${pair.secondary}`, () => {
      let plan: Plan;
      let under: PlanResource[];
      before(async () => {
        plan = await planFor(pair.stack, pair.file ? fixture(pair.file) : undefined);
        const root = plan.resources.find((r) => r.type === "platform:network:Interconnect");
        assert.ok(root, "an Interconnect component");
        const parents = new Set([root.urn]);
        under = plan.resources.filter((r) => {
          let p = r.parent;
          while (p) {
            if (parents.has(p)) return true;
            p = plan.resources.find((x) => x.urn === p)?.parent ?? "";
          }
          return false;
        });
      });

      it("is a child of neither site, and builds both halves with each site's provider", () => {
        const root = plan.resources.find((r) => r.type === "platform:network:Interconnect")!;
        assert.ok(root.parent.endsWith("pulumi:pulumi:Stack::" + root.parent.split("::").pop()));
        const custom = under.filter((r) => r.custom);
        assert.equal(custom.length, pair.resources, JSON.stringify(custom.map((r) => r.type)));
        const clouds = new Set(
          custom
            .map((r) => r.type.split(":")[0]!.replace("azure-native", "azure"))
            .filter((p) => p !== "random" && p !== "pulumi"),
        );
        assert.deepEqual([...clouds].sort(), [pair.primary, pair.secondary].sort());
      });

      it("keeps every pre-shared key a secret (never a literal in the plan)", () => {
        let checked = 0;
        for (const r of under) {
          for (const prop of pskProps[r.type] ?? []) {
            assert.ok(isSecret(r.inputs[prop]), `${r.name}.${prop} is a secret`);
            checked++;
          }
        }
        assert.equal(checked, expectedTunnels(pair.primary, pair.secondary) * 2);
        assert.doesNotMatch(JSON.stringify(plan.resources), /"[A-Za-z0-9]{48}"/);
      });

      it("uses IKEv2 and the strong proposal on every tunnel", () => {
        for (const r of under) {
          if (r.type === "aws:ec2/vpnConnection:VpnConnection") {
            for (const t of ["tunnel1", "tunnel2"]) {
              assert.deepEqual(r.inputs[`${t}IkeVersions`], ["ikev2"]);
              assert.deepEqual(r.inputs[`${t}Phase1EncryptionAlgorithms`], ["AES256-GCM-16"]);
              assert.deepEqual(r.inputs[`${t}Phase2DhGroupNumbers`], [20]);
            }
            assert.equal(r.inputs.staticRoutesOnly, false);
            assert.equal(r.inputs.presharedKeyStorage, "SecretsManager");
          }
          if (r.type === "azure-native:network:VirtualNetworkGatewayConnection") {
            assert.equal(r.inputs.connectionProtocol, "IKEv2");
            assert.equal(r.inputs.enableBgp, true);
            assert.equal(obj(list(r.inputs.ipsecPolicies)[0]).ipsecEncryption, "GCMAES256");
            assert.equal(list(r.inputs.gatewayCustomBgpIpAddresses).length, 2);
          }
          if (r.type === "gcp:compute/vPNTunnel:VPNTunnel") {
            assert.equal(r.inputs.ikeVersion, 2);
            assert.equal(r.inputs.sharedSecret, undefined);
            assert.deepEqual(obj(obj(r.inputs.cipherSuite).phase1).dhs, ["Group-20"]);
          }
        }
      });

      it("routes only the private and data tiers across", () => {
        const propagations = under.filter(
          (r) => r.type === "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation",
        );
        if (pair.primary === "aws" || pair.secondary === "aws") {
          const tables = new Map(
            plan.resources
              .filter((r) => r.type === "aws:ec2/routeTable:RouteTable")
              .map((r) => [String(r.id ?? ""), r.name]),
          );
          assert.ok(propagations.length > 0);
          for (const p of propagations) {
            const table = tables.get(String(p.inputs.routeTableId)) ?? "";
            assert.match(table, /-rt-(private|data)-/, `propagates to ${table}`);
          }
        }
        const router = under.find((r) => r.type === "gcp:compute/router:Router");
        if (router) {
          const bgp = obj(router.inputs.bgp);
          assert.equal(bgp.advertiseMode, "CUSTOM");
          assert.equal(list(bgp.advertisedIpRanges).length, 3, "private, data and the private service range");
        }
        const gatewaySubnet = under.find((r) => r.type === "azure-native:network:Subnet");
        if (pair.primary === "azure" || pair.secondary === "azure") {
          assert.equal(gatewaySubnet?.inputs.subnetName, "GatewaySubnet");
          assert.equal(gatewaySubnet?.inputs.networkSecurityGroup, undefined);
          const gw = under.find((r) => r.type === "azure-native:network:VirtualNetworkGateway")!;
          assert.equal(gw.inputs.activeActive, true);
          assert.match(String(obj(gw.inputs.sku).name), /AZ$/);
        }
      });
    });
  }
});
