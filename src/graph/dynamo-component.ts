import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { Construct, IConstruct } from 'constructs';
import { ClaimMountPlan, ComponentPlan } from './component-plan';
import { ComponentType } from './component-type';
import { DynamoApiVersion } from './dynamo-api-version';
import type { DynamoGraph } from './dynamo-graph';
import { EnvVars, SecretKeyRef } from './env';
import { DynamoNames } from './names';
import { ComponentPodOverrides, PodOverrides } from './pod-overrides';
import { DynamoRuntime } from './runtime-image';
import { ScalingAdapterSeed } from './scaling-adapter-seed';
import { PropError } from '../common/errors';
import { SecureDefaults } from '../common/security';
import { DynamoPolicy } from '../policy/dynamo-policy';

/**
 * An existing PersistentVolumeClaim mounted into a component's main container (DGD v1alpha1 `pvcs` + `volumeMounts`;
 * v1beta1 pod volume + mount), e.g. a model cache filled outside this app.
 */
export interface ClaimMount {
  /** Name of the claim, in the graph's namespace. */
  readonly claimName: string;
  /** Absolute directory where the main container sees it, e.g. `/root/.cache/huggingface`. */
  readonly mountPath: string;
}

/**
 * Env, pod metadata and pod/container overrides of a component (also given to every worker pool of
 * `DynamoGraph.fromSla`).
 */
export interface ComponentPodOptions extends ComponentPodOverrides {
  /**
   * Literal environment variables. Credentials are refused here: use `secretEnv`.
   * @default - none
   */
  readonly env?: { [name: string]: string };
  /**
   * Environment variables read from Secret keys, e.g. `{ HF_TOKEN: { secretName: 'hf-token-secret', key: 'HF_TOKEN' } }`.
   * @default - none
   */
  readonly secretEnv?: { [name: string]: SecretKeyRef };
  /**
   * A Secret whose keys all become environment variables (DGD `envFromSecret`), e.g. `hf-token-secret`.
   * @default - the graph's `envFromSecret`
   */
  readonly envFromSecret?: string;
  /**
   * Extra labels of the component's pods.
   * @default - none
   */
  readonly podLabels?: { [key: string]: string };
  /**
   * Extra annotations of the component's pods.
   * @default - none
   */
  readonly podAnnotations?: { [key: string]: string };
}

/**
 * Props every graph component accepts.
 */
export interface DynamoComponentProps extends ComponentPodOptions {
  /**
   * The component name in the graph (DGD `components[].name` / `services` key). The operator derives
   * object names from it: `<graph>-<lower-cased name>`.
   * @default - the construct id
   */
  readonly componentName?: string;
  /**
   * Number of replicas (for multinode pools: replicas of the whole multi-node engine). On a component whose scaling
   * adapter is on (a Planner or autoscaler scales it) this is the starting size: the DGD carries no count (the
   * adapter owns it, and a count in Git would be reset on every GitOps sync), and the adapter is created once with
   * this many replicas, from where the Planner or autoscaler takes over (see `docs/planner.md`).
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Main container image.
   * @default - the graph's image
   */
  readonly image?: string;
  /**
   * Dynamo runtime version of `image`, as MAJOR.MINOR.PATCH. The operator requires it when the image tag is not
   * semver.
   * @default - derived from the image tag; the graph's value when the image is the graph's
   */
  readonly runtimeVersionOverride?: string;
  /**
   * Existing PersistentVolumeClaims to mount into the main container, as upstream manifests do with `pvcs` and
   * `volumeMounts` (e.g. a pre-filled Hugging Face cache at `/root/.cache/huggingface`: a worker pool then reserves
   * no disk for downloading its model). For a cache this app should fill, use `ModelCache`.
   * @default - none
   */
  readonly claimMounts?: ClaimMount[];
  /**
   * Let a DynamoGraphDeploymentScalingAdapter own the replica count, so HPA, KEDA or the Planner can scale the
   * component through its `/scale` subresource (see `DynamoGraph.scalingAdapterName`). A `Planner`,
   * `HpaPoolAutoscaler` or `KedaPoolAutoscaler` of this app turns it on for the components it scales; set it
   * yourself only for an autoscaler defined elsewhere.
   * @default - on when a Planner or autoscaler of this app scales the component, off otherwise
   */
  readonly scalingAdapter?: boolean;
}

/**
 * What a concrete component adds to the common parts of its plan.
 * @internal
 */
export interface ComponentDetails {
  readonly command?: string[];
  readonly args?: string[];
  readonly workingDir?: string;
  /** Env the component itself needs; the user's env follows it. */
  readonly env?: k8s.EnvVar[];
  /** Complete resources of the main container. */
  readonly resources: k8s.ResourceRequirements;
  readonly claimMounts?: ClaimMountPlan[];
  readonly volumes?: k8s.Volume[];
  readonly volumeMounts?: k8s.VolumeMount[];
  readonly initContainers?: k8s.Container[];
  readonly startupProbe?: k8s.Probe;
  readonly livenessProbe?: k8s.Probe;
  readonly readinessProbe?: k8s.Probe;
  readonly sharedMemorySize?: string;
  readonly nodeCount?: number;
  readonly modelRef?: { readonly name: string; readonly revision?: string };
  readonly nodeSelector?: { [key: string]: string };
  readonly affinity?: k8s.Affinity;
  readonly tolerations?: k8s.Toleration[];
  /** True when `affinity` and `tolerations` already include the user's (worker pools merge them into their placement). */
  readonly placesPods?: boolean;
  /** Pod annotations the component needs (e.g. a config hash that rolls pods when a ConfigMap changes). */
  readonly podAnnotations?: { [key: string]: string };
}

const COMPONENT_SYMBOL = Symbol.for('cdk8s-dynamo.DynamoComponent');

/**
 * Policy rules the Dynamo runtime and planner images cannot meet, recorded with their reason on every component
 * (the documented exceptions of docs/policy.md), so they show in the output instead of as warnings.
 */
const IMAGE_EXCEPTIONS: ReadonlyArray<readonly [string, string]> = [
  ['DYN-SEC-006', 'Dynamo runtime and planner images run as root (they write under /workspace and /root/.cache)'],
  ['DYN-SEC-007', 'Dynamo runtime and planner images write JIT, Triton and compile caches under their own paths'],
];

/**
 * Base of every component of a `DynamoGraph`: frontend, worker pools, planner. It holds what all components share
 * (name, replicas, image, env, resources, security) and asks the subclass for the rest at synth.
 *
 * To add a new kind of component, subclass it in the graph's scope and implement `_details()`.
 */
export abstract class DynamoComponent extends Construct {
  /**
   * Validates label or annotation keys (and label values).
   * @internal
   */
  public static _checkMetadata(scope: IConstruct, prop: string, values: { [key: string]: string } | undefined, labels: boolean): void {
    for (const [key, value] of Object.entries(values ?? {})) {
      PropError.check(/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(key) && key.length <= 316,
        scope, prop, key, 'keys of the form [prefix/]name: letters, digits, \'-\', \'_\', \'.\'');
      if (labels) {
        PropError.check(/^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/.test(value) && value.length <= 63,
          scope, `${prop}.${key}`, value, 'a label value: at most 63 letters, digits, \'-\', \'_\', \'.\', starting and ending alphanumeric');
      }
    }
  }

  /**
   * True if `x` is a graph component (works across copies of the library in one app).
   * @param x any value
   */
  public static isComponent(x: unknown): x is DynamoComponent {
    return x !== null && typeof x === 'object' && COMPONENT_SYMBOL in x;
  }

  /** A JSON-pointer reference token (RFC 6901). */
  private static pointerToken(name: string): string {
    return name.replace(/~/g, '~0').replace(/\//g, '~1');
  }

  /** `Kind 'path'` of a construct, for messages that name two constructs. */
  private static describe(c: IConstruct): string {
    return `${c.constructor.name} '${c.node.path}'`;
  }

  /** The graph this component belongs to. */
  public readonly graph: DynamoGraph;
  /** The component name in the DGD (`components[].name` / `services` key). */
  public readonly componentName: string;
  /** The component's role. */
  public readonly type: ComponentType;
  /**
   * Replica count (for multinode pools: whole engines). While the scaling adapter is on, this is the count the
   * adapter starts from; the DGD does not carry it.
   */
  public readonly replicas: number;
  private readonly props: DynamoComponentProps;
  /** Autoscalers outside the graph that drive this component, in the order they were created. */
  private readonly autoscalers: IConstruct[] = [];
  /** The scaling adapter created with the starting size, once the adapter is on and a size other than 1 is given. */
  private seed?: ScalingAdapterSeed;

  /**
   * @param graph the graph the component joins
   * @param id construct id, unique within the graph; the default component name
   * @param type the DGD component type
   * @param props name, replicas, image, env, metadata, claims and scaling adapter
   */
  protected constructor(graph: DynamoGraph, id: string, type: ComponentType, props: DynamoComponentProps) {
    super(graph, id);
    Object.defineProperty(this, COMPONENT_SYMBOL, { value: true });
    this.graph = graph;
    this.type = type;
    this.props = props;
    this.componentName = props.componentName ?? id;
    DynamoNames.checkComponent(this, 'componentName', this.componentName);
    this.replicas = props.replicas ?? 1;
    PropError.integer(this, 'replicas', this.replicas, 0, 2 ** 31 - 1);
    DynamoRuntime._checkImage(this, 'image', props.image);
    EnvVars.check(this, props.env, props.secretEnv, props.envFromSecret);
    DynamoComponent._checkMetadata(this, 'podLabels', props.podLabels, true);
    DynamoComponent._checkMetadata(this, 'podAnnotations', props.podAnnotations, false);
    PodOverrides.check(this, props);
    for (const [i, m] of (props.claimMounts ?? []).entries()) {
      DynamoNames.checkLabel(this, `claimMounts[${i}].claimName`, m.claimName);
      PropError.check(/^\/\S*$/.test(m.mountPath) && !m.mountPath.split('/').includes('..'), this, `claimMounts[${i}].mountPath`, m.mountPath,
        'an absolute path without whitespace or \'..\'');
    }
    graph._register(this);
    for (const [ruleId, reason] of IMAGE_EXCEPTIONS) DynamoPolicy.suppress(this, ruleId, reason);
    // Rendering the component (validateMounts plans it) checks what is only known at synth: engine flags under the
    // frontend's KV routing and attached LoRA adapters.
    this.node.addValidation({ validate: () => PropError.messages(() => [...this.validateScaling(), ...this.validateMounts()]) });
    if (type === ComponentType.FRONTEND) graph._ensureFrontendBudget();
    this._ensureSeed();
  }

  /**
   * The Planner and autoscalers of this app that scale the component through its scaling adapter: graph components
   * first (the Planner), then autoscalers in the order they were created.
   */
  public get scaledBy(): IConstruct[] {
    return [...this.graph.components.filter(c => c !== this && c._scales(this)), ...this.autoscalers];
  }

  /**
   * Fewest replicas the component runs: `replicas`, or the `minReplicas` of the autoscaler of this app that scales
   * it. Undefined while the scaling adapter is on and nothing here states the minimum (the Planner, or an
   * autoscaler defined elsewhere).
   */
  public get minReplicas(): number | undefined {
    if (!this.scalingAdapterEnabled) return this.replicas;
    // Duck-typed: autoscalers live in a module that depends on this one.
    const min = (this.scaledBy[0] as { minReplicas?: unknown } | undefined)?.minReplicas;
    return typeof min === 'number' ? min : undefined;
  }

  /**
   * True when a DynamoGraphDeploymentScalingAdapter owns the replica count: `scalingAdapter: true`, or a Planner or
   * autoscaler of this app scales the component. The DGD then leaves `replicas` out.
   */
  public get scalingAdapterEnabled(): boolean {
    return this.props.scalingAdapter ?? this.scaledBy.length > 0;
  }

  /**
   * Turns the scaling adapter on for an autoscaler (HPA, KEDA) that drives this component.
   * @internal
   */
  public _enableScalingAdapter(scaler: IConstruct): void {
    PropError.check(this.type !== ComponentType.PLANNER, scaler, 'target', this.node.path, 'a frontend or worker pool',
      'the Planner runs as one replica and is not scaled');
    if (!this.autoscalers.includes(scaler)) this.autoscalers.push(scaler);
    this.graph._ensureFrontendBudget();
    this._ensureSeed();
  }

  /**
   * Renders the starting size as a create-once scaling adapter when the adapter is on and `replicas` is not the
   * operator's own starting count (1). Called when the component joins the graph, when a Planner joins (for the
   * pools it scales) and when an autoscaler attaches: the adapter only ever turns on.
   * @internal
   */
  public _ensureSeed(): void {
    if (this.type === ComponentType.PLANNER || this.seed || this.props.replicas === undefined || this.props.replicas === 1) return;
    if (!this.scalingAdapterEnabled) return;
    this.seed = new ScalingAdapterSeed(this, 'ScalingAdapter');
  }

  /** The create-once scaling adapter holding the starting size, if one is rendered. */
  public get startingScalingAdapter(): ApiObject | undefined {
    return this.seed?.apiObject;
  }

  /**
   * True when this component scales `component` through its scaling adapter (the Planner scales its graph's pools).
   * @internal
   */
  public _scales(_component: DynamoComponent): boolean {
    return false;
  }

  /**
   * The error of `scaler` driving this component when another Planner or autoscaler already does.
   * @internal
   */
  public _scalingConflicts(scaler: IConstruct): string[] {
    const [first, ...others] = this.scaledBy;
    if (first === undefined || !others.includes(scaler)) return [];
    return [PropError.invalid(scaler, 'target', this.node.path, 'a component no other Planner or autoscaler scales',
      `${DynamoComponent.describe(first)} already scales it through DynamoGraphDeploymentScalingAdapter '${this.graph.scalingAdapterName(this)}'; two drivers would fight over its replicas`).message];
  }

  /**
   * JSON-patch path of the component's pod spec in the DGD, for fields no prop covers:
   * `graph.apiObject.addJsonPatch(JsonPatch.add(`${pool.podSpecPath}/hostIPC`, true))`. It addresses the component by
   * name whatever the API version: `/spec/components/<its index>/podTemplate/spec` (v1beta1) or
   * `/spec/services/<name>/extraPodSpec` (v1alpha1, where the pod's fields sit inline).
   */
  public get podSpecPath(): string {
    return this.graph.apiVersion === DynamoApiVersion.V1ALPHA1
      ? `/spec/services/${DynamoComponent.pointerToken(this.componentName)}/extraPodSpec`
      : `/spec/components/${this.graph.components.indexOf(this)}/podTemplate/spec`;
  }

  /**
   * JSON-patch path of the component's main container in the DGD (see `podSpecPath`):
   * `/spec/components/<its index>/podTemplate/spec/containers/0` (v1beta1, where `main` comes first) or
   * `/spec/services/<name>/extraPodSpec/mainContainer` (v1alpha1).
   */
  public get mainContainerPath(): string {
    return this.graph.apiVersion === DynamoApiVersion.V1ALPHA1 ? `${this.podSpecPath}/mainContainer` : `${this.podSpecPath}/containers/0`;
  }

  /** The image of the main container. */
  public get image(): string {
    return this.props.image ?? this._defaultImage() ?? this.graph.image;
  }

  /**
   * The image to use when the component sets none, before the graph's (e.g. the planner's own image).
   * @internal
   */
  public _defaultImage(): string | undefined {
    return undefined;
  }

  /**
   * The renderer-neutral plan of this component.
   * @internal
   */
  public _plan(): ComponentPlan {
    const d = this._details();
    const image = this.image;
    const explicitVersion = this.explicitRuntimeVersion();
    const p = this.props;
    // A wrapper command runs the component's program, which then follows as its arguments.
    const program = d.command ?? this._program();
    const wrapped = p.command !== undefined && program !== undefined;
    return {
      name: this.componentName,
      type: this.type,
      // The scaling adapter owns the count: a DGD that also writes it is reset by every GitOps sync.
      replicas: this.scalingAdapterEnabled ? undefined : this.replicas,
      image,
      runtimeVersionOverride: DynamoRuntime._versionOverride(this, image, explicitVersion),
      command: wrapped ? [...p.command!] : d.command,
      args: wrapped ? [...program!, ...(d.args ?? [])] : d.args,
      workingDir: p.workingDir ?? d.workingDir,
      env: this.env(d.env ?? []),
      envFromSecret: this.props.envFromSecret ?? this.graph.envFromSecret,
      resources: d.resources,
      claimMounts: [...(d.claimMounts ?? []), ...(this.props.claimMounts ?? [])],
      volumes: [...(d.volumes ?? []), ...(p.volumes ?? [])],
      volumeMounts: [...(d.volumeMounts ?? []), ...(p.volumeMounts ?? [])],
      initContainers: d.initContainers ?? [],
      startupProbe: d.startupProbe,
      livenessProbe: d.livenessProbe,
      readinessProbe: d.readinessProbe,
      sharedMemorySize: d.sharedMemorySize,
      nodeCount: d.nodeCount,
      scalingAdapter: this.scalingAdapterEnabled,
      modelRef: d.modelRef,
      nodeSelector: d.nodeSelector,
      // Pools merge the user's placement into their GPU placement themselves (the model cache reuses it).
      affinity: d.placesPods ? d.affinity : PodOverrides.affinity(d.affinity, p.affinity),
      tolerations: d.placesPods ? d.tolerations ?? [] : [...(d.tolerations ?? []), ...(p.tolerations ?? [])],
      terminationGracePeriodSeconds: p.terminationGracePeriod?.toSeconds(),
      // Dynamo runtime images run as root (they write under /workspace and /root/.cache): the one documented
      // exception to the restricted profile. Everything else of it applies.
      podSecurityContext: PodOverrides.podSecurityContext(SecureDefaults.podSecurityContext({ nonRoot: false }), p.podSecurityContext),
      securityContext: PodOverrides.securityContext(
        SecureDefaults.containerSecurityContext({ nonRoot: false, readOnlyRootFilesystem: false }), p.securityContext),
      sidecars: PodOverrides.sidecars(p.sidecars),
      podLabels: { ...this.props.podLabels },
      podAnnotations: { ...d.podAnnotations, ...this.props.podAnnotations },
    };
  }

  /**
   * The Dynamo runtime version of the component's image, when its tag or an override states it.
   * @internal
   */
  public _runtimeVersion(): string | undefined {
    return DynamoRuntime._version(this.image, this.explicitRuntimeVersion());
  }

  /**
   * The component-specific part of the plan, computed at synth.
   * @internal
   */
  public abstract _details(): ComponentDetails;

  /** The component's `runtimeVersionOverride`, or the graph's when the component runs the graph's image. */
  private explicitRuntimeVersion(): string | undefined {
    const usesGraphImage = this.props.image === undefined && this._defaultImage() === undefined;
    return this.props.runtimeVersionOverride ?? (usesGraphImage ? this.graph.runtimeVersionOverride : undefined);
  }

  /**
   * The program the operator runs in the main container when the component renders no command (the frontend's
   * `python3 -m dynamo.frontend`): what a wrapper `command` runs.
   * @internal
   */
  public _program(): string[] | undefined {
    return undefined;
  }

  /**
   * The component's own env, then the user's. A variable the user sets (here or graph-wide) replaces the component's
   * default instead of repeating it: the operator lets component env win over the graph's, so a default left in
   * place would silently override the user's graph-wide value.
   */
  private env(own: k8s.EnvVar[]): k8s.EnvVar[] {
    const user = EnvVars.render(this.props.env, this.props.secretEnv);
    const taken = new Set([...user.map(e => e.name), ...this.graph._envNames()]);
    return [...own.filter(e => !taken.has(e.name)), ...user];
  }

  /**
   * Two mounts at one path are rejected by the API server; a claim mounted twice, by the operator's PVC list; a
   * volume name used twice or a mount of no volume, by the API server.
   */
  private validateMounts(): string[] {
    const plan = this._plan();
    const paths = [...plan.claimMounts.map(m => m.mountPath), ...plan.volumeMounts.map(m => m.mountPath)];
    const claims = plan.claimMounts.map(m => m.claimName);
    const twice = (xs: string[]) => xs.filter((x, i) => xs.indexOf(x) !== i);
    const errors = [...new Set([...twice(paths), ...twice(claims)])].map(value => PropError.invalid(this, 'claimMounts', value,
      'claims and mount paths not used twice in the component (model caches, engine config and LoRA directories included)',
      'the main container would mount the same path or claim twice').message);
    // A claim mounted twice is reported above; a claim becomes one pod volume.
    const volumes = [...new Set(claims), ...plan.volumes.map(v => v.name)];
    for (const name of new Set(twice(volumes))) {
      errors.push(PropError.invalid(this, 'volumes', name, 'volume names the component does not render itself (engine-config, lora-adapters, its claims)',
        'pod volume names are unique').message);
    }
    for (const [i, m] of (this.props.volumeMounts ?? []).entries()) {
      if (volumes.includes(m.name)) continue;
      errors.push(PropError.invalid(this, `volumeMounts[${i}].name`, m.name, `a volume of the pod: ${volumes.join(', ') || '(none)'}`,
        'the main container can only mount a volume of its pod').message);
    }
    return errors;
  }

  private validateScaling(): string[] {
    const errors: string[] = [];
    const [scaler] = this.scaledBy;
    const adapter = `DynamoGraphDeploymentScalingAdapter '${this.graph.scalingAdapterName(this)}'`;
    if (this.props.scalingAdapter === false && scaler !== undefined) {
      errors.push(PropError.invalid(this, 'scalingAdapter', false, 'true or unset on a component a Planner or autoscaler scales',
        `${DynamoComponent.describe(scaler)} scales it through ${adapter}`).message);
    }
    const start = this.props.replicas;
    if (start !== undefined && this.scalingAdapterEnabled) {
      if (start === 0) {
        errors.push(PropError.invalid(this, 'replicas', start, 'at least 1 while the scaling adapter is on',
          `${adapter} starts from it, and Dynamo cannot scale a component from zero`).message);
      }
      // Duck-typed: autoscalers live in a module that depends on this one.
      const bounds = scaler as { minReplicas?: unknown; maxReplicas?: unknown } | undefined;
      if (typeof bounds?.minReplicas === 'number' && typeof bounds.maxReplicas === 'number'
        && (start < bounds.minReplicas || start > bounds.maxReplicas)) {
        errors.push(PropError.invalid(this, 'replicas', start, `a starting size from ${bounds.minReplicas} to ${bounds.maxReplicas}`,
          `${DynamoComponent.describe(scaler!)} scales it within those bounds and would move it at once`).message);
      }
    }
    return errors;
  }

}
