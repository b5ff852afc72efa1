// Public exports only. Keep one line per module, grouped by folder.

// engines
export * from './engines/backend';

// model
export * from './model/precision';
export * from './model/model-architecture';
export * from './model/model-cache';

// graph
export * from './graph/dynamo-api-version';
export * from './graph/component-type';
export * from './graph/env';
export * from './graph/health-checks';
export * from './graph/runtime-image';
export * from './graph/dynamo-component';
export * from './graph/dynamo-graph';
export * from './graph/frontend';
export * from './graph/worker-pool';
export * from './graph/aggregated-pool';
export * from './graph/prefill-pool';
export * from './graph/decode-pool';

// gpu
export * from './gpu/gpu-profile';
export * from './gpu/gpu-request';
export * from './gpu/gpu-scheduling-props';

// platform
export * from './platform/sync-waves';
