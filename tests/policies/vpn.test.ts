import { controlCases } from "./cases";
import { secret, type TestResource } from "./harness";

const r = (type: string, name: string, props: Record<string, unknown>): TestResource => ({
  type,
  name,
  props,
});

const generated = "k3Jd9QmX2pLr7Tz4Vb8Nc1Hs6Wy0Ae5Gu2Fo9Ki3Rq7";
const awsTunnel = (n: 1 | 2) => ({
  [`tunnel${n}IkeVersions`]: ["ikev2"],
  [`tunnel${n}Phase1EncryptionAlgorithms`]: ["AES256-GCM-16"],
  [`tunnel${n}Phase1IntegrityAlgorithms`]: ["SHA2-384"],
  [`tunnel${n}Phase1DhGroupNumbers`]: [20],
  [`tunnel${n}Phase2EncryptionAlgorithms`]: ["AES256-GCM-16"],
  [`tunnel${n}Phase2IntegrityAlgorithms`]: ["SHA2-384"],
  [`tunnel${n}Phase2DhGroupNumbers`]: [20],
  [`tunnel${n}PresharedKey`]: secret(generated),
});
const awsVpn = (extra: Record<string, unknown> = {}) =>
  r("aws:ec2/vpnConnection:VpnConnection", "vpn", {
    type: "ipsec.1",
    customerGatewayId: "cgw-1",
    vpnGatewayId: "vgw-1",
    presharedKeyStorage: "SecretsManager",
    ...awsTunnel(1),
    ...awsTunnel(2),
    ...extra,
  });
const azurePolicy = {
  ikeEncryption: "GCMAES256",
  ikeIntegrity: "SHA384",
  dhGroup: "ECP384",
  ipsecEncryption: "GCMAES256",
  ipsecIntegrity: "GCMAES256",
  pfsGroup: "ECP384",
  saLifeTimeSeconds: 3600,
  saDataSizeKilobytes: 102400000,
};
const azureConnection = (extra: Record<string, unknown> = {}) =>
  r("azure-native:network:VirtualNetworkGatewayConnection", "con", {
    resourceGroupName: "rg",
    connectionType: "IPsec",
    connectionProtocol: "IKEv2",
    enableBgp: true,
    sharedKey: secret(generated),
    ipsecPolicies: [azurePolicy],
    ...extra,
  });
const gcpSuite = {
  phase1: {
    encryptions: ["AES-GCM-16-256"],
    integrities: [],
    prves: ["PRF-HMAC-SHA2-384"],
    dhs: ["Group-20"],
  },
  phase2: { encryptions: ["AES-GCM-16-256"], integrities: [], pfs: ["Group-20"] },
};
const gcpTunnel = (extra: Record<string, unknown> = {}) =>
  r("gcp:compute/vPNTunnel:VPNTunnel", "tunnel", {
    name: "vpn-0",
    region: "europe-west1",
    ikeVersion: 2,
    sharedSecretWo: secret(generated),
    cipherSuite: gcpSuite,
    ...extra,
  });

describe("VPN controls", () => {
  controlCases("enforce-vpn-strong-crypto", [
    { cloud: "aws", expect: "accept", resource: awsVpn() },
    {
      cloud: "aws",
      expect: "reject",
      title: "tunnel 2 left at the defaults (IKEv1, AES128, SHA1, DH 2 allowed)",
      resource: awsVpn({
        tunnel2IkeVersions: undefined,
        tunnel2Phase1EncryptionAlgorithms: undefined,
        tunnel2Phase1IntegrityAlgorithms: undefined,
        tunnel2Phase1DhGroupNumbers: undefined,
      }),
      match: /tunnel2IkeVersions must be \["ikev2"\]/,
    },
    {
      cloud: "aws",
      expect: "reject",
      title: "DH group 2 in phase 2",
      resource: awsVpn({ tunnel1Phase2DhGroupNumbers: [2, 14] }),
      match: /tunnel1Phase2DhGroupNumbers must list only groups 14-21/,
    },
    { cloud: "azure", expect: "accept", resource: azureConnection() },
    {
      cloud: "azure",
      expect: "reject",
      title: "no custom IPsec/IKE policy",
      resource: azureConnection({ ipsecPolicies: [] }),
      match: /ipsecPolicies is empty/,
    },
    {
      cloud: "azure",
      expect: "reject",
      title: "IKEv1 with a weak PFS group",
      resource: azureConnection({
        connectionProtocol: "IKEv1",
        ipsecPolicies: [{ ...azurePolicy, pfsGroup: "PFS1" }],
      }),
      match: /connectionProtocol must be IKEv2/,
    },
    { cloud: "gcp", expect: "accept", resource: gcpTunnel() },
    {
      cloud: "gcp",
      expect: "reject",
      title: "no cipher suite",
      resource: gcpTunnel({ cipherSuite: undefined }),
      match: /cipherSuite is unset/,
    },
    {
      cloud: "gcp",
      expect: "reject",
      title: "IKEv1 and AES-128 in phase 2",
      resource: gcpTunnel({
        ikeVersion: 1,
        cipherSuite: { ...gcpSuite, phase2: { ...gcpSuite.phase2, encryptions: ["AES-CBC-128"] } },
      }),
      match: /ikeVersion must be 2/,
    },
  ]);

  controlCases("disallow-plaintext-vpn-preshared-keys", [
    { cloud: "aws", expect: "accept", resource: awsVpn() },
    {
      cloud: "aws",
      expect: "reject",
      title: "keys kept in the VPN service",
      resource: awsVpn({ presharedKeyStorage: "Standard" }),
      match: /presharedKeyStorage is not SecretsManager/,
    },
    {
      cloud: "aws",
      expect: "reject",
      title: "a typed key",
      resource: awsVpn({ tunnel1PresharedKey: "Summer2026" }),
      match: /tunnel1PresharedKey is 10 characters/,
    },
    { cloud: "azure", expect: "accept", resource: azureConnection() },
    {
      cloud: "azure",
      expect: "reject",
      title: "a typed key",
      resource: azureConnection({ sharedKey: "abc123" }),
      match: /sharedKey is 6 characters/,
    },
    { cloud: "gcp", expect: "accept", resource: gcpTunnel() },
    {
      cloud: "gcp",
      expect: "reject",
      title: "key stored in the state",
      resource: gcpTunnel({ sharedSecretWo: undefined, sharedSecret: secret(generated) }),
      match: /sharedSecret is set/,
    },
  ]);
});
