/**
 * The cloud halves of cross-cloud replication, one per cloud. The mapped type makes the table exhaustive
 * at compile time; `index.ts` hands it to the stack-level `Replication` component (components/ imports
 * nothing from providers/).
 */
import type { ReplicationImplementations } from "../components/replication";
import { replication as aws } from "./aws/replication";
import { replication as azure } from "./azure/replication";
import { replication as gcp } from "./gcp/replication";

export const replicationImplementations: ReplicationImplementations = { aws, azure, gcp };
