/**
 * The cloud halves of the Pulumi state backend (bootstrap program), one per cloud. The mapped type makes
 * the table exhaustive at compile time; `bootstrap/index.ts` hands it to the `StateBackend` component.
 */
import type { StateBackendImplementations } from "../components/state-backend";
import { stateBackend as aws } from "./aws/state-backend";
import { stateBackend as azure } from "./azure/state-backend";
import { stateBackend as gcp } from "./gcp/state-backend";

export const stateBackendImplementations: StateBackendImplementations = { aws, azure, gcp };
