// Public exports only. Keep one line per module, grouped by folder.

// engines
export * from './engines/backend';

// model
export * from './model/precision';

// gpu
export * from './gpu/gpu-profile';
