import { Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { IConstruct } from 'constructs';
import { DynamoNames } from './names';
import { DynamoRuntime } from './runtime-image';
import { PropError } from '../common/errors';
import { SecureDefaults } from '../common/security';

/**
 * Pod and main-container settings every component accepts beyond what it derives itself, in the spirit of
 * cdk8s-plus's pod and container props. They render the same way for DGD `v1alpha1` (`extraPodSpec`,
 * `extraPodSpec.mainContainer`) and `v1beta1` (`podTemplate`, container `main`).
 */
export interface ComponentPodOverrides {
  /**
   * Extra pod volumes (ConfigMaps, Secrets, emptyDirs, host paths, CSI volumes...). Mount them into the main
   * container with `volumeMounts`, or into a sidecar. Names must not clash with the volumes the component renders
   * (`engine-config`, `lora-adapters`, its claims) or the operator's `shared-memory`.
   * @default - none
   */
  readonly volumes?: k8s.Volume[];
  /**
   * Extra mounts in the main container: of `volumes`, or of a volume the component renders. Mount paths must not
   * repeat one the component already mounts.
   * @default - none
   */
  readonly volumeMounts?: k8s.VolumeMount[];
  /**
   * Time the pod has to shut down before it is killed (`terminationGracePeriodSeconds`), e.g. to let an engine
   * finish in-flight requests.
   * @default - the operator's (60 seconds)
   */
  readonly terminationGracePeriod?: Duration;
  /**
   * Working directory of the main container, e.g. `/workspace` for relative paths in `extraArgs`.
   * @default - the image's (the library sets none)
   */
  readonly workingDir?: string;
  /**
   * A wrapper the main container runs instead of the component's program: the program and its arguments
   * (e.g. `python3 -m dynamo.vllm --model ...`) follow as the container's `args`, so a wrapper ends with
   * `exec "$@"`. For a shell wrapper: `['/bin/sh', '-c', 'ulimit -l unlimited && exec "$@"', '--']`.
   * @default - the component's program runs directly
   */
  readonly command?: string[];
  /**
   * Extra containers in the component's pods (log shippers, proxies, metric exporters). Names must be unique and
   * not `main`. A sidecar without a `securityContext` gets the restricted one (non-root, read-only root filesystem,
   * no capabilities, seccomp RuntimeDefault).
   * @default - none
   */
  readonly sidecars?: k8s.Container[];
  /**
   * Tolerations of the component's pods. On worker pools they come after the `nvidia.com/gpu` (and, on Grace nodes,
   * arm64) tolerations the pool adds itself.
   * @default - none (GPU pools: their GPU tolerations)
   */
  readonly tolerations?: k8s.Toleration[];
  /**
   * Affinity of the component's pods. On worker pools, its required node-affinity terms are each ANDed with the
   * pool's GPU targeting (product label, `nodeRequirements`); preferred terms, pod affinity and anti-affinity are
   * used as given.
   * @default - none (GPU pools: their GPU targeting)
   */
  readonly affinity?: k8s.Affinity;
  /**
   * Additions to the main container's security context (e.g. `capabilities: { add: ['IPC_LOCK'] }` for RDMA, or
   * `runAsUser`). Fields given here replace the library's defaults field by field; added capabilities keep
   * `drop: ['ALL']` unless you give `drop`. The policy pack still checks the result: a capability beyond the
   * restricted profile needs `DynamoPolicy.suppress(component, 'DYN-SEC-004', '<why>')`, recorded in the output.
   * @default - no privilege escalation, all capabilities dropped, seccomp RuntimeDefault
   */
  readonly securityContext?: k8s.SecurityContext;
  /**
   * Additions to the pod's security context (e.g. `fsGroup`, `supplementalGroups`, `sysctls`), field by field
   * over the library's defaults.
   * @default - seccomp RuntimeDefault
   */
  readonly podSecurityContext?: k8s.PodSecurityContext;
}

const TOLERATION_OPERATORS = ['Exists', 'Equal'];
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
/** Volumes the operator adds to every pod (operator-facts §3). */
const OPERATOR_VOLUMES = ['shared-memory'];
/** Container names the operator uses: the main container, and v1alpha1's converted frontend sidecar. */
const RESERVED_CONTAINERS = ['main', 'sidecar-frontend'];

/**
 * Validates `ComponentPodOverrides` and merges them with what a component derives.
 * @internal
 */
export class PodOverrides {
  /** Throws on the first bad override, naming the prop. */
  public static check(scope: IConstruct, o: ComponentPodOverrides): void {
    const volumeNames = (o.volumes ?? []).map(v => v.name);
    for (const [i, name] of volumeNames.entries()) {
      DynamoNames.checkLabel(scope, `volumes[${i}].name`, name);
      PropError.check(volumeNames.indexOf(name) === i && !OPERATOR_VOLUMES.includes(name), scope, `volumes[${i}].name`, name,
        `a volume name not used twice and not ${OPERATOR_VOLUMES.join(', ')}`, 'pod volume names are unique');
    }
    for (const [i, m] of (o.volumeMounts ?? []).entries()) {
      PropError.check(typeof m.name === 'string' && m.name.length > 0, scope, `volumeMounts[${i}].name`, m.name, 'the name of a pod volume');
      PodOverrides.checkPath(scope, `volumeMounts[${i}].mountPath`, m.mountPath);
    }
    if (o.terminationGracePeriod !== undefined) {
      const seconds = o.terminationGracePeriod.toSeconds({ integral: false });
      PropError.check(Number.isInteger(seconds) && seconds >= 0, scope, 'terminationGracePeriod', o.terminationGracePeriod.toHumanString(),
        'a whole number of seconds, 0 or more');
    }
    if (o.workingDir !== undefined) PodOverrides.checkPath(scope, 'workingDir', o.workingDir);
    if (o.command !== undefined) {
      PropError.check(Array.isArray(o.command) && o.command.length > 0 && o.command.every(a => typeof a === 'string' && a.length > 0),
        scope, 'command', o.command, 'a non-empty list of non-empty strings');
    }
    const sidecarNames = (o.sidecars ?? []).map(c => c.name);
    for (const [i, c] of (o.sidecars ?? []).entries()) {
      DynamoNames.checkLabel(scope, `sidecars[${i}].name`, c.name);
      PropError.check(sidecarNames.indexOf(c.name) === i && !RESERVED_CONTAINERS.includes(c.name), scope, `sidecars[${i}].name`, c.name,
        `a container name not used twice and not ${RESERVED_CONTAINERS.join(' or ')}`, 'the operator renders the main container itself');
      PropError.check(typeof c.image === 'string', scope, `sidecars[${i}].image`, c.image, 'a container image reference');
      DynamoRuntime._checkImage(scope, `sidecars[${i}].image`, c.image);
    }
    for (const [i, t] of (o.tolerations ?? []).entries()) {
      const op = t.operator ?? 'Equal';
      PropError.check(TOLERATION_OPERATORS.includes(op), scope, `tolerations[${i}].operator`, t.operator, TOLERATION_OPERATORS.join(', '));
      PropError.check(t.effect === undefined || TAINT_EFFECTS.includes(t.effect), scope, `tolerations[${i}].effect`, t.effect, TAINT_EFFECTS.join(', '));
      PropError.check(op !== 'Exists' || t.value === undefined, scope, `tolerations[${i}].value`, t.value, 'unset with operator Exists');
      PropError.check(t.key !== undefined || op === 'Exists', scope, `tolerations[${i}].key`, t.key, 'a taint key, or operator Exists to tolerate every taint');
    }
  }

  /** The main container's security context: the user's fields over the defaults; added capabilities keep `drop`. */
  public static securityContext(defaults: k8s.SecurityContext, user: k8s.SecurityContext | undefined): k8s.SecurityContext {
    if (!user) return defaults;
    const capabilities = user.capabilities
      ? { drop: user.capabilities.drop ?? defaults.capabilities?.drop, add: user.capabilities.add }
      : defaults.capabilities;
    return { ...defaults, ...user, capabilities };
  }

  /** The pod's security context: the user's fields over the defaults. */
  public static podSecurityContext(defaults: k8s.PodSecurityContext, user: k8s.PodSecurityContext | undefined): k8s.PodSecurityContext {
    return user ? { ...defaults, ...user } : defaults;
  }

  /**
   * `own` (a pool's GPU targeting) combined with the user's affinity: each required node-selector term of the user's
   * is ANDed with `own`'s required expressions; everything else is the user's.
   */
  public static affinity(own: k8s.Affinity | undefined, user: k8s.Affinity | undefined): k8s.Affinity | undefined {
    if (!user) return own;
    const ownTerms = own?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
    const ownExpressions = ownTerms.flatMap(t => t.matchExpressions ?? []);
    const userRequired = user.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    const terms = userRequired
      ? userRequired.nodeSelectorTerms.map(t => ({ ...t, matchExpressions: [...ownExpressions, ...(t.matchExpressions ?? [])] }))
      : ownTerms;
    const nodeAffinity: k8s.NodeAffinity | undefined = terms.length > 0 || user.nodeAffinity
      ? {
        ...user.nodeAffinity,
        requiredDuringSchedulingIgnoredDuringExecution: terms.length > 0 ? { nodeSelectorTerms: terms } : undefined,
      }
      : undefined;
    return { ...user, nodeAffinity };
  }

  /** Sidecars, each with the restricted security context unless it sets its own. */
  public static sidecars(sidecars: k8s.Container[] | undefined): k8s.Container[] {
    return (sidecars ?? []).map(c => c.securityContext ? c
      : { ...c, securityContext: SecureDefaults.containerSecurityContext({ nonRoot: true, readOnlyRootFilesystem: true }) });
  }

  private static checkPath(scope: IConstruct, prop: string, path: string): void {
    PropError.check(typeof path === 'string' && /^\/\S*$/.test(path) && !path.split('/').includes('..'), scope, prop, path,
      'an absolute path without whitespace or \'..\'');
  }

  private constructor() {}
}
