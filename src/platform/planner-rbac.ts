import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { RbacRules } from './operator-rbac-rules';

/**
 * The ServiceAccount, Role and RoleBinding the Planner needs in one namespace when no cluster-wide operator
 * creates them. Named as the operator's chart names them (the operator forces the planner pod's
 * `serviceAccountName` to `planner-serviceaccount`). One set per namespace per chart, however many planners use it.
 * @internal
 */
export class PlannerRbacObjects extends Construct {
  public static readonly SERVICE_ACCOUNT = 'planner-serviceaccount';

  /** The set for `namespace` in `scope`'s chart, created on first use. */
  public static ensure(scope: Construct, namespace: string): PlannerRbacObjects {
    const chart = Chart.of(scope);
    const id = `DynamoPlannerRbac-${namespace}`;
    return (chart.node.tryFindChild(id) as PlannerRbacObjects | undefined) ?? new PlannerRbacObjects(chart, id, namespace);
  }

  private constructor(scope: Construct, id: string, namespace: string) {
    super(scope, id);
    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: PlannerRbacObjects.SERVICE_ACCOUNT, namespace },
    });
    new k8s.KubeRole(this, 'Role', {
      metadata: { name: 'planner-role', namespace },
      rules: RbacRules.toPolicyRules(RbacRules.planner()),
    });
    new k8s.KubeRoleBinding(this, 'RoleBinding', {
      metadata: { name: 'planner-binding', namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'planner-role' },
      subjects: [{ kind: 'ServiceAccount', name: PlannerRbacObjects.SERVICE_ACCOUNT, namespace }],
    });
  }
}
