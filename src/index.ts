// Public exports only. Keep one line per module, grouped by folder.

// engines
export * from './engines/backend';

// model
export * from './model/precision';
export * from './model/model-architecture';

// gpu
export * from './gpu/gpu-profile';
export * from './gpu/gpu-request';
export * from './gpu/gpu-scheduling-props';

// platform
export * from './platform/sync-waves';
