import { finding, ofType, refersTo } from "../lib/checks";
import { defineControl } from "../lib/define";
import { isTrue, peek, UNKNOWN } from "../lib/props";
import type { Finding } from "../lib/types";

const urlMaps = ["gcp:compute/uRLMap:URLMap"];

/**
 * GCP's plain-HTTP front ends only redirect: a target HTTP proxy's URL map must answer every request with a
 * redirect to HTTPS (`defaultUrlRedirect.httpsRedirect`) and route nothing to a backend. AWS HTTP listeners
 * and Azure Application Gateway HTTP listeners are judged by enforce-tls-in-transit (one resource each);
 * on GCP the proxy and its URL map are two resources, so this is a stack check.
 */
export const enforceHttpRedirectToHttps = defineControl({
  id: "enforce-http-redirect-to-https",
  title: "Plain-HTTP load balancer front ends only redirect to HTTPS",
  severity: "high",
  category: "data-protection",
  kind: "security",
  rationale:
    "An HTTP front end that routes to a backend serves content and session cookies in clear text (PCI DSS 4.2.1); HTTP may be offered only to redirect browsers to HTTPS.",
  remediation: [
    "GCP: the URL map of every target HTTP proxy has defaultUrlRedirect { httpsRedirect: true } and no defaultService, host rules or path matchers.",
  ],
  frameworks: {
    soc2: ["CC6.7"],
    iso27001: ["A.8.24"],
    pciDss: ["4.2.1"],
    gdpr: ["Art. 32(1)(a)"],
    lfpdppp: ["Art. 18"],
  },
  resources: {},
  stack: (subjects) => {
    const out: Finding[] = [];
    const maps = ofType(subjects, urlMaps);
    for (const proxy of ofType(subjects, ["gcp:compute/targetHttpProxy:TargetHttpProxy"])) {
      if (peek(proxy.props, "urlMap") === UNKNOWN && !proxy.propertyDependencies["urlMap"]) continue;
      const map = maps.find((m) => refersTo(proxy, "urlMap", m, ["selfLink"]));
      if (!map) {
        out.push(
          finding(
            proxy,
            "target HTTP proxy whose URL map is not in the stack: cannot show it only redirects",
          ),
        );
        continue;
      }
      const redirects = isTrue(peek(map.props, "defaultUrlRedirect.httpsRedirect"));
      const routes =
        peek(map.props, "defaultService") !== undefined ||
        peek(map.props, "hostRules") !== undefined ||
        peek(map.props, "pathMatchers") !== undefined;
      if (!redirects || routes)
        out.push(
          finding(
            proxy,
            `target HTTP proxy serves clear text: its URL map ${map.name} ${redirects ? "also routes to backends" : "does not redirect to HTTPS (defaultUrlRedirect.httpsRedirect)"}`,
          ),
        );
    }
    return out;
  },
  stackTypes: { gcp: ["gcp:compute/targetHttpProxy:TargetHttpProxy", ...urlMaps] },
});
