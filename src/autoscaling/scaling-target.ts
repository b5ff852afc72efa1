import { IConstruct } from 'constructs';
import { Backend } from '../engines/backend';
import { WORKER_COMPONENT_TYPES } from '../graph/component-type';
import { DynamoComponent } from '../graph/dynamo-component';
import { DynamoNames } from '../graph/names';

/**
 * A DynamoGraphDeployment component given by name, for graphs not defined with this library.
 */
export interface ScalingAdapterProps {
  /** `metadata.name` of the DynamoGraphDeployment. */
  readonly graphName: string;
  /** Component name in the graph (DGD `components[].name` / `services` key); its scaling adapter must be on there. */
  readonly componentName: string;
  /**
   * Namespace of the graph.
   * @default - the autoscaler's chart namespace
   */
  readonly namespace?: string;
  /**
   * The graph's inference engine; needed by metrics read from the engine.
   * @default - unknown: engine metrics are refused
   */
  readonly backend?: Backend;
}

/**
 * What an autoscaler scales: the DynamoGraphDeploymentScalingAdapter (DGDSA) of one graph component. The operator
 * creates it, named `<graph>-<lower-cased component>`, for components whose scaling adapter is on; HPA and KEDA
 * drive its `/scale` subresource.
 */
export class ScalingTarget {
  /**
   * A pool (or the frontend) of a `DynamoGraph` in this app. The autoscaler turns its scaling adapter on.
   * @param component a worker pool or frontend of a graph in this app
   */
  public static pool(component: DynamoComponent): ScalingTarget {
    return new ScalingTarget(component.graph.name, component.componentName, () => component.graph.namespace, component.graph.backend, component);
  }

  /**
   * A component of a graph defined elsewhere, by name.
   * @param props the graph and component names, and the graph's namespace and engine when known
   */
  public static adapter(props: ScalingAdapterProps): ScalingTarget {
    return new ScalingTarget(props.graphName, props.componentName, () => props.namespace, props.backend);
  }

  private constructor(
    /** `metadata.name` of the DynamoGraphDeployment. */
    public readonly graphName: string,
    /** Component name in the graph. */
    public readonly componentName: string,
    private readonly namespaceOf: () => string | undefined,
    /** The graph's inference engine, when known. */
    public readonly backend?: Backend,
    /** The component, when it is part of this app. */
    public readonly component?: DynamoComponent,
  ) {}

  /** Name of the DGDSA the operator creates: `<graph>-<lower-cased component>`. */
  public get adapterName(): string {
    return `${this.graphName}-${this.componentName.toLowerCase()}`;
  }

  /** Namespace of the graph, when known. */
  public get namespace(): string | undefined {
    return this.namespaceOf();
  }

  /**
   * Validates the names and returns problems that can only be known once the whole graph is defined.
   * @internal
   */
  public _check(scope: IConstruct): void {
    DynamoNames.checkGraph(scope, 'target.graphName', this.graphName);
    DynamoNames.checkComponent(scope, 'target.componentName', this.componentName);
    DynamoNames.checkLabel(scope, 'target.namespace', this.namespace);
  }

  /**
   * Makes `scaler` the driver of the component's scaling adapter, turning it on (components of this app only).
   * @internal
   */
  public _attach(scaler: IConstruct): void {
    this.component?._enableScalingAdapter(scaler);
  }

  /**
   * Problems only visible once the app is complete (at synth): another Planner or autoscaler drives the component.
   * @internal
   */
  public _validate(scaler: IConstruct): string[] {
    return this.component?._scalingConflicts(scaler) ?? [];
  }

  /**
   * True when the target is known to be a worker pool, or may be (given by name).
   * @internal
   */
  public get _mayBeWorker(): boolean {
    return !this.component || WORKER_COMPONENT_TYPES.includes(this.component.type);
  }
}
