import { k8s } from 'cdk8s-plus-33';
import { ComponentResourceDefaults, ComponentResources } from './component-resources';
import { ComponentType } from './component-type';
import { ComponentDetails, DynamoComponent, DynamoComponentProps } from './dynamo-component';
import type { DynamoGraph } from './dynamo-graph';
import { HealthCheckOptions, HealthChecks } from './health-checks';
import { FrontendMultimodalOptions } from './multimodal-options';
import { PropError } from '../common/errors';

/** The frontend reads its router mode from this variable (operator-facts §5, KV router). */
const ROUTER_MODE_ENV = 'DYN_ROUTER_MODE';

/**
 * How the frontend picks a worker for each request (`DYN_ROUTER_MODE`).
 */
export enum RouterMode {
  /** Rotate through workers. */
  ROUND_ROBIN = 'round-robin',
  /** Pick a worker at random. */
  RANDOM = 'random',
  /**
   * KV-cache-aware: send a request where most of its prefix is already cached. Workers then publish KV events,
   * which the pools switch on automatically.
   */
  KV = 'kv',
}

/**
 * Props of a `Frontend`.
 */
export interface FrontendProps extends DynamoComponentProps, HealthCheckOptions {
  /**
   * Request routing.
   * @default RouterMode.ROUND_ROBIN
   */
  readonly routerMode?: RouterMode;
  /**
   * CPU, memory and ephemeral storage.
   * @default - 2 CPU, 4 GiB memory, 1 GiB ephemeral storage
   */
  readonly resources?: ComponentResources;
  /**
   * How the graph fetches and carries images, for a graph with multimodal pools. The frontend itself needs no flag
   * to take media: these settings reach it and every multimodal worker.
   * @default - the runtime's media defaults
   */
  readonly multimodal?: FrontendMultimodalOptions;
  /**
   * KV router only: weight of the prefix-cache overlap against the workers' load when picking a worker
   * (`--kv-overlap-score-weight`); higher favours cache hits (TTFT), lower spreads load (ITL). At least 0.
   * @default - the frontend's default (1.0)
   */
  readonly kvOverlapScoreWeight?: number;
  /**
   * KV router only: softmax temperature of the worker choice (`--router-temperature`); 0 always picks the best score,
   * higher values pick more randomly. At least 0.
   * @default - the frontend's default (0, deterministic)
   */
  readonly routerTemperature?: number;
  /**
   * KV router only: track the workers' caches from the KV events they publish (`--kv-events`), or approximate them
   * from the router's own decisions (`--no-kv-events`, and the pools then publish no events).
   * @default true
   */
  readonly kvEvents?: boolean;
  /**
   * KV router only: keep the router state of several frontend replicas in step (`--router-replica-sync`).
   * @default false
   */
  readonly routerReplicaSync?: boolean;
  /**
   * Load above which a worker counts as busy and gets no new requests (`--busy-threshold`), a fraction in (0, 1].
   * @default - no busy detection
   */
  readonly busyThreshold?: number;
  /**
   * Other `python3 -m dynamo.frontend` flags, appended after the typed ones. Flags the typed props or the operator
   * own (`--router-mode`, `--http-port`, `--namespace` and the flags above, in any spelling) are refused.
   * @default - none
   */
  readonly extraArgs?: string[];
}

/** Typed flags of the frontend, and the props that own the flags the operator or the graph set. */
const OWNED_FLAGS: { readonly [flag: string]: string } = {
  '--router-mode': 'routerMode',
  '--http-port': 'nothing (the operator serves on port 8000, DYN_HTTP_PORT)',
  '--namespace': 'nothing (the operator sets DYN_NAMESPACE)',
  '--kv-overlap-score-weight': 'kvOverlapScoreWeight',
  '--router-temperature': 'routerTemperature',
  '--kv-events': 'kvEvents',
  '--no-kv-events': 'kvEvents',
  '--router-replica-sync': 'routerReplicaSync',
  '--busy-threshold': 'busyThreshold',
};

/**
 * The OpenAI-compatible HTTP entry point of a graph (port 8000). The operator supplies its command
 * (`python3 -m dynamo.frontend`) and a Service named `<graph>-<lower-cased component name>`.
 */
export class Frontend extends DynamoComponent {
  /** Request routing. */
  public readonly routerMode: RouterMode;
  /** Media settings of a multimodal graph, if given. */
  public readonly multimodal?: FrontendMultimodalOptions;
  /** True when a KV router tracks the workers' caches from their KV events (the pools then publish them). */
  public readonly kvEvents: boolean;
  private readonly health: HealthCheckOptions;
  private readonly resources: ComponentResources;
  private readonly args: string[];

  /**
   * @param graph the graph the frontend joins as a component
   * @param id construct id, unique within the graph; the default component name
   * @param props router mode, replicas, resources and probes
   */
  public constructor(graph: DynamoGraph, id: string, props: FrontendProps = {}) {
    super(graph, id, ComponentType.FRONTEND, props);
    HealthChecks.check(this, props);
    ComponentResourceDefaults.check(this, props.resources);
    this.routerMode = props.routerMode ?? RouterMode.ROUND_ROBIN;
    // Workers publish KV events only when routerMode says KV: a mode set through env would leave them silent.
    const envNames = [...Object.keys(props.env ?? {}), ...Object.keys(props.secretEnv ?? {}), ...graph._envNames()];
    PropError.check(!envNames.includes(ROUTER_MODE_ENV), this, `env.${ROUTER_MODE_ENV}`, ROUTER_MODE_ENV,
      'routerMode (RouterMode.KV, ROUND_ROBIN, RANDOM) instead of the env variable', 'the worker pools follow routerMode');
    this.health = props;
    this.resources = props.resources ?? {};
    this.multimodal = props.multimodal;
    const size = props.multimodal?.maxMessageSize;
    if (size !== undefined) {
      const bytes = size.toKibibytes() * 1024;
      PropError.check(Number.isInteger(bytes) && bytes >= 1024 ** 2 && bytes <= 2 ** 31 - 1, this, 'multimodal.maxMessageSize', `${size.toKibibytes()}Ki`,
        'from 1 MiB to 2 GiB - 1 byte, in whole KiB');
    }
    this.checkRouterProps(props);
    this.kvEvents = this.routerMode === RouterMode.KV && props.kvEvents !== false;
    this.args = [
      ...(props.kvOverlapScoreWeight !== undefined ? ['--kv-overlap-score-weight', String(props.kvOverlapScoreWeight)] : []),
      ...(props.routerTemperature !== undefined ? ['--router-temperature', String(props.routerTemperature)] : []),
      ...(props.kvEvents === false ? ['--no-kv-events'] : []),
      ...(props.routerReplicaSync ? ['--router-replica-sync'] : []),
      ...(props.busyThreshold !== undefined ? ['--busy-threshold', String(props.busyThreshold)] : []),
      ...(props.extraArgs ?? []),
    ];
  }

  /**
   * The env of the media settings, for the frontend and every multimodal worker.
   * @internal
   */
  public _multimodalEnv(): k8s.EnvVar[] {
    const mm = this.multimodal;
    if (!mm) return [];
    return [
      ...(mm.allowInternalMediaUrls ? [{ name: 'DYN_MM_ALLOW_INTERNAL', value: '1' }] : []),
      ...(mm.maxMessageSize ? [{ name: 'DYN_TCP_MAX_MESSAGE_SIZE', value: String(mm.maxMessageSize.toKibibytes() * 1024) }] : []),
    ];
  }

  /** @internal */
  public _program(): string[] {
    return ['python3', '-m', 'dynamo.frontend'];
  }

  /** @internal */
  public _details(): ComponentDetails {
    const probes = HealthChecks.frontend(this.health);
    return {
      // The operator runs `python3 -m dynamo.frontend` when the component sets no command; flags need it written out.
      command: this.args.length > 0 ? this._program() : undefined,
      args: this.args.length > 0 ? [...this.args] : undefined,
      env: [{ name: ROUTER_MODE_ENV, value: this.routerMode }, ...this._multimodalEnv()],
      resources: ComponentResourceDefaults.render(this.resources, { cpu: '2', memory: '4Gi', ephemeralStorage: '1Gi' }),
      startupProbe: probes.startup,
      livenessProbe: probes.liveness,
      readinessProbe: probes.readiness,
    };
  }

  private checkRouterProps(p: FrontendProps): void {
    const kv = this.routerMode === RouterMode.KV;
    for (const prop of ['kvOverlapScoreWeight', 'routerTemperature', 'kvEvents', 'routerReplicaSync'] as const) {
      PropError.check(p[prop] === undefined || kv, this, prop, p[prop], 'unset unless routerMode is RouterMode.KV', 'it tunes the KV-aware router');
    }
    for (const prop of ['kvOverlapScoreWeight', 'routerTemperature'] as const) {
      const value = p[prop];
      PropError.check(value === undefined || (Number.isFinite(value) && value >= 0), this, prop, value, 'a number of 0 or more');
    }
    const busy = p.busyThreshold;
    PropError.check(busy === undefined || (Number.isFinite(busy) && busy > 0 && busy <= 1), this, 'busyThreshold', busy, 'a fraction in (0, 1]');
    PropError.check(p.extraArgs === undefined || Array.isArray(p.extraArgs), this, 'extraArgs', p.extraArgs, 'a list of strings');
    for (const arg of p.extraArgs ?? []) {
      PropError.check(typeof arg === 'string' && arg.length > 0 && !/\s/.test(arg.split('=')[0]), this, 'extraArgs', arg,
        'non-empty strings, a flag and its value as two elements or as --flag=value');
      const flag = arg.startsWith('--') ? arg.split('=')[0].replace(/_/g, '-') : undefined;
      const owner = flag === undefined ? undefined : OWNED_FLAGS[flag];
      PropError.check(owner === undefined, this, 'extraArgs', arg, `frontend flags other than ${flag}; set ${owner} instead`,
        'the library or the operator sets this flag');
    }
  }
}
