import { defineControl } from "../lib/define";
import { get, isSet, isTrue, list } from "../lib/props";

export const disallowPublicIpOnCompute = defineControl({
  id: "disallow-public-ip-on-compute",
  title: "Virtual machines get no public IP address",
  severity: "high",
  category: "exposure",
  kind: "security",
  rationale:
    "A VM with a public address is one security-group mistake away from exposure; inbound traffic belongs on load balancers and outbound on NAT (PCI DSS 1.4.4, 1.3.2).",
  remediation: [
    "AWS: associatePublicIpAddress false on instances and launch template interfaces; mapPublicIpOnLaunch false on subnets.",
    "Azure: no publicIPAddress on network interface IP configurations.",
    "GCP: no accessConfigs (external IPs) on instance network interfaces.",
  ],
  frameworks: {
    soc2: ["CC6.6"],
    iso27001: ["A.8.20", "A.8.22"],
    pciDss: ["1.4.4", "1.3.2"],
    gdpr: ["Art. 32(1)(b)"],
    lfpdppp: ["Art. 18"],
    cis: ["GCP 4.9 (no public IP on instances)"],
  },
  uncertain: ["CIS benchmark ids differ between benchmark versions; the ids given are indicative."],
  resources: {
    aws: {
      "aws:ec2/instance:Instance": (props) =>
        isTrue(get(props, "associatePublicIpAddress")) ? ["associatePublicIpAddress is true"] : [],
      "aws:ec2/launchTemplate:LaunchTemplate": (props) =>
        list(get(props, "networkInterfaces")).some((n) => isTrue(get(n, "associatePublicIpAddress")))
          ? ["a network interface sets associatePublicIpAddress"]
          : [],
      "aws:ec2/subnet:Subnet": (props) =>
        isTrue(get(props, "mapPublicIpOnLaunch")) ? ["mapPublicIpOnLaunch is true"] : [],
    },
    azure: {
      "azure-native:network:NetworkInterface": (props) =>
        list(get(props, "ipConfigurations")).some((c) => isSet(c, "publicIPAddress"))
          ? ["an IP configuration attaches a publicIPAddress"]
          : [],
    },
    gcp: {
      "gcp:compute/instance:Instance": (props) =>
        list(get(props, "networkInterfaces")).some((n) => list(get(n, "accessConfigs")).length > 0)
          ? ["a network interface has accessConfigs (external IP)"]
          : [],
      "gcp:compute/instanceTemplate:InstanceTemplate": (props) =>
        list(get(props, "networkInterfaces")).some((n) => list(get(n, "accessConfigs")).length > 0)
          ? ["a network interface has accessConfigs (external IP)"]
          : [],
    },
  },
});
