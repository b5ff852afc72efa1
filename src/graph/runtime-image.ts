import { IConstruct } from 'constructs';
import { PropError } from '../common/errors';
import { Backend } from '../engines/backend';

/** The operator's semver test for image tags (operator-facts §1c). */
const SEMVER_TAG = /^[vV]?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
/** The CRD pattern of `runtimeVersionOverride`. */
const OVERRIDE = /^(0|[1-9][0-9]{0,3})\.(0|[1-9][0-9]{0,3})\.(0|[1-9][0-9]{0,3})$/;
/** A tag that starts with a version but is not semver, e.g. `1.3.0.post1` or `1.3.0_cu13`. */
const VERSION_PREFIX = /^[vV]?((0|[1-9][0-9]{0,3})\.(0|[1-9][0-9]{0,3})\.(0|[1-9][0-9]{0,3}))(?![0-9])/;

/**
 * Dynamo runtime container images.
 */
export class DynamoRuntime {
  /** The Dynamo release the default images are pinned to (the current stable release). */
  public static readonly DEFAULT_VERSION = '1.3.0';
  /** The NGC registry path of the Dynamo images. */
  public static readonly REGISTRY = 'nvcr.io/nvidia/ai-dynamo';

  /**
   * The runtime image of a backend, e.g. `nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.3.0`.
   * The frontend uses the same image as the workers.
   * @param backend the inference engine
   * @param version image tag; defaults to `DEFAULT_VERSION`
   */
  public static image(backend: Backend, version?: string): string {
    const repo = backend === Backend.TRTLLM ? 'tensorrtllm-runtime' : `${backend}-runtime`;
    return `${DynamoRuntime.REGISTRY}/${repo}:${version ?? DynamoRuntime.DEFAULT_VERSION}`;
  }

  /**
   * The `runtimeVersionOverride` a component needs: the explicit value when given (validated), nothing when the
   * image tag is semver (the operator parses it), the version prefix of tags like `1.3.0.post1`, else an error.
   * @internal
   */
  public static _versionOverride(scope: IConstruct, image: string, explicit: string | undefined): string | undefined {
    if (explicit !== undefined) {
      PropError.check(OVERRIDE.test(explicit), scope, 'runtimeVersionOverride', explicit, 'MAJOR.MINOR.PATCH, e.g. \'1.4.0\'');
      return explicit;
    }
    const tag = DynamoRuntime._tag(image);
    if (tag !== undefined && SEMVER_TAG.test(tag)) return undefined;
    const prefix = tag === undefined ? null : VERSION_PREFIX.exec(tag);
    if (prefix) return prefix[1];
    throw PropError.invalid(scope, 'runtimeVersionOverride', undefined,
      'the Dynamo runtime version of the image as MAJOR.MINOR.PATCH, e.g. \'1.3.0\'',
      `the operator requires it because image '${image}' has no semver tag`);
  }

  /**
   * The Dynamo runtime version (MAJOR.MINOR.PATCH) an image runs: the explicit override, else the version its tag
   * starts with; undefined when neither says.
   * @internal
   */
  public static _version(image: string, explicit: string | undefined): string | undefined {
    if (explicit !== undefined) return explicit;
    const tag = DynamoRuntime._tag(image);
    return tag === undefined ? undefined : VERSION_PREFIX.exec(tag)?.[1];
  }

  /** Validates an image reference early: non-empty and no whitespace. @internal */
  public static _checkImage(scope: IConstruct, prop: string, image: string | undefined): void {
    if (image === undefined) return;
    PropError.check(image.length > 0 && !/\s/.test(image), scope, prop, image, 'a container image reference, e.g. \'nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.3.0\'');
  }

  private static _tag(image: string): string | undefined {
    const withoutDigest = image.split('@')[0];
    const lastSlash = withoutDigest.lastIndexOf('/');
    const colon = withoutDigest.indexOf(':', lastSlash + 1);
    return colon < 0 ? undefined : withoutDigest.slice(colon + 1);
  }

  private constructor() {}
}
