import { ApiObject, Chart, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { ComponentPlan, GraphPlan } from './component-plan';
import { ComponentType, WORKER_COMPONENT_TYPES } from './component-type';
import { DynamoApiVersion } from './dynamo-api-version';
import { DynamoComponent } from './dynamo-component';
import { EnvVars, SecretKeyRef } from './env';
import { Frontend, RouterMode } from './frontend';
import { FrontendDisruptionBudget } from './frontend-disruption-budget';
import { KvTransferCheck } from './kv-transfer-check';
import { DynamoNames } from './names';
import { V1Alpha1Renderer } from './render-v1alpha1';
import { V1Beta1Renderer } from './render-v1beta1';
import { DynamoRuntime } from './runtime-image';
import { DynamoGraphSlaProps, SlaGraph } from './sla-graph';
import { SlaPlanRecord } from './sla-plan-record';
import { SlaPlanReportFile } from './sla-plan-report-file';
import type { WorkerPool } from './worker-pool';
import { PropError } from '../common/errors';
import { Backend } from '../engines/backend';
import { MultimodalPattern, MultimodalSupport } from '../engines/multimodal';
import { PlanResult } from '../optimizer/plan-result';
import { PolicyPack, PolicyPackProps } from '../policy/policy-pack';

/** The CRD allows at most 25 components per graph. */
const MAX_COMPONENTS = 25;
/** Worker Deployments are named `<graph>-<component>-<8-hex hash>` and that name is a label value (at most 63). */
const WORKER_HASH_SUFFIX = 9;
/** Component types of worker pools. */

/**
 * Graph-wide settings shared by `DynamoGraph` and `DynamoGraph.fromSla`.
 */
export interface DynamoGraphOptions {
  /**
   * `metadata.name` of the DynamoGraphDeployment. The operator prefixes the names of the objects it creates with it.
   * @default - the construct id, lower-cased
   */
  readonly name?: string;
  /**
   * Namespace of the DynamoGraphDeployment.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * API version to write.
   * @default DynamoApiVersion.V1BETA1
   */
  readonly apiVersion?: DynamoApiVersion;
  /**
   * Runtime image of every component that does not set its own.
   * @default - `DynamoRuntime.image(backend)`, the backend's runtime image at `DynamoRuntime.DEFAULT_VERSION`
   */
  readonly image?: string;
  /**
   * Dynamo runtime version of `image` (MAJOR.MINOR.PATCH). The operator requires it when the tag is not semver;
   * it is derived from tags such as `1.3.0.post1`, so set it only for tags like `my-build`.
   * @default - derived from the image tag
   */
  readonly runtimeVersionOverride?: string;
  /**
   * Literal environment variables of every component (DGD `env` / `envs`). Credentials are refused: use `secretEnv`.
   * @default - none
   */
  readonly env?: { [name: string]: string };
  /**
   * Environment variables of every component, read from Secret keys.
   * @default - none
   */
  readonly secretEnv?: { [name: string]: SecretKeyRef };
  /**
   * A Secret whose keys become environment variables of every component that does not set its own, e.g. a
   * `hf-token-secret` holding `HF_TOKEN`.
   * @default - none
   */
  readonly envFromSecret?: string;
  /**
   * Labels of the DGD, propagated by the operator to every object it creates.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * Annotations of the DGD, propagated by the operator to every object it creates (e.g.
   * `nvidia.com/enable-grove: "false"`, `nvidia.com/kai-scheduler-queue`).
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
  /**
   * Priority class of every pod of the graph. It is written into each pod template, not the DGD's own
   * `priorityClassName`, which the operator accepts only with Grove.
   * @default - none
   */
  readonly priorityClassName?: string;
  /**
   * Check the graph's chart with the policy pack on every synth: `DynamoPolicy.apply(Chart.of(graph), policy)`.
   * Errors fail `cdk8s synth` before anything is written; warnings are printed. With `false` the graph applies no
   * pack, but one applied to the chart or App elsewhere (by you or another graph) still checks it.
   * @default true
   */
  readonly policyEnabled?: boolean;
  /**
   * Options of the policy pack the graph applies to its chart (the first options given for a chart win; different
   * ones are refused).
   * @default - the pack's defaults
   */
  readonly policy?: PolicyPackProps;
  /**
   * Render a PodDisruptionBudget (`FrontendDisruptionBudget`, `maxUnavailable: 1`) for the frontend once it runs 2 or
   * more replicas (`replicas`, or the `minReplicas` of the autoscaler that scales it), so node drains take its
   * pods down one at a time. Worker pools get none: see docs/policy.md.
   * @default true
   */
  readonly frontendDisruptionBudget?: boolean;
}

/**
 * Props of a `DynamoGraph`.
 */
export interface DynamoGraphProps extends DynamoGraphOptions {
  /** The inference engine of the graph's workers (DGD `backendFramework`). */
  readonly backend: Backend;
}

/**
 * One NVIDIA Dynamo DynamoGraphDeployment: a frontend plus worker pools (and optionally a planner), added as child
 * constructs. Renders `nvidia.com/v1beta1` by default or `nvidia.com/v1alpha1` from the same tree.
 *
 * ```ts fixture=chart
 * import { Backend, DecodePool, DynamoGraph, Frontend, GpuProfile, PrefillPool, RouterMode } from 'cdk8s-dynamo';
 *
 * const graph = new DynamoGraph(chart, 'qwen', { backend: Backend.VLLM });
 * new Frontend(graph, 'Frontend', { routerMode: RouterMode.KV });
 * new PrefillPool(graph, 'Prefill', { model: 'Qwen/Qwen3-0.6B', gpu: GpuProfile.H100_SXM });
 * new DecodePool(graph, 'Decode', { model: 'Qwen/Qwen3-0.6B', gpu: GpuProfile.H100_SXM, replicas: 2 });
 * ```
 */
export class DynamoGraph extends Construct {
  /**
   * A graph whose serving mode, engine, worker counts, parallelism and engine limits are chosen by the SLA optimizer
   * (`SlaOptimizer.plan`) at synth: the most output tokens/s per GPU that meets the TTFT and ITL targets on the given
   * GPUs. It gets a `Frontend` and either an `AggregatedPool` (`Worker`) or a `PrefillPool` (`Prefill`) and a
   * `DecodePool` (`Decode`); the choice is in `graph.plan` and recorded in the output (DGD annotations
   * `sla.cdk8s-dynamo.io/*` and ConfigMap `<graph>-sla-plan`). Fails, naming the closest configuration and the
   * limit it misses, when nothing meets the SLA (unless `bestEffort`).
   *
   * ```ts fixture=chart
   * import { DynamoGraph, GpuProfile } from 'cdk8s-dynamo';
   *
   * const graph = DynamoGraph.fromSla(chart, 'qwen', {
   *   model: 'Qwen/Qwen3-8B', gpu: GpuProfile.H100_SXM, hardware: { totalGpus: 8 },
   *   workload: { inputSequenceLength: 2048, outputSequenceLength: 256 }, sla: { ttftMs: 300, itlMs: 20 },
   * });
   * ```
   * @param scope parent construct, usually a chart
   * @param id construct id, unique within `scope`; the default DGD name
   * @param props the model, GPU, traffic, latency targets and GPU budget to plan for (one of `hardware.totalGpus`
   * and `workload.requestRate` is required), plus graph-wide settings and the frontend's and workers' props
   */
  public static fromSla(scope: Construct, id: string, props: DynamoGraphSlaProps): DynamoGraph {
    const plan = SlaGraph.plan(SlaGraph.pathOf(scope, id), props);
    const graph = new DynamoGraph(scope, id, { ...props, backend: plan.best.backend });
    graph._recordPlan(plan);
    if (props.planReport) new SlaPlanReportFile(graph, 'SlaPlanReport', plan);
    SlaGraph.addComponents(graph, plan, props);
    return graph;
  }

  /** True when MAJOR.MINOR.PATCH `version` comes before `minimum`. */
  private static olderThan(version: string, minimum: string): boolean {
    const [a, b] = [version, minimum].map(v => v.split('.').map(Number));
    for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i];
    return false;
  }

  /** `metadata.name` of the DGD. */
  public readonly name: string;
  /** Inference engine of the workers. */
  public readonly backend: Backend;
  /** API version written. */
  public readonly apiVersion: DynamoApiVersion;
  /** Runtime image of components that do not set their own. */
  public readonly image: string;
  /** Graph-wide `runtimeVersionOverride`, if given. */
  public readonly runtimeVersionOverride?: string;
  /** Graph-wide `envFromSecret`, if given. */
  public readonly envFromSecret?: string;
  /** The DGD object. */
  public readonly apiObject: ApiObject;
  private readonly props: DynamoGraphProps;
  private readonly registered: DynamoComponent[] = [];
  private slaPlan?: PlanResult;
  private frontendBudget?: FrontendDisruptionBudget;

  /**
   * @param scope parent construct, usually a chart
   * @param id construct id, unique within `scope`; the default DGD name
   * @param props the backend and graph-wide settings
   */
  public constructor(scope: Construct, id: string, props: DynamoGraphProps) {
    super(scope, id);
    this.props = props;
    this.name = props.name ?? DynamoNames.fromId(id);
    DynamoNames.checkGraph(this, 'name', this.name);
    DynamoNames.checkLabel(this, 'namespace', props.namespace);
    PropError.check(Object.values(Backend).includes(props.backend), this, 'backend', props.backend, Object.values(Backend).join(', '));
    this.backend = props.backend;
    this.apiVersion = props.apiVersion ?? DynamoApiVersion.V1BETA1;
    PropError.check(Object.values(DynamoApiVersion).includes(this.apiVersion), this, 'apiVersion', this.apiVersion, Object.values(DynamoApiVersion).join(', '));
    DynamoRuntime._checkImage(this, 'image', props.image);
    this.image = props.image ?? DynamoRuntime.image(props.backend);
    this.runtimeVersionOverride = props.runtimeVersionOverride;
    if (props.runtimeVersionOverride !== undefined) DynamoRuntime._versionOverride(this, this.image, props.runtimeVersionOverride);
    this.envFromSecret = props.envFromSecret;
    EnvVars.check(this, props.env, props.secretEnv, props.envFromSecret);
    DynamoComponent._checkMetadata(this, 'labels', props.labels, true);
    DynamoComponent._checkMetadata(this, 'annotations', props.annotations, false);
    if (props.priorityClassName !== undefined) DynamoNames.checkSubdomain(this, 'priorityClassName', props.priorityClassName);

    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: this.apiVersion,
      kind: 'DynamoGraphDeployment',
      metadata: {
        name: this.name,
        namespace: props.namespace,
        labels: props.labels,
        annotations: props.annotations,
      },
      spec: Lazy.any({ produce: () => this._renderSpec() }),
    });
    this.node.addValidation({ validate: () => this.validateGraph() });
    PropError.check(props.policyEnabled !== false || props.policy === undefined, this, 'policy', props.policy,
      'unset when policyEnabled is false', 'the graph applies no policy pack to configure');
    if (props.policyEnabled !== false) PolicyPack._applyDefault(Chart.of(this), props.policy);
  }

  /** Namespace of the DGD (undefined: the chart's, or the one `kubectl` applies it to). */
  public get namespace(): string | undefined {
    return this.props.namespace ?? Chart.of(this).namespace;
  }

  /** The graph's components, in the order they were added. */
  public get components(): DynamoComponent[] {
    return [...this.registered];
  }

  /** The worker pools, in the order they were added. */
  public get workerPools(): WorkerPool[] {
    return this.registered.filter(c => WORKER_COMPONENT_TYPES.includes(c.type)) as WorkerPool[];
  }

  /** The optimizer's plan the graph was built from (`DynamoGraph.fromSla`); undefined for graphs built by hand. */
  public get plan(): PlanResult | undefined {
    return this.slaPlan;
  }

  /** The frontend, if the graph has one. */
  public get frontend(): Frontend | undefined {
    return this.registered.find((c): c is Frontend => c instanceof Frontend);
  }

  /** True when the graph has separate prefill and decode pools. */
  public get disaggregated(): boolean {
    return this.registered.some(c => c.type === ComponentType.PREFILL || c.type === ComponentType.DECODE);
  }

  /**
   * The multimodal pattern the pools make, or undefined for a text-only graph: an `EncodePool` with an
   * `AggregatedPool` is E/PD, with prefill and decode pools E/P/D; without one, multimodal prefill and decode pools
   * are EP/D and a multimodal `AggregatedPool` EPD.
   */
  public get multimodalPattern(): MultimodalPattern | undefined {
    const pools = this.workerPools;
    const encoder = pools.some(p => p._role === 'encode');
    if (!encoder && !pools.some(p => p.multimodal)) return undefined;
    if (encoder) return this.disaggregated ? MultimodalPattern.E_P_D : MultimodalPattern.E_PD;
    return this.disaggregated ? MultimodalPattern.EP_D : MultimodalPattern.EPD;
  }

  /** True when the frontend routes by KV-cache overlap. */
  public get kvRouting(): boolean {
    return this.frontend?.routerMode === RouterMode.KV;
  }

  /** True when the workers publish KV events: the frontend routes by KV overlap from the events (`kvEvents`). */
  public get kvEventsPublished(): boolean {
    return this.frontend?.kvEvents ?? false;
  }

  /**
   * Name of the DynamoGraphDeploymentScalingAdapter the operator creates for a component whose scaling adapter is on
   * (`scalingAdapterEnabled`): `<graph>-<lower-cased component name>`. HPA, KEDA and the Planner target its `/scale`
   * subresource.
   * @param component a component of this graph
   */
  public scalingAdapterName(component: DynamoComponent): string {
    return `${this.name}-${component.componentName.toLowerCase()}`;
  }

  /**
   * Keeps the plan the graph is built from and records it in the output.
   * @internal
   */
  public _recordPlan(plan: PlanResult): void {
    this.slaPlan = plan;
    new SlaPlanRecord(this, 'SlaPlan', plan);
  }

  /** The frontend's PodDisruptionBudget: the graph's default one or your own `FrontendDisruptionBudget`. */
  public get frontendDisruptionBudget(): FrontendDisruptionBudget | undefined {
    return this.frontendBudget;
  }

  /**
   * Renders the frontend's default PodDisruptionBudget once the frontend is known to run 2 or more replicas: called
   * when a component is added and when an autoscaler attaches.
   * @internal
   */
  public _ensureFrontendBudget(): void {
    const frontend = this.frontend;
    if (this.props.frontendDisruptionBudget === false || !frontend || this.frontendBudget || (frontend.minReplicas ?? 0) < 2) return;
    new FrontendDisruptionBudget(this, 'FrontendDisruptionBudget', { graph: this });
  }

  /**
   * Called by `FrontendDisruptionBudget`'s constructor: one budget per frontend.
   * @internal
   */
  public _registerFrontendBudget(budget: FrontendDisruptionBudget): void {
    const existing = this.frontendBudget;
    PropError.check(existing === undefined, budget, 'graph', this.node.path, 'a graph whose frontend has no PodDisruptionBudget yet',
      `'${existing?.node.path}' already protects its frontend (set frontendDisruptionBudget: false on the graph to define your own)`);
    this.frontendBudget = budget;
  }

  /**
   * Called by `DynamoComponent`'s constructor.
   * @internal
   */
  public _register(component: DynamoComponent): void {
    const clash = this.registered.find(c => c.componentName.toLowerCase() === component.componentName.toLowerCase());
    if (clash) {
      throw PropError.invalid(component, 'componentName', component.componentName,
        'a name unique in the graph, ignoring case', `'${clash.node.path}' already uses it`);
    }
    this.registered.push(component);
  }

  /**
   * Names of the graph-wide env variables (`env`, `secretEnv`).
   * @internal
   */
  public _envNames(): string[] {
    return [...Object.keys(this.props.env ?? {}), ...Object.keys(this.props.secretEnv ?? {})];
  }

  /**
   * The value of a graph-wide literal env variable, if set.
   * @internal
   */
  public _envValue(name: string): string | undefined {
    return this.props.env?.[name];
  }

  /**
   * The graph-wide literal env variables.
   * @internal
   */
  public _envLiterals(): { [name: string]: string } {
    return { ...this.props.env };
  }

  /**
   * Env of every component that fetches or forwards media, from the frontend's multimodal options.
   * @internal
   */
  public _multimodalEnv(): k8s.EnvVar[] {
    return this.frontend?._multimodalEnv() ?? [];
  }

  /**
   * The DGD `spec`, laid out for the graph's API version (or another one: the v1alpha1/v1beta1 equivalence tests
   * render one construct tree both ways).
   * @internal
   */
  public _renderSpec(apiVersion: DynamoApiVersion = this.apiVersion): any {
    const plans: ComponentPlan[] = this.registered.map(c => c._plan());
    const spec: GraphPlan = {
      backendFramework: this.backend,
      env: EnvVars.render(this.props.env, this.props.secretEnv),
      labels: this.props.labels,
      annotations: this.props.annotations,
      priorityClassName: this.props.priorityClassName,
    };
    return apiVersion === DynamoApiVersion.V1ALPHA1 ? V1Alpha1Renderer.spec(spec, plans) : V1Beta1Renderer.spec(spec, plans);
  }

  private validateGraph(): string[] {
    const errors: string[] = [];
    const comps = this.registered;
    if (comps.length === 0) {
      errors.push(PropError.invalid(this, 'components', 0, 'at least one component (Frontend, a worker pool, ...)', 'the operator rejects an empty graph').message);
    }
    if (comps.length > MAX_COMPONENTS) {
      errors.push(PropError.invalid(this, 'components', comps.length, `at most ${MAX_COMPONENTS} components`, 'the CRD limit').message);
    }
    const has = (t: ComponentType) => comps.some(c => c.type === t);
    if (has(ComponentType.PREFILL) !== has(ComponentType.DECODE)) {
      const [present, missing] = has(ComponentType.PREFILL) ? ['PrefillPool', 'DecodePool'] : ['DecodePool', 'PrefillPool'];
      errors.push(PropError.invalid(this, 'components', comps.map(c => `${c.componentName}:${c.type}`),
        'a disaggregated graph with both a PrefillPool and a DecodePool, or an AggregatedPool alone',
        `it has a ${present} but no ${missing}`).message);
    }
    const languagePools = this.workerPools.filter(p => p._role !== 'encode');
    if (languagePools.some(p => p.type === ComponentType.WORKER) && this.disaggregated) {
      errors.push(PropError.invalid(this, 'components', comps.map(c => `${c.componentName}:${c.type}`),
        'either AggregatedPools or PrefillPool + DecodePool, not both', 'aggregated and disaggregated workers cannot share one frontend').message);
    }
    errors.push(...this.validateMultimodal(languagePools));
    errors.push(...KvTransferCheck.errors(this, this.workerPools));
    for (const c of comps) {
      const isWorker = WORKER_COMPONENT_TYPES.includes(c.type);
      const objectName = `${this.name}-${c.componentName.toLowerCase()}`;
      const max = isWorker ? 63 - WORKER_HASH_SUFFIX : 63;
      if (objectName.length > max) {
        errors.push(PropError.invalid(this, 'name', this.name, `graph name + '-' + component name of at most ${max} characters`,
          `the operator names objects of component '${c.componentName}' '${objectName}' (${objectName.length} characters)${isWorker ? ` plus a ${WORKER_HASH_SUFFIX}-character hash` : ''}`).message);
      }
    }
    return errors;
  }

  private validateMultimodal(languagePools: WorkerPool[]): string[] {
    const pattern = this.multimodalPattern;
    const frontend = this.frontend;
    if (pattern === undefined) {
      return frontend?.multimodal ? [PropError.invalid(frontend, 'multimodal', frontend.multimodal,
        'unset, or a graph with multimodal pools (multimodal on a pool, or an EncodePool)', 'the graph\'s workers reject requests with media').message] : [];
    }
    const errors: string[] = [];
    const describe = (pools: WorkerPool[]) => pools.map(p => `${p.componentName}:${p.constructor.name}`);
    if (!MultimodalSupport.supports(this.backend, pattern)) {
      errors.push(PropError.invalid(this, 'components', describe(this.workerPools),
        `the patterns ${this.backend} runs: ${MultimodalSupport.patterns(this.backend).join(', ')}`,
        `its pools make the ${pattern} pattern, which the upstream support matrix does not list for ${this.backend}`).message);
    }
    const encoders = this.workerPools.filter(p => p._role === 'encode');
    if (encoders.length > 1) {
      errors.push(PropError.invalid(this, 'components', describe(encoders), 'one EncodePool per graph',
        'every encode worker registers the same endpoint (<namespace>.encode.generate), so two pools would be one').message);
    }
    if (languagePools.length === 0) {
      errors.push(PropError.invalid(this, 'components', describe(encoders), 'an EncodePool with a multimodal AggregatedPool, or PrefillPool and DecodePool',
        'an encode worker only feeds language-model workers').message);
    }
    const textOnly = languagePools.filter(p => !p.multimodal);
    if (textOnly.length > 0) {
      errors.push(PropError.invalid(this, 'components', describe(textOnly), 'multimodal set on every language-model pool of a multimodal graph (multimodal: {} for the defaults)',
        `the graph is ${pattern}, and a text-only pool rejects the image requests routed to it`).message);
    }
    for (const pool of this.workerPools.filter(p => p.multimodal)) {
      const version = pool._runtimeVersion();
      if (version !== undefined && DynamoGraph.olderThan(version, MultimodalSupport.MIN_RUNTIME_VERSION)) {
        errors.push(PropError.invalid(pool, 'image', pool.image, `a Dynamo runtime of ${MultimodalSupport.MIN_RUNTIME_VERSION} or later`,
          `runtime ${version} predates the --enable-multimodal and --disaggregation-mode encode flags this graph renders`).message);
      }
    }
    return errors;
  }
}
