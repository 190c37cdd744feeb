/**
 * Azure creates an account-level immutability policy only in the `Disabled` or `Unlocked` state: a
 * storage account declared with `immutableStorageWithVersioning.immutabilityPolicy.state: Locked` is
 * refused when `pulumi up` creates it. Locking is a later, separate and irreversible step.
 */
import { get, lower } from "../../lib/props";
import type { Rule } from "../lib/rule";

const source = {
  url: "https://learn.microsoft.com/dotnet/api/azure.resourcemanager.storage.models.accountimmutabilitypolicy.state",
  quote:
    "A policy can only be created in a Disabled or Unlocked state and can be toggled between the two states. Only a policy in an Unlocked state can transition to a Locked state which cannot be reverted.",
};

export const disallowLockedImmutabilityAtCreate: Rule = {
  id: "disallow-locked-immutability-at-create",
  title: "Azure storage account immutability policies are not Locked when the account is created",
  category: "topology",
  severity: "critical",
  refuses:
    "Azure refuses to create a storage account whose account-level immutability policy is Locked; a policy can only be created Disabled or Unlocked.",
  remediation:
    "Create the account with the policy Unlocked and lock it in a later, documented step (a separate change once the retention period is confirmed: locking cannot be undone).",
  sources: [
    source,
    {
      url: "https://learn.microsoft.com/azure/storage/blobs/immutable-policy-configure-version-scope",
      quote:
        "An unlocked policy can be locked later; a locked time-based retention policy can't be deleted and its interval can only be increased.",
    },
  ],
  resources: {
    azure: {
      "azure-native:storage:StorageAccount": (props) => {
        const state = get(props, "immutableStorageWithVersioning.immutabilityPolicy.state");
        return lower(state) === "locked"
          ? [
              `immutableStorageWithVersioning.immutabilityPolicy.state is Locked: Azure creates an account-level immutability policy only as Disabled or Unlocked, so the account cannot be created. Source: ${source.url}`,
            ]
          : [];
      },
    },
  },
};
