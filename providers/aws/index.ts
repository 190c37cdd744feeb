import type { CloudImplementation } from "../types";
import { provider } from "./provider";
import { keys } from "./keys";
import { network } from "./network";
import { database } from "./database";
import { monitoring } from "./monitoring";
import { dashboard } from "./dashboard";
import { synthetics } from "./synthetics";
import { storage } from "./storage";
import { cache } from "./cache";
import { backup } from "./backup";
import { governance } from "./governance";
import { fileStore } from "./filestore";
import { cluster } from "./cluster";
import { registry } from "./registry";
import { ingress } from "./ingress";
import { cdn } from "./cdn";

/** AWS implementation of every component contract. */
export const aws: CloudImplementation<"aws"> = {
  provider,
  keys,
  network,
  monitoring,
  dashboard,
  synthetics,
  storage,
  database,
  cache,
  backup,
  governance,
  fileStore,
  cluster,
  registry,
  ingress,
  cdn,
};
