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
import { ingress } from "./ingress";
import { cluster } from "./cluster";
import { registry } from "./registry";
import { cdn } from "./cdn";

/** Azure (azure-native) implementation of every component contract. */
export const azure: CloudImplementation<"azure"> = {
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
  ingress,
  cluster,
  registry,
  cdn,
};
