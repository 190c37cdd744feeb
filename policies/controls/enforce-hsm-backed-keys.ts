import { defineControl } from "../lib/define";
import { get, lower, str } from "../lib/props";

export const enforceHsmBackedKeys = defineControl({
  id: "enforce-hsm-backed-keys",
  title: "Production keys are generated and kept in an HSM",
  severity: "high",
  category: "data-protection",
  kind: "security",
  productionOnly: true,
  rationale:
    "PCI DSS 3.6.1.2 expects secret and private keys to be stored in a secure cryptographic device; software-protected keys in Azure Key Vault Standard and GCP SOFTWARE protection level do not meet that bar for production data.",
  remediation: [
    "Azure: create keys with properties.kty RSA-HSM or EC-HSM in a Premium vault (properties.sku.name premium) or a Managed HSM.",
    "GCP: versionTemplate.protectionLevel HSM (or EXTERNAL for an external key manager).",
  ],
  frameworks: {
    soc2: ["CC6.1"],
    iso27001: ["A.8.24"],
    pciDss: ["3.6.1.2", "3.5.1"],
    gdpr: ["Art. 32(1)(a)"],
    lfpdppp: ["Art. 18"],
  },
  uncertain: [
    "AWS KMS keys always live in FIPS 140-3 validated HSMs; there is no per-key setting to check, so the control does not apply to AWS.",
  ],
  resources: {
    azure: {
      "azure-native:keyvault:Key": (props) => {
        const kty = str(get(props, "properties.kty"));
        return kty === "RSA-HSM" || kty === "EC-HSM"
          ? []
          : [`properties.kty is ${kty ?? "unset"}; use RSA-HSM or EC-HSM`];
      },
      "azure-native:keyvault:Vault": (props) =>
        lower(get(props, "properties.sku.name")) === "premium"
          ? []
          : ["properties.sku.name is not premium: the vault cannot hold HSM-protected keys"],
    },
    gcp: {
      "gcp:kms/cryptoKey:CryptoKey": (props) => {
        const level = str(get(props, "versionTemplate.protectionLevel"));
        return level === "HSM" || level === "EXTERNAL" || level === "EXTERNAL_VPC"
          ? []
          : [`versionTemplate.protectionLevel is ${level ?? "unset (SOFTWARE)"}; use HSM`];
      },
    },
  },
});
