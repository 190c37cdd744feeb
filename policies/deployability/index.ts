/** The deployability pack's entry point: constructs the PolicyPack (this starts its gRPC server). Nothing else. */
import { PolicyPack } from "@pulumi/policy";
import { packDescription, policies, policyPackName } from "./pack";

new PolicyPack(policyPackName, { policies, description: packDescription, enforcementLevel: "mandatory" });
