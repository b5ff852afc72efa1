import { ComponentResourceDefaults, ComponentResources } from './component-resources';
import { ComponentType } from './component-type';
import { ComponentDetails, DynamoComponent, DynamoComponentProps } from './dynamo-component';
import type { DynamoGraph } from './dynamo-graph';
import { HealthCheckOptions, HealthChecks } from './health-checks';
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
}

/**
 * The OpenAI-compatible HTTP entry point of a graph (port 8000). The operator supplies its command
 * (`python3 -m dynamo.frontend`) and a Service named `<graph>-<lower-cased component name>`.
 */
export class Frontend extends DynamoComponent {
  /** Request routing. */
  public readonly routerMode: RouterMode;
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
  }

  /** @internal */
  public _program(): string[] {
    return ['python3', '-m', 'dynamo.frontend'];
  }

  /** @internal */
  public _details(): ComponentDetails {
    const probes = HealthChecks.frontend(this.health);
    return {
      env: [{ name: ROUTER_MODE_ENV, value: this.routerMode }],
      resources: ComponentResourceDefaults.render(this.resources, { cpu: '2', memory: '4Gi', ephemeralStorage: '1Gi' }),
      startupProbe: probes.startup,
      livenessProbe: probes.liveness,
      readinessProbe: probes.readiness,
    };
  }
}
