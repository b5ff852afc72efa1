import { DynamoPlatform } from './dynamo-platform';
import { DynamoVersions } from './dynamo-versions';
import { PlannerConfig, PlannerMode, PlannerSettings } from './planner-config';
import { PlannerProfilingData } from './planner-profiling-data';
import { PlannerRbacObjects } from './planner-rbac';
import { PropError } from '../common/errors';
import { ComponentResourceDefaults, ComponentResources } from '../graph/component-resources';
import { ComponentType } from '../graph/component-type';
import { ComponentDetails, DynamoComponent, DynamoComponentProps } from '../graph/dynamo-component';
import type { DynamoGraph } from '../graph/dynamo-graph';
import { DynamoRuntime } from '../graph/runtime-image';
import { WorkerPool } from '../graph/worker-pool';

/**
 * Who provides the Planner's Kubernetes permissions.
 */
export enum PlannerRbac {
  /**
   * A cluster-wide operator creates ServiceAccount `planner-serviceaccount` and a RoleBinding to its planner
   * ClusterRole in the graph's namespace.
   */
  OPERATOR = 'operator',
  /**
   * This library renders ServiceAccount `planner-serviceaccount`, Role `planner-role` and RoleBinding
   * `planner-binding` in the graph's namespace, for an operator that provides neither (an install that is not the
   * upstream chart's). A namespace-restricted operator from the 1.4.0 chart or from `DynamoPlatform` already ships
   * these three objects in the namespace it watches, and a cluster-wide one creates the ServiceAccount and binding
   * itself: synth refuses this choice when a `DynamoPlatform` of the same app provides them.
   */
  RENDERED = 'rendered',
}

/**
 * Props of a `Planner`. On a graph built by `DynamoGraph.fromSla`, the `sla` targets default to the plan's and
 * `maxGpuBudget` to its `hardware.totalGpus` (else the GPUs it planned).
 */
export interface PlannerProps extends DynamoComponentProps, PlannerSettings {
  /**
   * Which pools the Planner scales.
   * @default - PlannerMode.DISAGGREGATED for a graph with prefill and decode pools, PlannerMode.AGGREGATED otherwise
   */
  readonly mode?: PlannerMode;
  /**
   * Where the Planner's permissions come from.
   * @default PlannerRbac.OPERATOR
   */
  readonly rbac?: PlannerRbac;
  /**
   * CPU, memory and ephemeral storage.
   * @default - 1 CPU, 2 GiB memory, 1 GiB ephemeral storage
   */
  readonly resources?: ComponentResources;
  /**
   * Pre-deployment profiling results to mount at `profileResultsDir` (default `/workspace/profiling_results`),
   * e.g. `PlannerProfilingData.fromConfigMap('planner-profile-data')`, for throughput scaling without a sweep.
   * @default - none (the Planner scales on observed metrics, or on what its `sweepMode` measures)
   */
  readonly profilingData?: PlannerProfilingData;
}

/** Where the Planner mounts `profilingData` unless `profileResultsDir` says otherwise (upstream's path). */
const PROFILE_RESULTS_DIR = '/workspace/profiling_results';
const PROFILING_VOLUME = 'profiling-data';

const MANAGED: { [mode: string]: ComponentType[] } = {
  [PlannerMode.DISAGGREGATED]: [ComponentType.PREFILL, ComponentType.DECODE],
  [PlannerMode.PREFILL]: [ComponentType.PREFILL],
  [PlannerMode.DECODE]: [ComponentType.DECODE],
  [PlannerMode.AGGREGATED]: [ComponentType.WORKER],
};

/**
 * The Dynamo Planner: a graph component that watches the frontend's metrics in Prometheus and scales the graph's
 * worker pools through their scaling adapters to hold the TTFT/ITL targets within a GPU budget.
 *
 * ```ts fixture=pools
 * import { Planner } from 'cdk8s-dynamo';
 *
 * new Planner(graph, 'Planner', { sla: { ttftMs: 300, itlMs: 20 }, maxGpuBudget: 16 });
 * ```
 * It turns on the scaling adapters of the pools it scales; those pools then leave `replicas` to it. On a graph from
 * `DynamoGraph.fromSla` it takes its SLA targets and GPU budget from the plan.
 */
export class Planner extends DynamoComponent {
  /** The `dynamo-planner` image at `DynamoVersions.PLANNER`; DGDR profiling jobs default to it too. */
  public static readonly DEFAULT_IMAGE = `${DynamoRuntime.REGISTRY}/dynamo-planner:${DynamoVersions.PLANNER}`;

  /** GPUs of one replica of a pool: per pod times nodes (the operator's own count). */
  private static gpusPerReplica(pool: WorkerPool): number {
    return pool.gpusPerPod * pool.nodeCount;
  }

  /** Where the Planner's permissions come from. */
  public readonly rbac: PlannerRbac;
  private readonly settings: PlannerProps;

  /**
   * @param graph the graph the Planner joins as a component
   * @param id construct id, unique within the graph; the default component name
   * @param props Planner settings, mode and permissions
   */
  public constructor(graph: DynamoGraph, id: string, props: PlannerProps = {}) {
    super(graph, id, ComponentType.PLANNER, props);
    // A graph built from an SLA plan gives the targets and the GPU budget the plan was made for.
    const plan = graph.plan;
    const settings = PlannerConfig.withDefaults(props, plan ? {
      sla: { ttftMs: plan.request.ttftMs, itlMs: plan.request.itlMs },
      maxGpuBudget: plan.request.totalGpus ?? plan.best.gpus,
    } : {});
    PlannerConfig.validate(this, settings);
    if (props.profilingData) {
      const dir = settings.profileResultsDir ?? PROFILE_RESULTS_DIR;
      PropError.check(/^\/\S*$/.test(dir) && !dir.split('/').includes('..'), this, 'profileResultsDir', dir, 'an absolute directory with profilingData',
        `the Planner mounts ${props.profilingData.description} there`);
    }
    PropError.integer(this, 'replicas', props.replicas, 0, 1);
    ComponentResourceDefaults.check(this, props.resources);
    PropError.check(props.scalingAdapter !== true, this, 'scalingAdapter', true, 'false', 'the Planner is not scaled');
    PropError.check(props.mode === undefined || Object.values(PlannerMode).includes(props.mode), this, 'mode', props.mode, Object.values(PlannerMode).join(', '));
    this.settings = settings;
    this.rbac = props.rbac ?? PlannerRbac.OPERATOR;
    PropError.check(Object.values(PlannerRbac).includes(this.rbac), this, 'rbac', this.rbac, Object.values(PlannerRbac).join(', '));
    if (this.rbac === PlannerRbac.RENDERED) {
      const namespace = graph.namespace;
      PropError.check(namespace !== undefined, this, 'rbac', this.rbac, 'PlannerRbac.OPERATOR, or a namespace on the graph or chart',
        'the RoleBinding must name the ServiceAccount\'s namespace');
      PlannerRbacObjects.ensure(this, namespace!);
    }
    this.node.addValidation({ validate: () => [...this.validatePools(), ...this.validateRbac()] });
    // The pools already in the graph now have their adapter on: they render their starting size.
    for (const c of graph.components) c._ensureSeed();
  }

  /** Which pools the Planner scales. */
  public get mode(): PlannerMode {
    return this.settings?.mode ?? (this.graph.disaggregated ? PlannerMode.DISAGGREGATED : PlannerMode.AGGREGATED);
  }

  /** The worker pools the Planner scales, in graph order: the language-model pools of its mode (never an `EncodePool`). */
  public get scaledPools(): WorkerPool[] {
    const types = MANAGED[this.mode];
    return this.graph.components.filter((c): c is WorkerPool => c instanceof WorkerPool && types.includes(c.type) && c._role !== 'encode');
  }

  /** The Planner's `--config`, as JSON. */
  public get configJson(): string {
    const gpus = (type: ComponentType) => {
      const pool = this.scaledPools.find(p => p.type === type);
      return pool ? Planner.gpusPerReplica(pool) : undefined;
    };
    return JSON.stringify(PlannerConfig.toJson(this.settings, {
      backend: this.graph.backend,
      mode: this.mode,
      prefillEngineGpus: gpus(ComponentType.PREFILL),
      decodeEngineGpus: gpus(ComponentType.DECODE),
      profileResultsDir: this.profilingDir,
    }));
  }

  /** @internal */
  public _scales(component: DynamoComponent): boolean {
    return this.scaledPools.includes(component as WorkerPool);
  }

  /** @internal */
  public _defaultImage(): string | undefined {
    return Planner.DEFAULT_IMAGE;
  }

  /** Where the profiling data is mounted, if the Planner mounts any. */
  private get profilingDir(): string | undefined {
    return this.settings.profilingData ? this.settings.profileResultsDir ?? PROFILE_RESULTS_DIR : undefined;
  }

  /** @internal */
  public _details(): ComponentDetails {
    const data = this.settings.profilingData;
    return {
      command: ['python3', '-m', 'dynamo.planner'],
      args: ['--config', this.configJson],
      volumes: data ? [data._volume(PROFILING_VOLUME)] : [],
      volumeMounts: data ? [data._mount(PROFILING_VOLUME, this.profilingDir!)] : [],
      resources: ComponentResourceDefaults.render(this.settings.resources ?? {}, { cpu: '1', memory: '2Gi', ephemeralStorage: '1Gi' }),
    };
  }

  /**
   * Rendered planner RBAC next to a DynamoPlatform that provides it would put two owners on the same objects
   * (platform-facts §4, §7; operator-facts §6): a GitOps tool reports them twice, or fights the operator over them.
   */
  private validateRbac(): string[] {
    if (this.rbac !== PlannerRbac.RENDERED) return [];
    const namespace = this.graph.namespace;
    const platform = this.node.root.node.findAll().find((c): c is DynamoPlatform => c instanceof DynamoPlatform
      && (!c.namespaceRestricted || c.targetNamespace === namespace));
    if (platform === undefined) return [];
    const why = platform.namespaceRestricted
      ? `the namespace-restricted DynamoPlatform '${platform.node.path}' already renders planner-serviceaccount, planner-role and planner-binding in '${namespace}'`
      : `the cluster-wide DynamoPlatform '${platform.node.path}' runs an operator that creates planner-serviceaccount and its RoleBinding in '${namespace}' itself`;
    return [PropError.invalid(this, 'rbac', this.rbac, `PlannerRbac.${PlannerRbac.OPERATOR.toUpperCase()}`, why).message];
  }

  private validatePools(): string[] {
    const errors: string[] = [];
    const mode = this.mode;
    const allowed = this.graph.disaggregated ? [PlannerMode.DISAGGREGATED, PlannerMode.PREFILL, PlannerMode.DECODE] : [PlannerMode.AGGREGATED];
    if (!allowed.includes(mode)) {
      errors.push(PropError.invalid(this, 'mode', mode, allowed.join(', '),
        `the graph is ${this.graph.disaggregated ? 'disaggregated' : 'aggregated'}`).message);
      return errors;
    }
    const encoder = this.graph.workerPools.find(p => p._role === 'encode');
    if (mode === PlannerMode.AGGREGATED && encoder) {
      errors.push(PropError.invalid(this, 'mode', mode, 'a disaggregated graph (E/P/D), or an HpaPoolAutoscaler or KedaPoolAutoscaler for the pools of an E/PD graph',
        `the Planner finds the pool it scales by component type, and EncodePool '${encoder.node.path}' is a worker component too`).message);
      return errors;
    }
    const pools = this.scaledPools;
    const planners = this.graph.components.filter(c => c instanceof Planner);
    if (planners.length > 1) {
      errors.push(PropError.invalid(this, 'componentName', this.componentName, 'one Planner per graph',
        `planners ${planners.map(p => p.componentName).join(', ')} would fight over the same pools`).message);
    }
    for (const type of MANAGED[mode]) {
      const ofType = pools.filter(p => p.type === type);
      if (ofType.length === 0) {
        errors.push(PropError.invalid(this, 'mode', mode, 'a mode whose pools exist in the graph', `the graph has no ${type} pool`).message);
      } else if (ofType.length > 1) {
        errors.push(PropError.invalid(this, 'mode', mode, `a graph with one ${type} pool`,
          `the Planner scales one pool per role and cannot choose between ${ofType.map(p => p.componentName).join(', ')}`).message);
      }
    }
    const budget = this.settings.maxGpuBudget ?? PlannerConfig.DEFAULT_MAX_GPU_BUDGET;
    const minReplicas = this.settings.minEndpoints ?? 1;
    const needed = pools.reduce((sum, p) => sum + Planner.gpusPerReplica(p) * minReplicas, 0);
    if (needed > budget) {
      const detail = pools.map(p => `${p.componentName}: ${minReplicas} x ${Planner.gpusPerReplica(p)}`).join(', ');
      errors.push(PropError.invalid(this, 'maxGpuBudget', budget, `at least ${needed} GPUs`,
        `the pools it scales need ${needed} GPUs at minEndpoints=${minReplicas} (${detail})`).message);
    }
    // The pools start at their replicas (or minEndpoints, which the Planner lifts them to at once).
    const starting = pools.reduce((sum, p) => sum + Planner.gpusPerReplica(p) * Math.max(p.replicas, minReplicas), 0);
    if (needed <= budget && starting > budget) {
      const detail = pools.map(p => `${p.componentName}: ${Math.max(p.replicas, minReplicas)} x ${Planner.gpusPerReplica(p)}`).join(', ');
      errors.push(PropError.invalid(this, 'maxGpuBudget', budget, `at least ${starting} GPUs, or smaller starting replicas`,
        `the pools it scales start with ${starting} GPUs (${detail}) and the Planner would scale them down at once`).message);
    }
    return errors;
  }

}
