import type { CloudImplementation } from "../types";
import { provider } from "./provider";
import { keys } from "./keys";

/** AWS implementation of every component contract. */
export const aws: CloudImplementation<"aws"> = { provider, keys };
