import { defineControl } from "../lib/define";
import { get, list, lower, num, str } from "../lib/props";

/** Accepted algorithms (NIST SP 800-77r1, RFC 8247: AES-256, SHA-2, DH >= 2048-bit MODP or ECP). */
const awsEncryption = new Set(["aes256", "aes256-gcm-16"]);
const awsIntegrity = new Set(["sha2-256", "sha2-384", "sha2-512"]);
const awsDh = new Set([14, 15, 16, 17, 18, 19, 20, 21]);

function awsTunnel(props: Record<string, unknown>, n: 1 | 2): string[] {
  const t = `tunnel${n}`;
  const out: string[] = [];
  const ike = list(get(props, `${t}IkeVersions`)).map(lower);
  if (ike.length === 0 || ike.some((v) => v !== "ikev2")) {
    out.push(
      `${t}IkeVersions must be ["ikev2"] (found ${ike.length ? ike.join(", ") : "unset: ikev1 and ikev2 allowed"})`,
    );
  }
  for (const phase of [1, 2] as const) {
    const enc = list(get(props, `${t}Phase${phase}EncryptionAlgorithms`)).map(lower);
    if (enc.length === 0 || enc.some((e) => !awsEncryption.has(e)))
      out.push(
        `${t}Phase${phase}EncryptionAlgorithms must list only AES256 / AES256-GCM-16 (found ${enc.join(", ") || "unset: AES128 allowed"})`,
      );
    const integ = list(get(props, `${t}Phase${phase}IntegrityAlgorithms`)).map(lower);
    if (integ.length === 0 || integ.some((e) => !awsIntegrity.has(e)))
      out.push(
        `${t}Phase${phase}IntegrityAlgorithms must list only SHA2-256/384/512 (found ${integ.join(", ") || "unset: SHA1 allowed"})`,
      );
    const dh = list(get(props, `${t}Phase${phase}DhGroupNumbers`)).map((g) => num(g) ?? -1);
    if (dh.length === 0 || dh.some((g) => !awsDh.has(g)))
      out.push(
        `${t}Phase${phase}DhGroupNumbers must list only groups 14-21 (found ${dh.join(", ") || "unset: groups 2 and 5 allowed"})`,
      );
  }
  return out;
}

const azureIkeEncryption = new Set(["aes256", "gcmaes256"]);
const azureIkeIntegrity = new Set(["sha256", "sha384", "gcmaes256"]);
const azureDh = new Set(["dhgroup14", "dhgroup2048", "ecp256", "ecp384"]);
const azureIpsecEncryption = new Set(["aes256", "gcmaes256"]);
const azureIpsecIntegrity = new Set(["sha256", "gcmaes256"]);
const azurePfs = new Set(["pfs14", "pfs2048", "ecp256", "ecp384"]);

function azureConnection(props: Record<string, unknown>): string[] {
  if (lower(get(props, "connectionType")) !== "ipsec") return [];
  const out: string[] = [];
  if (lower(get(props, "connectionProtocol")) !== "ikev2")
    out.push(
      `connectionProtocol must be IKEv2 (found ${str(get(props, "connectionProtocol")) ?? "unset: IKEv2 default, IKEv1 allowed by update"})`,
    );
  const policies = list(get(props, "ipsecPolicies"));
  if (policies.length === 0) {
    out.push(
      "ipsecPolicies is empty: the default Azure proposals include AES128, SHA1 and DH group 2; set a custom IPsec/IKE policy",
    );
    return out;
  }
  policies.forEach((p, i) => {
    const check = (key: string, allowed: Set<string>) => {
      const v = lower(get(p, key));
      if (!allowed.has(v))
        out.push(`ipsecPolicies[${i}].${key} ${v || "unset"} is not one of ${[...allowed].join(", ")}`);
    };
    check("ikeEncryption", azureIkeEncryption);
    check("ikeIntegrity", azureIkeIntegrity);
    check("dhGroup", azureDh);
    check("ipsecEncryption", azureIpsecEncryption);
    check("ipsecIntegrity", azureIpsecIntegrity);
    check("pfsGroup", azurePfs);
  });
  return out;
}

const gcpPhase1Encryption = new Set(["aes-cbc-256", "aes-gcm-16-256"]);
const gcpPrf = new Set(["prf-hmac-sha2-256", "prf-hmac-sha2-384", "prf-hmac-sha2-512"]);
const gcpIntegrity = new Set(["hmac-sha2-256-128", "hmac-sha2-384-192", "hmac-sha2-512-256"]);
const gcpGroups = new Set(["group-14", "group-15", "group-16", "group-19", "group-20", "group-21"]);

function gcpTunnel(props: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (num(get(props, "ikeVersion")) !== 2)
    out.push(`ikeVersion must be 2 (found ${String(get(props, "ikeVersion") ?? "unset: 2")})`);
  const suite = get(props, "cipherSuite");
  if (!suite) {
    out.push(
      "cipherSuite is unset: Cloud VPN then accepts every supported cipher (AES-128, SHA1, DH group 2...)",
    );
    return out;
  }
  const only = (path: string, allowed: Set<string>, required: boolean) => {
    const values = list(get(suite, path)).map(lower);
    if ((required && values.length === 0) || values.some((v) => !allowed.has(v)))
      out.push(
        `cipherSuite.${path} must list only ${[...allowed].join(", ")} (found ${values.join(", ") || "unset"})`,
      );
  };
  only("phase1.encryptions", gcpPhase1Encryption, true);
  only("phase1.prves", gcpPrf, true);
  only("phase1.integrities", gcpIntegrity, false);
  only("phase1.dhs", gcpGroups, true);
  only("phase2.encryptions", gcpPhase1Encryption, true);
  only("phase2.integrities", gcpIntegrity, false);
  only("phase2.pfs", gcpGroups, true);
  return out;
}

export const enforceVpnStrongCrypto = defineControl({
  id: "enforce-vpn-strong-crypto",
  title: "Site-to-site VPN tunnels use IKEv2 with AES-256, SHA-2 and Diffie-Hellman group 14 or stronger",
  severity: "high",
  category: "data-protection",
  kind: "security",
  rationale:
    "Every cloud's default IPsec proposals still accept AES-128, SHA-1 and 1024-bit Diffie-Hellman for compatibility; a peer (or an attacker in the path) can negotiate down to them. Pinning IKEv2 and strong proposals keeps data in transit between sites protected as PCI DSS 4.2.1 and ISO 27001 A.8.24 require.",
  remediation: [
    "AWS VPN connection: tunnelN IkeVersions [ikev2]; Phase1/Phase2 EncryptionAlgorithms [AES256-GCM-16]; IntegrityAlgorithms [SHA2-384]; DhGroupNumbers [20].",
    "Azure connection: connectionProtocol IKEv2 and an ipsecPolicies entry (GCMAES256, SHA384, ECP384, GCMAES256/GCMAES256, PFS ECP384).",
    "GCP VPN tunnel: ikeVersion 2 and cipherSuite { phase1: AES-GCM-16-256, PRF-HMAC-SHA2-384, Group-20; phase2: AES-GCM-16-256, Group-20 }.",
  ],
  frameworks: {
    soc2: ["CC6.7"],
    iso27001: ["A.8.20", "A.8.24"],
    pciDss: ["4.2.1"],
    gdpr: ["Art. 32(1)(a)"],
    lfpdppp: ["Art. 19"],
  },
  uncertain: [
    "Groups 22-24 (MODP with prime-order subgroups) are rejected following RFC 8247; some auditors accept them.",
  ],
  resources: {
    aws: {
      "aws:ec2/vpnConnection:VpnConnection": (props) => [...awsTunnel(props, 1), ...awsTunnel(props, 2)],
    },
    azure: {
      "azure-native:network:VirtualNetworkGatewayConnection": azureConnection,
    },
    gcp: {
      "gcp:compute/vPNTunnel:VPNTunnel": gcpTunnel,
    },
  },
});
