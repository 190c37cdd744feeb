import { controlCases } from "./cases";
import { UNKNOWN, type TestResource } from "./harness";

const r = (type: string, name: string, props: Record<string, unknown>): TestResource => ({
  type,
  name,
  props,
});

describe("compute hardening controls", () => {
  controlCases("enforce-instance-metadata-v2", [
    {
      cloud: "aws",
      expect: "reject",
      title: "instance without metadataOptions (IMDSv1 allowed by default)",
      resource: r("aws:ec2/instance:Instance", "vm", { ami: "ami-1", instanceType: "t3.micro" }),
      match: /httpTokens is unset/,
    },
    {
      cloud: "aws",
      expect: "reject",
      title: "launch template with httpTokens optional",
      resource: r("aws:ec2/launchTemplate:LaunchTemplate", "lt", {
        metadataOptions: { httpTokens: "optional", httpEndpoint: "enabled" },
      }),
      match: /"optional"/,
    },
    {
      cloud: "aws",
      expect: "reject",
      title: "spot instance request without metadataOptions",
      resource: r("aws:ec2/spotInstanceRequest:SpotInstanceRequest", "spot", { ami: "ami-1" }),
    },
    {
      cloud: "aws",
      expect: "reject",
      title: "launch configuration without metadataOptions",
      resource: r("aws:ec2/launchConfiguration:LaunchConfiguration", "lc", { imageId: "ami-1" }),
    },
    {
      cloud: "aws",
      expect: "accept",
      resource: r("aws:ec2/instance:Instance", "vm", {
        ami: "ami-1",
        metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 },
      }),
    },
    {
      cloud: "aws",
      expect: "accept",
      resource: r("aws:ec2/launchTemplate:LaunchTemplate", "lt", {
        metadataOptions: { httpTokens: "required" },
      }),
    },
    {
      cloud: "aws",
      expect: "accept",
      title: "metadata endpoint disabled",
      resource: r("aws:ec2/instance:Instance", "vm", { metadataOptions: { httpEndpoint: "disabled" } }),
    },
    {
      cloud: "aws",
      expect: "unknown",
      title: "httpTokens computed during preview",
      resource: r("aws:ec2/instance:Instance", "vm", { metadataOptions: { httpTokens: UNKNOWN } }),
    },
  ]);
});
