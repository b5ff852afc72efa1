// Public exports only. Keep one line per module, grouped by folder.

// engines
export * from './engines/backend';
export * from './engines/trtllm-engine-options';
export * from './engines/engine-tuning';
export * from './engines/multimodal';

// model
export * from './model/precision';
export * from './model/vision-encoder';
export * from './model/model-architecture';

// optimizer
export * from './optimizer/sla';
export * from './optimizer/plan-result';
export * from './optimizer/sla-optimizer';

// report (reads plans; no constructs)
export * from './report/plan-report';

// graph
export * from './graph/dynamo-api-version';
export * from './graph/component-type';
export * from './graph/env';
export * from './graph/health-checks';
export * from './graph/runtime-image';
export * from './graph/component-resources';
export * from './graph/pod-overrides';
export * from './graph/dynamo-component';
export * from './graph/dynamo-graph';
export * from './graph/frontend';
export * from './graph/worker-pool';
export * from './graph/aggregated-pool';
export * from './graph/prefill-pool';
export * from './graph/decode-pool';
export * from './graph/encode-pool';
export * from './graph/multimodal-options';
export * from './graph/sla-graph';
export * from './graph/model-cache';
export * from './graph/frontend-disruption-budget';

// gpu
export * from './gpu/gpu-profile';
export * from './gpu/gpu-request';
export * from './gpu/gpu-price-table';
export * from './gpu/gpu-scheduling-props';

// platform
export * from './platform/sync-waves';
export * from './platform/operator-scope';
export * from './platform/operator-certificates';
export * from './platform/crds';
export * from './platform/platform-service';
export * from './platform/nats';
export * from './platform/etcd';
export * from './platform/dynamo-versions';
export * from './platform/dynamo-platform';
export * from './platform/planner-config';
export * from './platform/planner-profiling-data';
export * from './platform/planner';
export * from './platform/dynamo-model';
export * from './platform/deployment-request-profiling';
export * from './platform/deployment-request';
export * from './platform/monitoring';
export * from './platform/gitops';
export * from './platform/gitops-flux';

// autoscaling
export * from './autoscaling/scaling-metric';
export * from './autoscaling/scaling-target';
export * from './autoscaling/pool-autoscaler';
export * from './autoscaling/hpa-pool-autoscaler';
export * from './autoscaling/keda-pool-autoscaler';

// policy
export * from './policy/policy-types';
export * from './policy/intent-annotations';
export * from './policy/policy-pack';
export * from './policy/dynamo-policy';

// security
export * from './security/network-peer';
export * from './security/graph-network-policies';
