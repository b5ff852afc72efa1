import { App } from 'cdk8s';
import * as autoscalingHpa from './autoscaling/hpa';
import * as autoscalingKeda from './autoscaling/keda';
import * as dgdr from './dgdr/dgdr';
import * as dgdrV1alpha1 from './dgdr/dgdr-v1alpha1';
import * as gettingStarted from './getting-started/getting-started';
import * as gitopsArgoCd from './gitops/argocd';
import * as gitopsFlux from './gitops/flux';
import * as heterogeneous from './heterogeneous/disagg-l40s-h100';
import * as lora from './lora/lora';
import * as multimodalSglang from './multimodal/sglang';
import * as multimodalTrtllm from './multimodal/trtllm';
import * as multimodalVllm from './multimodal/vllm';
import * as optimizerSlaAgg from './optimizer/sla-agg';
import * as optimizerSlaDisagg from './optimizer/sla-disagg';
import * as plannerDisagg from './planner/disagg-planner';
import * as platformClusterWide from './platform/cluster-wide';
import * as platformNamespaceRestricted from './platform/namespace-restricted';
import * as platformNatsEtcd from './platform/nats-etcd';
import * as sglangAgg from './sglang/agg';
import * as sglangAggRouter from './sglang/agg-router';
import * as sglangDisagg from './sglang/disagg';
import * as sglangDisaggMultinode from './sglang/disagg-multinode';
import * as sglangDisaggRouter from './sglang/disagg-router';
import * as trtllmAgg from './trtllm/agg';
import * as trtllmAggRouter from './trtllm/agg-router';
import * as trtllmDisagg from './trtllm/disagg';
import * as trtllmDisaggMultinode from './trtllm/disagg-multinode';
import * as trtllmDisaggRouter from './trtllm/disagg-router';
import * as vllmAgg from './vllm/agg';
import * as vllmAggRouter from './vllm/agg-router';
import * as vllmDisagg from './vllm/disagg';
import * as vllmDisaggMultinode from './vllm/disagg-multinode';
import * as vllmDisaggRouter from './vllm/disagg-router';

/** One example app: `synthesize` builds its charts into the given app. */
export interface Example {
  readonly name: string;
  readonly synthesize: (app: App) => void;
}

/** Every example, synthesized by `npx projen synth:examples` and validated by `test/examples.test.ts`. Append new ones. */
export const EXAMPLES: Example[] = [
  { name: 'vllm-agg', synthesize: vllmAgg.synthesize },
  { name: 'vllm-agg-router', synthesize: vllmAggRouter.synthesize },
  { name: 'vllm-disagg', synthesize: vllmDisagg.synthesize },
  { name: 'vllm-disagg-router', synthesize: vllmDisaggRouter.synthesize },
  { name: 'vllm-disagg-multinode', synthesize: vllmDisaggMultinode.synthesize },
  { name: 'sglang-agg', synthesize: sglangAgg.synthesize },
  { name: 'sglang-agg-router', synthesize: sglangAggRouter.synthesize },
  { name: 'sglang-disagg', synthesize: sglangDisagg.synthesize },
  { name: 'sglang-disagg-router', synthesize: sglangDisaggRouter.synthesize },
  { name: 'sglang-disagg-multinode', synthesize: sglangDisaggMultinode.synthesize },
  { name: 'trtllm-agg', synthesize: trtllmAgg.synthesize },
  { name: 'trtllm-agg-router', synthesize: trtllmAggRouter.synthesize },
  { name: 'trtllm-disagg', synthesize: trtllmDisagg.synthesize },
  { name: 'trtllm-disagg-router', synthesize: trtllmDisaggRouter.synthesize },
  { name: 'trtllm-disagg-multinode', synthesize: trtllmDisaggMultinode.synthesize },
  { name: 'platform-cluster-wide', synthesize: platformClusterWide.synthesize },
  { name: 'platform-nats-etcd', synthesize: platformNatsEtcd.synthesize },
  { name: 'platform-namespace-restricted', synthesize: platformNamespaceRestricted.synthesize },
  { name: 'vllm-disagg-planner', synthesize: plannerDisagg.synthesize },
  { name: 'sglang-disagg-keda', synthesize: autoscalingKeda.synthesize },
  { name: 'vllm-agg-hpa', synthesize: autoscalingHpa.synthesize },
  { name: 'vllm-lora', synthesize: lora.synthesize },
  { name: 'dgdr-llama', synthesize: dgdr.synthesize },
  { name: 'dgdr-v1alpha1', synthesize: dgdrV1alpha1.synthesize },
  { name: 'gitops-argocd', synthesize: gitopsArgoCd.synthesize },
  { name: 'gitops-flux', synthesize: gitopsFlux.synthesize },
  { name: 'sla-disagg', synthesize: optimizerSlaDisagg.synthesize },
  { name: 'sla-agg', synthesize: optimizerSlaAgg.synthesize },
  { name: 'vllm-multimodal-epd', synthesize: multimodalVllm.synthesizeEpd },
  { name: 'vllm-multimodal-e-pd', synthesize: multimodalVllm.synthesizeEPd },
  { name: 'vllm-multimodal-e-p-d', synthesize: multimodalVllm.synthesizeEPD },
  { name: 'vllm-multimodal-ep-d', synthesize: multimodalVllm.synthesizeEpD },
  { name: 'sglang-multimodal-epd', synthesize: multimodalSglang.synthesizeEpd },
  { name: 'sglang-multimodal-e-pd', synthesize: multimodalSglang.synthesizeEPd },
  { name: 'sglang-multimodal-e-p-d', synthesize: multimodalSglang.synthesizeEPD },
  { name: 'sglang-multimodal-ep-d', synthesize: multimodalSglang.synthesizeEpD },
  { name: 'trtllm-multimodal-epd', synthesize: multimodalTrtllm.synthesizeEpd },
  { name: 'trtllm-multimodal-e-p-d', synthesize: multimodalTrtllm.synthesizeEPD },
  { name: 'trtllm-multimodal-ep-d', synthesize: multimodalTrtllm.synthesizeEpD },
  { name: 'vllm-disagg-hetero', synthesize: heterogeneous.synthesize },
  { name: 'getting-started', synthesize: gettingStarted.synthesize },
];
