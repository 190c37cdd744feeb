/**
 * The recovery plan in the deployment plan: a stack-level component, `platform:recovery:RecoveryObjectives`,
 * whose outputs carry the declared objectives and every mechanism's schedule and delivered RPO/RTO
 * (components/recovery.ts). The stack policy `enforce-recovery-objectives` reads it, and the gate's
 * compliance report shows it. It creates no cloud resource.
 */
import * as pulumi from "@pulumi/pulumi";
import type { RecoveryPlan } from "./recovery";

export class RecoveryObjectives extends pulumi.ComponentResource {
  constructor(name: string, plan: RecoveryPlan, opts?: pulumi.ComponentResourceOptions) {
    super("platform:recovery:RecoveryObjectives", name, {}, opts);
    this.registerOutputs({
      primary: `${plan.pair.primary.cloud}/${plan.pair.primary.region}`,
      secondary: `${plan.pair.secondary.cloud}/${plan.pair.secondary.region}`,
      ...(plan.objectives
        ? { rpoMinutes: plan.objectives.rpoMinutes, rtoMinutes: plan.objectives.rtoMinutes }
        : {}),
      ...(plan.achievableRpoMinutes !== undefined ? { achievableRpoMinutes: plan.achievableRpoMinutes } : {}),
      achievableRtoMinutes: plan.achievableRtoMinutes,
      mechanisms: plan.mechanisms.map((m) => ({
        id: m.id,
        kind: m.kind,
        from: m.from,
        to: m.to,
        schedule: m.schedule.kind,
        ...(m.schedule.kind === "interval" ? { everyMinutes: m.schedule.everyMinutes } : {}),
        ...(m.schedule.kind === "continuous"
          ? { lagAlarmMinutes: m.schedule.lagAlarmMinutes, timeAlarmed: m.schedule.timeAlarmed }
          : {}),
        ...(m.rpoMinutes !== undefined ? { rpoMinutes: m.rpoMinutes } : {}),
        rtoMinutes: m.rtoMinutes,
      })),
    });
  }
}
