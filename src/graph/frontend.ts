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
}

/**
 * The OpenAI-compatible HTTP entry point of a graph (port 8000). The operator supplies its command
 * (`python3 -m dynamo.frontend`) and a Service named `<graph>-<lower-cased component name>`.
 */
export class Frontend extends DynamoComponent {
  /** Request routing. */
  public readonly routerMode: RouterMode;
  /** Media settings of a multimodal graph, if given. */
  public readonly multimodal?: FrontendMultimodalOptions;
  private readonly health: HealthCheckOptions;
  private readonly resources: ComponentResources;

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
      env: [{ name: ROUTER_MODE_ENV, value: this.routerMode }, ...this._multimodalEnv()],
      resources: ComponentResourceDefaults.render(this.resources, { cpu: '2', memory: '4Gi', ephemeralStorage: '1Gi' }),
      startupProbe: probes.startup,
      livenessProbe: probes.liveness,
      readinessProbe: probes.readiness,
    };
  }
}
