import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { PropError } from '../common/errors';
import type { DynamoGraph } from '../graph/dynamo-graph';
import { DynamoNames } from '../graph/names';
import { WorkerPool } from '../graph/worker-pool';

/** Highest LoRA rank requested so far per pool, so several adapters on one pool get the largest. */
const LORA_RANKS = new WeakMap<WorkerPool, number>();

/**
 * What a `DynamoModel` describes (`spec.modelType`).
 */
export enum DynamoModelType {
  /** A LoRA adapter loaded on top of the base model. */
  LORA = 'lora',
  /** A non-LoRA adapter loaded on top of the base model. */
  ADAPTER = 'adapter',
  /** The base model itself (no source: the workers already serve it). */
  BASE = 'base',
}

/**
 * Where the operator fetches adapter weights from (`spec.source.uri`).
 */
export class ModelSource {
  /**
   * An S3 (or S3-compatible, e.g. MinIO) location.
   * @param bucket bucket name
   * @param path key prefix of the adapter directory inside the bucket
   */
  public static s3(bucket: string, path: string): ModelSource {
    const cleanPath = path.replace(/^\/+|\/+$/g, '');
    return new ModelSource(`s3://${bucket}/${cleanPath}`, () => {
      const problems: string[] = [];
      if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) problems.push('bucket: 3-63 lower-case letters, digits, \'.\' and \'-\'');
      if (cleanPath.length === 0 || /\s/.test(cleanPath)) problems.push('path: a non-empty key prefix without whitespace');
      return problems;
    });
  }

  /**
   * A Hugging Face repository pinned to a revision, so every replica loads the same weights.
   * @param repo repository id, `org/name`
   * @param revision commit sha (recommended), branch or tag
   */
  public static huggingFace(repo: string, revision: string): ModelSource {
    return new ModelSource(`hf://${repo}@${revision}`, () => {
      const problems: string[] = [];
      if (!/^[A-Za-z0-9][\w.-]*\/[A-Za-z0-9][\w.-]*$/.test(repo)) problems.push('repo: \'org/name\'');
      if (!/^[\w.-]+$/.test(revision)) problems.push('revision: a commit sha, branch or tag');
      return problems;
    });
  }

  /**
   * A directory already present in the worker pods (for example on a model-cache volume).
   * @param path absolute path inside the worker containers
   */
  public static file(path: string): ModelSource {
    return new ModelSource(`file://${path}`, () => (/^\/\S*$/.test(path) ? [] : ['path: an absolute path without whitespace']));
  }

  private constructor(
    /** The URI the operator reads, e.g. `s3://adapters/sql-lora`. */
    public readonly uri: string,
    private readonly check: () => string[],
  ) {}

  /** @internal */
  public _validate(scope: Construct, prop: string): void {
    const problems = this.check();
    PropError.check(problems.length === 0, scope, prop, this.uri, problems.join('; '));
  }
}

/**
 * Props of `DynamoModel`.
 */
export interface DynamoModelProps {
  /**
   * Name clients use for the adapter (the `model` field of OpenAI requests), e.g. `my-org/sql-lora`.
   */
  readonly modelName: string;

  /**
   * The graph serving the base model. Its worker pools whose `model` is `baseModelName` get the model reference
   * and the engine's LoRA flags (`--enable-lora --max-lora-rank`). Create the DynamoModel after those pools.
   * @default - none: the workers must already reference the base model
   */
  readonly graph?: DynamoGraph;

  /**
   * The base model the adapter applies to: the served model name of the workers that load it.
   * Those workers must reference it (`modelRef.name`).
   * @default - the `model` of the graph's pools, when they all serve the same one
   */
  readonly baseModelName?: string;

  /**
   * Where the weights come from. Required for LoRA and adapter models.
   * @default - none (only valid for `DynamoModelType.BASE`)
   */
  readonly source?: ModelSource;

  /**
   * Kind of model.
   * @default DynamoModelType.LORA
   */
  readonly type?: DynamoModelType;

  /**
   * Highest LoRA rank of this adapter. Workers that load it get `--max-lora-rank` of at least this.
   * @default 64
   */
  readonly maxRank?: number;

  /**
   * `metadata.name` of the DynamoModel.
   * @default - derived from `modelName`
   */
  readonly name?: string;

  /**
   * Namespace; must be the graph's namespace.
   * @default - the graph's namespace, else the chart's
   */
  readonly namespace?: string;
}

/**
 * A model the Dynamo operator loads into running workers: usually a LoRA adapter on top of the base model
 * a graph serves (`nvidia.com/v1alpha1` DynamoModel). The operator discovers the workers through a headless
 * Service over the pods whose `modelRef` names `baseModelName`, and loads the adapter into each.
 */
export class DynamoModel extends Construct {
  /** The LoRA rank assumed when `maxRank` is not given. */
  public static readonly DEFAULT_MAX_RANK = 64;

  /** `org/Name_LoRA` → `org-name-lora`: the model name lower-cased into a DNS label. */
  private static defaultName(modelName: string): string {
    const label = modelName.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+/, '').slice(0, 63).replace(/-+$/, '');
    return label.length > 0 ? label : 'model';
  }

  /** The one model the graph's pools serve. */
  private static graphModel(scope: Construct, graph: DynamoGraph | undefined): string {
    const models = graph ? [...new Set(DynamoModel.pools(graph).map(p => p.model))] : [];
    PropError.check(models.length === 1, scope, 'baseModelName', undefined,
      graph ? `one of ${models.join(', ') || '(no pools yet)'}` : 'the served name of the base model',
      graph ? 'the graph\'s pools do not serve exactly one model' : 'without a graph the base model must be named');
    return models[0];
  }

  private static pools(graph: DynamoGraph): WorkerPool[] {
    return graph.components.filter((c): c is WorkerPool => c instanceof WorkerPool);
  }

  /** The underlying API object. */
  public readonly apiObject: ApiObject;
  /** Name clients use for the adapter. */
  public readonly modelName: string;
  /** The base model the adapter applies to. */
  public readonly baseModelName: string;
  /** Kind of model. */
  public readonly type: DynamoModelType;
  /** Highest LoRA rank of the adapter. */
  public readonly maxRank: number;
  /** Where the weights come from. */
  public readonly source?: ModelSource;

  /**
   * @param scope parent construct, usually a chart
   * @param id construct id, unique within `scope`
   * @param props the model, its base model and where its weights come from
   */
  constructor(scope: Construct, id: string, props: DynamoModelProps) {
    super(scope, id);
    this.type = props.type ?? DynamoModelType.LORA;
    this.modelName = props.modelName;
    this.baseModelName = props.baseModelName ?? DynamoModel.graphModel(this, props.graph);
    this.source = props.source;
    this.maxRank = props.maxRank ?? DynamoModel.DEFAULT_MAX_RANK;

    const modelId = /^\S+$/;
    PropError.check(modelId.test(props.modelName), this, 'modelName', props.modelName, 'a non-empty model name without whitespace');
    PropError.check(modelId.test(this.baseModelName), this, 'baseModelName', this.baseModelName, 'a non-empty model name without whitespace, the served name of the base model');
    PropError.check(this.type === DynamoModelType.BASE || props.modelName !== this.baseModelName, this, 'modelName', props.modelName,
      'a name different from baseModelName', 'clients would not be able to tell the adapter from its base model');
    PropError.check(this.type === DynamoModelType.BASE || this.source !== undefined, this, 'source', undefined,
      'ModelSource.s3(...), ModelSource.huggingFace(...) or ModelSource.file(...)', `a ${this.type} model needs weights to load`);
    PropError.check(this.type !== DynamoModelType.BASE || this.source === undefined, this, 'source', this.source?.uri,
      'none for a base model', 'the operator only downloads LoRA and adapter weights');
    this.source?._validate(this, 'source');
    PropError.integer(this, 'maxRank', props.maxRank, 1, 1024);
    DynamoNames.checkLabel(this, 'name', props.name);

    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'nvidia.com/v1alpha1',
      kind: 'DynamoModel',
      metadata: { name: props.name ?? DynamoModel.defaultName(props.modelName), namespace: props.namespace ?? props.graph?.namespace },
      spec: Lazy.any({ produce: () => this._toSpec() }),
    });
    if (props.graph) this.attach(props.graph);
  }

  /** `metadata.name` of the DynamoModel. */
  public get name(): string {
    return this.apiObject.name;
  }

  /** @internal */
  public _toSpec(): unknown {
    return {
      modelName: this.modelName,
      baseModelName: this.baseModelName,
      modelType: this.type,
      ...(this.source ? { source: { uri: this.source.uri } } : {}),
    };
  }

  /** Turns LoRA on in the graph's pools serving the base model; pools added later are reported at synth. */
  private attach(graph: DynamoGraph): void {
    // Adapters apply to the language model: an encode pool of the same checkpoint runs none.
    const serving = () => graph.components.filter((c): c is WorkerPool => c instanceof WorkerPool && c.model === this.baseModelName && c._role !== 'encode');
    const attached = serving();
    PropError.check(attached.length > 0, this, 'baseModelName', this.baseModelName,
      `the model of a worker pool of graph '${graph.name}' (${[...new Set(DynamoModel.pools(graph).map(p => p.model))].join(', ') || 'it has none yet'})`,
      'no pool serves it; create the DynamoModel after the pools');
    if (this.type !== DynamoModelType.BASE) {
      for (const pool of attached) {
        const rank = Math.max(this.maxRank, LORA_RANKS.get(pool) ?? 0);
        LORA_RANKS.set(pool, rank);
        pool._enableLora(rank);
      }
    }
    this.node.addValidation({
      validate: () => serving().filter(p => !attached.includes(p)).map(p => PropError.invalid(this, 'graph', graph.name,
        'a DynamoModel created after every pool serving its base model', `pool '${p.node.path}' was added later and has no LoRA support`).message),
    });
  }

}
