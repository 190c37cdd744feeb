import type { CloudImplementation } from "../types";
import { provider } from "./provider";
import { keys } from "./keys";
import { network } from "./network";
import { database } from "./database";
import { monitoring } from "./monitoring";
import { storage } from "./storage";
import { cache } from "./cache";
import { backup } from "./backup";
import { governance } from "./governance";
import { fileStore } from "./filestore";
import { cluster } from "./cluster";
import { registry } from "./registry";
import { cdn } from "./cdn";

/** GCP implementation of every component contract. */
export const gcp: CloudImplementation<"gcp"> = {
  provider,
  keys,
  network,
  monitoring,
  storage,
  database,
  cache,
  backup,
  governance,
  fileStore,
  cluster,
  registry,
  cdn,
};
