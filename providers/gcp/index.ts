import type { CloudImplementation } from "../types";
import { provider } from "./provider";
import { keys } from "./keys";

/** GCP implementation of every component contract. */
export const gcp: CloudImplementation<"gcp"> = { provider, keys };
