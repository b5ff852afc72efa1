/**
 * How a policy finding affects synthesis.
 */
export enum PolicySeverity {
  /** Fails `cdk8s synth`: nothing is written. */
  ERROR = 'error',
  /** Printed once per finding on stderr; synthesis goes on. */
  WARNING = 'warning',
}

/**
 * A rule of the policy pack, as documented in `docs/policy.md`.
 */
export interface PolicyRuleInfo {
  /** Rule id, e.g. `DYN-GPU-001`. */
  readonly id: string;
  /** Error or warning. */
  readonly severity: PolicySeverity;
  /** What the rule guards against, one line. */
  readonly reason: string;
  /** How to fix a finding. */
  readonly fix: string;
}

/**
 * One rule violation found in the synthesized objects.
 */
export interface PolicyFinding {
  /** Rule id, e.g. `DYN-GPU-001`. */
  readonly ruleId: string;
  /** Severity of the rule. */
  readonly severity: PolicySeverity;
  /** Construct path of the object the finding is about. */
  readonly path: string;
  /** Kind of the object, e.g. `DynamoGraphDeployment`. */
  readonly kind: string;
  /** `metadata.name` of the object. */
  readonly name: string;
  /**
   * DGD component (service) the finding is about.
   * @default - the whole object
   */
  readonly component?: string;
  /** Field path in the object, e.g. `spec.components[decode].podTemplate.spec.containers[main].resources`. */
  readonly field: string;
  /** The full message: rule id, construct path, field, value, what is allowed and the fix. */
  readonly message: string;
  /**
   * Reason of the suppression that covers this finding.
   * @default - not suppressed
   */
  readonly suppressedBecause?: string;
}
