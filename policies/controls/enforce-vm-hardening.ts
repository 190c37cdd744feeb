import { defineControl } from "../lib/define";
import { get, isFalse, isTrue, lower } from "../lib/props";
import type { ResourceCheck } from "../lib/types";

/** A GCE boolean metadata value ("TRUE", "true", "1", "yes" / "FALSE", "false", "0", "no"); undefined when unset. */
function metadataFlag(metadata: unknown, key: string): boolean | undefined {
  const v = get(metadata, key);
  if (v === undefined || v === null || v === "") return undefined;
  const s = lower(typeof v === "boolean" ? String(v) : v).trim();
  if (["true", "1", "y", "yes"].includes(s)) return true;
  if (["false", "0", "n", "no"].includes(s)) return false;
  return undefined;
}

/**
 * GCE instances and templates: Shielded VM (secure boot off by default in the provider; vTPM and integrity
 * monitoring on by default, so only an explicit false fails), no serial port access, project-wide SSH keys
 * blocked, OS Login not switched off on the instance.
 */
const gceCheck: ResourceCheck = (props) => {
  const out: string[] = [];
  const shielded = get(props, "shieldedInstanceConfig");
  if (!isTrue(get(shielded, "enableSecureBoot")))
    out.push("shieldedInstanceConfig.enableSecureBoot is not true (Shielded VM secure boot)");
  if (isFalse(get(shielded, "enableVtpm"))) out.push("shieldedInstanceConfig.enableVtpm is false");
  if (isFalse(get(shielded, "enableIntegrityMonitoring")))
    out.push("shieldedInstanceConfig.enableIntegrityMonitoring is false");
  const metadata = get(props, "metadata");
  if (metadataFlag(metadata, "serial-port-enable") === true)
    out.push('metadata "serial-port-enable" is true (interactive serial console)');
  if (metadataFlag(metadata, "block-project-ssh-keys") !== true)
    out.push('metadata "block-project-ssh-keys" is not true (project-wide SSH keys are accepted)');
  if (metadataFlag(metadata, "enable-oslogin") === false) out.push('metadata "enable-oslogin" is false');
  return out;
};

/** Azure VM and scale-set VM profile: SSH-key-only login on Linux, encryption at host. */
function azureVmFindings(profile: unknown, prefix: string): string[] {
  const out: string[] = [];
  const os = get(profile, "osProfile");
  const linux = get(os, "linuxConfiguration");
  const osType = lower(get(profile, "storageProfile.osDisk.osType"));
  const isLinux =
    (linux !== undefined && linux !== null) ||
    (osType === "linux" && get(os, "windowsConfiguration") === undefined);
  if (os !== undefined && os !== null && isLinux && !isTrue(get(linux, "disablePasswordAuthentication")))
    out.push(
      `${prefix}osProfile.linuxConfiguration.disablePasswordAuthentication is not true (password login on a Linux VM)`,
    );
  if (!isTrue(get(profile, "securityProfile.encryptionAtHost")))
    out.push(`${prefix}securityProfile.encryptionAtHost is not true (temp disk and disk caches unencrypted)`);
  return out;
}

export const enforceVmHardening = defineControl({
  id: "enforce-vm-hardening",
  title: "Virtual machines use Shielded VM, key-based login and no serial console, and encrypt at host",
  severity: "medium",
  category: "exposure",
  kind: "security",
  rationale:
    "Boot-level integrity (secure boot, vTPM, integrity monitoring) detects rootkits; project-wide SSH keys, passwords and the interactive serial console are login paths that bypass per-instance access control and OS Login's IAM and audit; encryption at host covers the temp disk and disk caches that disk encryption leaves out (CIS GCP 4.3, 4.4, 4.5, 4.8; Checkov CKV_AZURE_1, CKV_AZURE_97; PCI DSS 2.2, 8.3).",
  remediation: [
    'GCP: shieldedInstanceConfig { enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: true } (a Shielded VM image); metadata "block-project-ssh-keys": "true"; no "serial-port-enable": "true"; "enable-oslogin" not "false" (set "TRUE" or enable it for the project).',
    "Azure: osProfile.linuxConfiguration.disablePasswordAuthentication: true with ssh.publicKeys on Linux VMs; securityProfile.encryptionAtHost: true (register the EncryptionAtHost feature) on VMs and scale-set virtualMachineProfile.",
  ],
  frameworks: {
    soc2: ["CC6.1", "CC6.8", "CC7.1"],
    iso27001: ["A.8.5", "A.8.9", "A.8.24"],
    pciDss: ["2.2.1", "8.3.1", "3.5.1"],
    gdpr: ["Art. 32(1)(a)", "Art. 32(1)(b)"],
    lfpdppp: ["Art. 18"],
    cis: [
      "GCP 4.3 (block project-wide SSH keys)",
      "GCP 4.4 (OS Login enabled)",
      "GCP 4.5 (serial port connections disabled)",
      "GCP 4.8 (Shielded VM)",
      "Azure compute: encryption at host; Linux VMs with SSH keys (section 7; ids vary by version)",
    ],
  },
  uncertain: [
    "CIS benchmark ids differ between benchmark versions; the ids given are indicative.",
    'GCP project metadata (enable-oslogin, block-project-ssh-keys at project level) is outside the plan of an instance; the instance must set "block-project-ssh-keys" itself, and OS Login fails only when the instance switches it off.',
    "Azure Linux VMs are recognised by osProfile.linuxConfiguration or storageProfile.osDisk.osType Linux; VMs attached to a specialised disk without osProfile have no login settings to check.",
  ],
  resources: {
    gcp: {
      "gcp:compute/instance:Instance": gceCheck,
      "gcp:compute/instanceTemplate:InstanceTemplate": gceCheck,
      "gcp:compute/regionInstanceTemplate:RegionInstanceTemplate": gceCheck,
    },
    azure: {
      "azure-native:compute:VirtualMachine": (props) => azureVmFindings(props, ""),
      "azure-native:compute:VirtualMachineScaleSet": (props) =>
        azureVmFindings(get(props, "virtualMachineProfile"), "virtualMachineProfile."),
    },
  },
});
