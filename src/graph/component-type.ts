/**
 * The role of a component in a Dynamo graph (the DGD component `type`).
 */
export enum ComponentType {
  /** OpenAI-compatible HTTP frontend and router. */
  FRONTEND = 'frontend',
  /** Aggregated worker: prefill and decode in one engine. */
  WORKER = 'worker',
  /** Disaggregated prefill worker. */
  PREFILL = 'prefill',
  /** Disaggregated decode worker. */
  DECODE = 'decode',
  /** SLA planner. */
  PLANNER = 'planner',
  /** Endpoint picker for the Gateway API inference extension. */
  EPP = 'epp',
}

/**
 * The component types that run an inference engine (aggregated, prefill and decode workers).
 * @internal
 */
export const WORKER_COMPONENT_TYPES: readonly ComponentType[] = [ComponentType.WORKER, ComponentType.PREFILL, ComponentType.DECODE];
