import { defineControl } from "../lib/define";
import { get, isSet, lower, peek } from "../lib/props";

/** Shortest pre-shared key accepted as generated (a typed passphrase is shorter). */
const minimumLength = 32;
/** How the offline gate and `pulumi preview --json` show a secret whose plaintext is not available. */
const secretPlaceholder = "[secret]";

function weak(value: unknown, where: string): string[] {
  if (typeof value !== "string" || value === secretPlaceholder) return [];
  return value.length < minimumLength
    ? [
        `${where} is ${value.length} characters; generate it (@pulumi/random RandomPassword, at least ${minimumLength} characters) and pass it as a secret`,
      ]
    : [];
}

export const disallowPlaintextVpnPresharedKeys = defineControl({
  id: "disallow-plaintext-vpn-preshared-keys",
  title: "VPN pre-shared keys are generated secrets kept out of plain configuration",
  severity: "high",
  category: "data-protection",
  kind: "security",
  rationale:
    "A pre-shared key authenticates a site-to-site tunnel: whoever holds it can impersonate a site. A key typed into code or stack config, or kept where the provider returns it in clear, violates PCI DSS 8.3.2 and 8.6.2 (no readable, hard-coded authentication factors).",
  remediation: [
    "Generate every key with @pulumi/random (RandomPassword, 32+ characters) so Pulumi stores it encrypted as a secret.",
    "AWS VPN connection: presharedKeyStorage: SecretsManager (the key lives in AWS Secrets Manager, not in the downloadable configuration).",
    "GCP VPN tunnel: pass the key as the write-only sharedSecretWo (never stored in state), not sharedSecret.",
    "Azure connection: sharedKey only from a generated secret (Azure offers no secret-store reference for it).",
  ],
  frameworks: {
    soc2: ["CC6.1"],
    iso27001: ["A.5.17", "A.8.24"],
    pciDss: ["8.3.2", "8.6.2"],
    gdpr: ["Art. 32(1)(b)"],
    lfpdppp: ["Art. 19"],
  },
  uncertain: [
    "The policy server unwraps Pulumi secrets, so a policy cannot tell a secret key from a literal one; the control requires the cloud's secret storage (AWS, GCP) and, where the plaintext is visible, a generated length. Offline, a secret shows as the placeholder [secret] and its length is not checked.",
  ],
  resources: {
    aws: {
      "aws:ec2/vpnConnection:VpnConnection": (props) => [
        ...(lower(get(props, "presharedKeyStorage")) === "secretsmanager"
          ? []
          : [
              "presharedKeyStorage is not SecretsManager: the tunnels' pre-shared keys are kept in the VPN service and returned in clear in the connection's configuration",
            ]),
        ...weak(peek(props, "tunnel1PresharedKey"), "tunnel1PresharedKey"),
        ...weak(peek(props, "tunnel2PresharedKey"), "tunnel2PresharedKey"),
      ],
    },
    azure: {
      "azure-native:network:VirtualNetworkGatewayConnection": (props) => {
        if (lower(get(props, "connectionType")) !== "ipsec") return [];
        if (!isSet(props, "sharedKey"))
          return ["sharedKey is unset: set a generated pre-shared key (secret)"];
        return weak(peek(props, "sharedKey"), "sharedKey");
      },
    },
    gcp: {
      "gcp:compute/vPNTunnel:VPNTunnel": (props) => [
        ...(isSet(props, "sharedSecret")
          ? [
              "sharedSecret is set: it is stored in the state; pass the generated key as the write-only sharedSecretWo",
            ]
          : []),
        ...weak(peek(props, "sharedSecretWo"), "sharedSecretWo"),
      ],
    },
  },
});
