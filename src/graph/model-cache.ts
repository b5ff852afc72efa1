import { createHash } from 'crypto';
import { ApiObject, Lazy, Size, SizeRoundingBehavior } from 'cdk8s';
import { k8s, PersistentVolumeAccessMode } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { ComponentResourceDefaults, ComponentResources } from './component-resources';
import { SecretKeyRef } from './env';
import { DynamoNames } from './names';
import { DynamoRuntime } from './runtime-image';
import { PropError } from '../common/errors';
import { SecureDefaults } from '../common/security';
import { Sizes } from '../common/sizes';
import { Backend } from '../engines/backend';
import { GpuPlacement } from '../gpu/gpu-pod';

/** The non-root user the download runs as; fsGroup makes the volume writable for it. */
const DOWNLOAD_UID = 1000;
/** Written after a complete download; the Job skips when it exists, workers wait for it. */
const MARKER = '.download-complete';
const HF_ID = /^[A-Za-z0-9][-A-Za-z0-9_.]*\/[A-Za-z0-9][-A-Za-z0-9_.]*$/;

/**
 * Props of a `ModelCache`.
 */
export interface ModelCacheProps {
  /** Hugging Face id of the model to download, e.g. `Qwen/Qwen3-0.6B`. */
  readonly model: string;
  /** Size of the volume: the model's weights plus headroom. */
  readonly size: Size;
  /**
   * Revision (branch, tag or commit) to download. Pin a commit for reproducible deployments.
   * @default 'main'
   */
  readonly revision?: string;
  /**
   * Name of the PersistentVolumeClaim.
   * @default - the construct id, lower-cased
   */
  readonly claimName?: string;
  /**
   * Namespace of the claim and the Job; must be the graph's.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * Storage class.
   * @default - the cluster's default storage class
   */
  readonly storageClassName?: string;
  /**
   * Access mode. Pools on several nodes need ReadWriteMany (or ReadOnlyMany volumes pre-filled elsewhere).
   * @default PersistentVolumeAccessMode.READ_WRITE_MANY
   */
  readonly accessMode?: PersistentVolumeAccessMode;
  /**
   * Where pods mount the volume.
   * @default '/models'
   */
  readonly mountPath?: string;
  /**
   * Secret key holding a Hugging Face token, for gated models. Passed as `HF_TOKEN`; never a literal.
   * @default - anonymous download
   */
  readonly hfTokenSecret?: SecretKeyRef;
  /**
   * Image of the download Job; it needs `python3` with `huggingface_hub`.
   * @default - the vLLM runtime image at `DynamoRuntime.DEFAULT_VERSION` (the workers pull a runtime image anyway)
   */
  readonly image?: string;
  /**
   * Retries of the download Job.
   * @default 6
   */
  readonly backoffLimit?: number;
  /**
   * Resources of the download container.
   * @default - 1 CPU, 4 GiB memory, 2 GiB ephemeral storage
   */
  readonly resources?: ComponentResources;
  /**
   * Tolerations of the download Job.
   * @default - those of the pools that use the cache
   */
  readonly tolerations?: k8s.Toleration[];
  /**
   * Node affinity of the download Job.
   * @default - the node targeting of the pools that use the cache (any of them)
   */
  readonly affinity?: k8s.Affinity;
}

/**
 * What a worker pool offers the cache: its pod placement.
 * @internal
 */
export interface ModelCacheConsumer {
  _placement(): GpuPlacement;
}

/**
 * A PersistentVolumeClaim holding one Hugging Face model, filled once by a download Job. Worker pools with
 * `modelCache` mount it, wait for the download to finish and load the weights from it.
 *
 * GitOps safety: the claim carries `argocd.argoproj.io/sync-options: Prune=false` and
 * `kustomize.toolkit.fluxcd.io/prune: disabled`, so a re-sync or a renamed graph never deletes a downloaded model.
 * The Job is idempotent: it exits at once when the completion marker exists, so re-running it (ArgoCD re-creates a
 * deleted Job) never downloads again. It has no `ttlSecondsAfterFinished`: a Job that deletes itself would be
 * re-created on every sync; a completed Job stays as a record instead. Its name carries a hash of what it
 * downloads, so changing the revision or image creates a new Job rather than editing an immutable one.
 */
export class ModelCache extends Construct {
  /** Hugging Face id of the model. */
  public readonly model: string;
  /** Revision downloaded. */
  public readonly revision: string;
  /** Name of the PersistentVolumeClaim. */
  public readonly claimName: string;
  /** Where pods mount the volume. */
  public readonly mountPath: string;
  /** Access mode of the claim. */
  public readonly accessMode: PersistentVolumeAccessMode;
  /** The claim. */
  public readonly claim: k8s.KubePersistentVolumeClaim;
  /** The download Job. */
  public readonly job: ApiObject;
  private readonly props: ModelCacheProps;
  private readonly consumers: ModelCacheConsumer[] = [];

  /**
   * @param scope parent construct, usually the graph's chart (the claim must be in the graph's namespace)
   * @param id construct id, unique within `scope`; the default claim name
   * @param props the model, claim size and storage, and the download Job's settings
   */
  public constructor(scope: Construct, id: string, props: ModelCacheProps) {
    super(scope, id);
    this.props = props;
    PropError.check(HF_ID.test(props.model), this, 'model', props.model, 'a Hugging Face id <org>/<name>, e.g. \'Qwen/Qwen3-0.6B\'');
    this.model = props.model;
    this.revision = props.revision ?? 'main';
    PropError.check(/^[A-Za-z0-9][-A-Za-z0-9_.]*$/.test(this.revision), this, 'revision', this.revision, 'a branch, tag or commit (letters, digits, \'-\', \'_\', \'.\')');
    this.claimName = props.claimName ?? DynamoNames.fromId(id);
    DynamoNames.checkLabel(this, 'claimName', this.claimName);
    DynamoNames.checkLabel(this, 'namespace', props.namespace);
    this.mountPath = props.mountPath ?? '/models';
    PropError.check(/^\/[-A-Za-z0-9_./]*[^/]$/.test(this.mountPath), this, 'mountPath', this.mountPath, 'an absolute directory path, e.g. \'/models\'');
    PropError.check(props.size.toMebibytes({ rounding: SizeRoundingBehavior.NONE }) > 0, this, 'size', Sizes.quantity(props.size), 'a size above 0');
    const accessMode = props.accessMode ?? PersistentVolumeAccessMode.READ_WRITE_MANY;
    PropError.check(Object.values(PersistentVolumeAccessMode).includes(accessMode), this, 'accessMode', accessMode, Object.values(PersistentVolumeAccessMode).join(', '));
    this.accessMode = accessMode;
    if (props.storageClassName !== undefined) DynamoNames.checkSubdomain(this, 'storageClassName', props.storageClassName);
    if (props.hfTokenSecret) DynamoNames.checkSubdomain(this, 'hfTokenSecret.secretName', props.hfTokenSecret.secretName);
    DynamoRuntime._checkImage(this, 'image', props.image);
    PropError.integer(this, 'backoffLimit', props.backoffLimit, 0, 100);
    ComponentResourceDefaults.check(this, props.resources);

    this.claim = new k8s.KubePersistentVolumeClaim(this, 'Claim', {
      metadata: {
        name: this.claimName,
        namespace: props.namespace,
        annotations: {
          'argocd.argoproj.io/sync-options': 'Prune=false',
          'kustomize.toolkit.fluxcd.io/prune': 'disabled',
        },
      },
      spec: {
        accessModes: [accessMode],
        storageClassName: props.storageClassName,
        resources: { requests: { storage: k8s.Quantity.fromString(Sizes.quantity(props.size)) } },
      },
    });
    // A plain ApiObject: KubeJob re-serializes a resolved Lazy spec as typed input, which drops Quantities.
    this.job = new ApiObject(this, 'Download', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: this.jobName(), namespace: props.namespace },
      spec: Lazy.any({ produce: () => this.jobSpec() }),
    });
  }

  /** Path of the model's files inside pods: `<mountPath>/<model>/<revision>`. */
  public get modelPath(): string {
    return `${this.mountPath}/${this.model}/${this.revision}`;
  }

  /** Namespace of the claim (undefined: the chart's). */
  public get namespace(): string | undefined {
    return this.props.namespace;
  }

  /**
   * Registers a pool that mounts the cache; the download Job then tolerates and targets the same nodes.
   * @internal
   */
  public _attach(consumer: ModelCacheConsumer): void {
    this.consumers.push(consumer);
  }

  /**
   * An init container that holds the engine back until the download is complete, so it never loads half a model.
   * @internal
   */
  public _waitContainer(image: string): k8s.Container {
    return {
      name: 'wait-for-model',
      image,
      command: ['/bin/sh', '-c', 'until [ -f "$MARKER" ]; do echo "waiting for $MARKER"; sleep 10; done'],
      env: [{ name: 'MARKER', value: `${this.modelPath}/${MARKER}` }],
      volumeMounts: [{ name: this.claimName, mountPath: this.mountPath, readOnly: true }],
      resources: ComponentResourceDefaults.render({}, { cpu: '100m', memory: '64Mi', ephemeralStorage: '16Mi' }),
      securityContext: SecureDefaults.containerSecurityContext({ nonRoot: true, readOnlyRootFilesystem: true }),
    };
  }

  private get image(): string {
    return this.props.image ?? DynamoRuntime.image(Backend.VLLM);
  }

  /** `<claim>-download-<hash of model, revision, image>`, at most 63 characters (it becomes a label value). */
  private jobName(): string {
    const hash = createHash('sha256').update(JSON.stringify([this.model, this.revision, this.image])).digest('hex').slice(0, 8);
    return `${this.claimName.slice(0, 63 - '-download-'.length - hash.length).replace(/-+$/, '')}-download-${hash}`;
  }

  private jobSpec(): any {
    const placement = this.placement();
    const env: k8s.EnvVar[] = [
      { name: 'MODEL_ID', value: this.model },
      { name: 'MODEL_REVISION', value: this.revision },
      { name: 'MODEL_DIR', value: this.modelPath },
      { name: 'MARKER', value: `${this.modelPath}/${MARKER}` },
      // Read-only root filesystem: HOME and the Hugging Face cache live on a scratch emptyDir.
      { name: 'HOME', value: '/scratch/home' },
      { name: 'HF_HOME', value: '/scratch/hf' },
      { name: 'HF_HUB_DISABLE_TELEMETRY', value: '1' },
      ...(this.props.hfTokenSecret
        ? [{ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: this.props.hfTokenSecret.secretName, key: this.props.hfTokenSecret.key } } }]
        : []),
    ];
    const spec: k8s.JobSpec = {
      backoffLimit: this.props.backoffLimit ?? 6,
      completions: 1,
      parallelism: 1,
      template: {
        spec: {
          restartPolicy: 'Never',
          securityContext: {
            ...SecureDefaults.podSecurityContext({ nonRoot: true, fsGroup: DOWNLOAD_UID }),
            // Skip the recursive chown of a large, already-filled volume on every run.
            fsGroupChangePolicy: 'OnRootMismatch',
          },
          affinity: placement.affinity,
          tolerations: placement.tolerations.length > 0 ? placement.tolerations : undefined,
          containers: [{
            name: 'download',
            image: this.image,
            // Values come in through env, never spliced into the script.
            command: ['/bin/sh', '-c', [
              'set -eu',
              'if [ -f "$MARKER" ]; then echo "$MODEL_ID@$MODEL_REVISION already in $MODEL_DIR"; exit 0; fi',
              'mkdir -p "$HOME" "$HF_HOME" "$MODEL_DIR"',
              'python3 -c \'import os; from huggingface_hub import snapshot_download; snapshot_download(repo_id=os.environ["MODEL_ID"], revision=os.environ["MODEL_REVISION"], local_dir=os.environ["MODEL_DIR"])\'',
              'touch "$MARKER"',
              'echo "downloaded $MODEL_ID@$MODEL_REVISION to $MODEL_DIR"',
            ].join('\n')],
            env,
            resources: ComponentResourceDefaults.render(this.props.resources ?? {}, { cpu: '1', memory: '4Gi', ephemeralStorage: '2Gi' }),
            securityContext: SecureDefaults.containerSecurityContext({ nonRoot: true, readOnlyRootFilesystem: true, runAsUser: DOWNLOAD_UID }),
            volumeMounts: [
              { name: 'model-cache', mountPath: this.mountPath },
              { name: 'scratch', mountPath: '/scratch' },
            ],
          }],
          volumes: [
            { name: 'model-cache', persistentVolumeClaim: { claimName: this.claimName } },
            { name: 'scratch', emptyDir: { sizeLimit: k8s.Quantity.fromString('2Gi') } },
          ],
        },
      },
    };
    return k8s.toJson_JobSpec(spec);
  }

  /** Explicit placement, else the union of the consumers': every toleration, and any consumer's node terms. */
  private placement(): { affinity?: k8s.Affinity; tolerations: k8s.Toleration[] } {
    const seen = new Set<string>();
    const tolerations = (this.props.tolerations ?? this.consumers.flatMap(c => c._placement().tolerations))
      .filter(t => {
        const key = JSON.stringify(k8s.toJson_Toleration(t));
        return seen.has(key) ? false : (seen.add(key), true);
      });
    if (this.props.affinity) return { affinity: this.props.affinity, tolerations };
    // Node selector terms are ORed: a node that suits any consumer suits the download.
    const terms: k8s.NodeSelectorTerm[] = [];
    for (const c of this.consumers) {
      const p = c._placement();
      const selectorExpressions = Object.entries(p.nodeSelector ?? {}).map(([key, value]) => ({ key, operator: 'In', values: [value] }));
      const required = p.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [{}];
      for (const term of required) {
        const matchExpressions = [...selectorExpressions, ...(term.matchExpressions ?? [])];
        if (matchExpressions.length === 0) return { tolerations };
        const candidate = { ...term, matchExpressions };
        if (!terms.some(t => JSON.stringify(t) === JSON.stringify(candidate))) terms.push(candidate);
      }
    }
    return {
      affinity: terms.length > 0 ? { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } : undefined,
      tolerations,
    };
  }
}
