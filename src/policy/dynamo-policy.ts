import { Construct, IConstruct } from 'constructs';
import { PolicyPack, PolicyPackProps } from './policy-pack';
import { PolicyRuleInfo } from './policy-types';
import { RuleCatalog } from './rules/rule-catalog';

/**
 * Entry points of the policy pack.
 *
 * ```ts fixture=pools
 * import { DynamoPolicy } from 'cdk8s-dynamo';
 *
 * DynamoPolicy.apply(app, { warningsAsErrors: true });   // check everything synthesized in the app
 * DynamoPolicy.suppress(decode, 'DYN-GPU-007', 'every GPU node of this cluster is an H100');
 * ```
 */
export class DynamoPolicy {
  /**
   * Applies the default pack to `scope` (an App, a Chart or any construct) and returns it. Idempotent: when a pack
   * already covers `scope` (every DynamoGraph applies one to its chart) it is returned, taking `props` if it had none
   * yet. A pack applied to the App takes over from the packs graphs applied by default to its charts.
   * @param scope construct whose synthesized objects are checked
   * @param props pack options
   */
  public static apply(scope: Construct, props?: PolicyPackProps): PolicyPack {
    const existing = PolicyPack.of(scope);
    if (existing) {
      existing._claim(props);
      return existing;
    }
    return new PolicyPack(scope, PolicyPack.DEFAULT_ID, props);
  }

  /**
   * Suppresses one rule on `construct` and everything under it. The reason is required and is written into the
   * `policy.cdk8s-dynamo.io/suppressed` annotation of each object where the rule would have fired.
   * @param construct a graph, a component, a chart or any construct that renders objects
   * @param ruleId rule id, e.g. `DYN-SEC-006`
   * @param reason why the rule does not apply here (one line)
   */
  public static suppress(construct: IConstruct, ruleId: string, reason: string): void {
    PolicyPack._suppress(construct, ruleId, reason);
  }

  /** The rules of the default pack. */
  public static rules(): PolicyRuleInfo[] {
    return RuleCatalog.ALL.map(r => ({ id: r.id, severity: r.severity, reason: r.reason, fix: r.fix }));
  }

  private constructor() {}
}
