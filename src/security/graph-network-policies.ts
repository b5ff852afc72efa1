import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { NetworkPeer } from './network-peer';
import { PropError } from '../common/errors';
import type { DynamoGraph } from '../graph/dynamo-graph';
import { GraphLabels } from '../graph/graph-labels';

/** The frontend's OpenAI-compatible HTTP port (also serves `/metrics`). */
const FRONTEND_PORT = 8000;
/** Metrics ports: frontend http, planner metrics, system (workers, planner), NIXL telemetry. */
const METRICS_PORTS = [FRONTEND_PORT, 9085, 9090, 19090];
/** Prometheus' query port: the Planner reads its metrics. */
const PROMETHEUS_PORT = 9090;
const DNS_PORT = 53;
const NATS_PORT = 4222;
const ETCD_PORT = 2379;

/**
 * Props of `GraphNetworkPolicies`.
 */
export interface GraphNetworkPoliciesProps {
  /** The graph whose pods the policies isolate. */
  readonly graph: DynamoGraph;
  /**
   * Who may call the frontend on port 8000.
   * @default - anyone (`NetworkPeer.anywhere()`): in-cluster clients, ingress controllers and load balancers
   */
  readonly frontendClients?: NetworkPeer[];
  /**
   * Who scrapes metrics (frontend 8000, planner 9085, system 9090, NIXL 19090), and whom the Planner queries on
   * Prometheus' port 9090. An empty list allows no monitoring traffic.
   * @default - the `monitoring` namespace
   */
  readonly monitoring?: NetworkPeer[];
  /**
   * Where the Kubernetes API server is, on TCP 443 and 6443 (Kubernetes discovery, the Planner's scaling calls).
   * The API server is not a pod, so the default is any address; narrow it to your control plane's CIDR.
   * @default - anywhere
   */
  readonly apiServer?: NetworkPeer[];
  /**
   * Namespace of the platform's NATS (4222) and etcd (2379), when the graph uses them.
   * @default - none: Dynamo 1.4 discovers through Kubernetes and needs neither
   */
  readonly platformNamespace?: string;
  /**
   * Extra destinations the graph's pods may reach on any port (model hub or object storage for downloads,
   * LoRA buckets, tracing collectors).
   * @default - none
   */
  readonly extraEgress?: NetworkPeer[];
}

/**
 * NetworkPolicies that isolate one graph's pods: default-deny in and out, then allow only
 * - clients to the frontend (8000),
 * - any pod of the graph to any other pod of the graph, on every port: frontend to workers (system port 9090 and
 *   the TCP request plane), worker to worker KV transfer (NIXL/UCX pick ports at runtime), KV events (ZMQ),
 *   SGLang bootstrap, torch.distributed/NCCL and MPI between multinode ranks, so it is generous inside the graph,
 * - monitoring to the metrics ports, and the Planner to Prometheus,
 * - DNS (53), the API server (443, 6443), and optionally the platform's NATS and etcd.
 *
 * Pods are selected by the operator's `nvidia.com/dynamo-graph-deployment-name` label; NetworkPolicies are
 * additive, so add your own for anything else the graph must reach.
 */
export class GraphNetworkPolicies extends Construct {
  /** `{ from: [...] }` / `{ to: [...] }`, or `{}` (everything) when a peer is `anywhere()`. */
  private static peers(side: 'from' | 'to', peers: NetworkPeer[]): { from?: k8s.NetworkPolicyPeer[]; to?: k8s.NetworkPolicyPeer[] } {
    if (peers.some(p => p.isAnywhere)) return {};
    return { [side]: peers.map(p => p._peer!) };
  }

  /** The policies, in creation order. */
  public readonly policies: k8s.KubeNetworkPolicy[] = [];
  private readonly graph: DynamoGraph;

  constructor(scope: Construct, id: string, props: GraphNetworkPoliciesProps) {
    super(scope, id);
    const graph = props.graph;
    this.graph = graph;
    const clients = props.frontendClients ?? [NetworkPeer.anywhere()];
    PropError.check(clients.length > 0, this, 'frontendClients', [], 'at least one NetworkPeer', 'nobody could reach the frontend');
    PropError.check(graph.frontend !== undefined || props.frontendClients === undefined, this, 'frontendClients',
      clients.map(c => c.description), 'no frontendClients for a graph without a Frontend');
    const monitoring = props.monitoring ?? [NetworkPeer.namespace('monitoring')];
    const apiServer = props.apiServer ?? [NetworkPeer.anywhere()];
    PropError.check(apiServer.length > 0, this, 'apiServer', [], 'at least one NetworkPeer', 'pods discover each other through the API server');
    if (props.platformNamespace !== undefined) NetworkPeer._checkNamespace(this, 'platformNamespace', props.platformNamespace);

    const graphPods = GraphLabels.graph(graph);
    const inGraph: k8s.NetworkPolicyPeer = { podSelector: { matchLabels: graphPods } };
    const tcp = (...ports: number[]) => ports.map(port => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) }));

    // No rules with both policy types: nothing in or out unless another policy allows it.
    this.policy('DefaultDeny', 'default-deny', graphPods, {}, ['Ingress', 'Egress']);
    this.policy('WithinGraph', 'within-graph', graphPods, {
      ingress: [{ from: [inGraph] }],
      egress: [{ to: [inGraph] }],
    });
    if (graph.frontend) {
      this.policy('FrontendClients', 'frontend-clients', GraphLabels.componentType(graph, 'frontend'), {
        ingress: [{ ...GraphNetworkPolicies.peers('from', clients), ports: tcp(FRONTEND_PORT) }],
      });
    }
    if (monitoring.length > 0) {
      this.policy('Monitoring', 'monitoring', graphPods, {
        ingress: [{ ...GraphNetworkPolicies.peers('from', monitoring), ports: tcp(...METRICS_PORTS) }],
        egress: [{ ...GraphNetworkPolicies.peers('to', monitoring), ports: tcp(PROMETHEUS_PORT) }],
      });
    }
    const platform = props.platformNamespace === undefined ? []
      : [{ to: [NetworkPeer.namespace(props.platformNamespace)._peer!], ports: tcp(NATS_PORT, ETCD_PORT) }];
    const extra = props.extraEgress && props.extraEgress.length > 0 ? [GraphNetworkPolicies.peers('to', props.extraEgress)] : [];
    this.policy('Egress', 'egress', graphPods, {
      egress: [
        { ports: [{ protocol: 'UDP', port: k8s.IntOrString.fromNumber(DNS_PORT) }, ...tcp(DNS_PORT)] },
        { ...GraphNetworkPolicies.peers('to', apiServer), ports: tcp(443, 6443) },
        ...platform,
        ...extra,
      ],
    });
  }

  private policy(id: string, suffix: string, podLabels: { [key: string]: string },
    rules: { ingress?: k8s.NetworkPolicyIngressRule[]; egress?: k8s.NetworkPolicyEgressRule[] },
    policyTypes = [...(rules.ingress ? ['Ingress'] : []), ...(rules.egress ? ['Egress'] : [])]): void {
    const graph = this.graph;
    this.policies.push(new k8s.KubeNetworkPolicy(this, id, {
      metadata: { name: `${graph.name}-${suffix}`, namespace: graph.namespace },
      spec: { podSelector: { matchLabels: podLabels }, policyTypes, ...rules },
    }));
  }
}
