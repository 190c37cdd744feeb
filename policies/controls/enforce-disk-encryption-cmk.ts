import { awsCmk } from "../lib/checks";
import { defineControl } from "../lib/define";
import { get, isFalse, isSet, isTrue, list } from "../lib/props";

export const enforceDiskEncryptionCmk = defineControl({
  id: "enforce-disk-encryption-cmk",
  title: "Disks and file systems are encrypted with a customer-managed key",
  severity: "medium",
  category: "data-protection",
  kind: "security",
  rationale:
    "Block volumes and file systems hold operating systems, temp files and data at rest; PCI DSS 3.5.1 and GDPR Art. 32 require strong cryptography, and a customer-managed key makes its use auditable and revocable.",
  remediation: [
    "AWS: aws.ebs.Volume encrypted: true with kmsKeyId; EC2 instances rootBlockDevice/ebsBlockDevices with encrypted: true and kmsKeyId; EFS encrypted: true with kmsKeyId.",
    "Azure: managed disks with encryption.diskEncryptionSetId (a disk encryption set bound to a Key Vault key).",
    "GCP: diskEncryptionKey.kmsKeySelfLink on disks; bootDisk.kmsKeySelfLink on instances; kmsKeyName on Filestore instances.",
  ],
  frameworks: {
    soc2: ["CC6.1"],
    iso27001: ["A.8.24"],
    pciDss: ["3.5.1"],
    gdpr: ["Art. 32(1)(a)"],
    lfpdppp: ["Art. 18"],
    cis: [
      "AWS Foundations 2.2.1 (EBS encryption)",
      "Azure 7.3 (CMK for disks)",
      "GCP 4.7 (CSEK/CMEK for VM disks)",
    ],
  },
  uncertain: ["CIS benchmark ids differ between benchmark versions; the ids given are indicative."],
  resources: {
    aws: {
      "aws:ebs/volume:Volume": (props) => {
        const out: string[] = [];
        if (!isTrue(get(props, "encrypted"))) out.push("encrypted is not true");
        if (!awsCmk(props, "kmsKeyId")) out.push("kmsKeyId is unset; set a customer-managed KMS key");
        return out;
      },
      "aws:ec2/instance:Instance": (props) => {
        const out: string[] = [];
        const root = get(props, "rootBlockDevice");
        if (!isTrue(get(root, "encrypted")) || !awsCmk(root, "kmsKeyId")) {
          out.push("rootBlockDevice must set encrypted: true and kmsKeyId of a customer-managed key");
        }
        list(get(props, "ebsBlockDevices")).forEach((d, i) => {
          if (!isTrue(get(d, "encrypted")) || !awsCmk(d, "kmsKeyId")) {
            out.push(`ebsBlockDevices[${i}] must set encrypted: true and kmsKeyId of a customer-managed key`);
          }
        });
        return out;
      },
      "aws:efs/fileSystem:FileSystem": (props) =>
        isTrue(get(props, "encrypted")) && awsCmk(props, "kmsKeyId")
          ? []
          : ["EFS file system must set encrypted: true and kmsKeyId of a customer-managed key"],
    },
    azure: {
      "azure-native:compute:Disk": (props) =>
        isSet(props, "encryption.diskEncryptionSetId")
          ? []
          : ["encryption.diskEncryptionSetId is unset (platform-managed key)"],
      "azure-native:compute:VirtualMachine": (props) => {
        const out: string[] = [];
        if (!isSet(props, "storageProfile.osDisk.managedDisk.diskEncryptionSet.id")) {
          out.push("storageProfile.osDisk.managedDisk.diskEncryptionSet.id is unset (platform-managed key)");
        }
        list(get(props, "storageProfile.dataDisks")).forEach((d, i) => {
          if (!isSet(d, "managedDisk.diskEncryptionSet.id")) {
            out.push(`storageProfile.dataDisks[${i}].managedDisk.diskEncryptionSet.id is unset`);
          }
        });
        return out;
      },
    },
    gcp: {
      "gcp:compute/disk:Disk": (props) =>
        isSet(props, "diskEncryptionKey.kmsKeySelfLink")
          ? []
          : ["diskEncryptionKey.kmsKeySelfLink is unset (Google-managed key)"],
      "gcp:filestore/instance:Instance": (props) =>
        isSet(props, "kmsKeyName") ? [] : ["kmsKeyName is unset (Google-managed key)"],
      "gcp:compute/regionDisk:RegionDisk": (props) =>
        isSet(props, "diskEncryptionKey.kmsKeySelfLink")
          ? []
          : ["diskEncryptionKey.kmsKeySelfLink is unset (Google-managed key)"],
      "gcp:compute/instance:Instance": (props) =>
        isSet(props, "bootDisk.kmsKeySelfLink") ||
        (isFalse(get(props, "bootDisk.autoDelete")) && isSet(props, "bootDisk.source"))
          ? []
          : ["bootDisk.kmsKeySelfLink is unset (Google-managed key)"],
    },
  },
});
