import { PolicyRule, Rules } from './policy-rule';
import { PolicySeverity } from '../policy-types';

/** The operator's test for a runtime version it can read off the tag. */
const SEMVER_TAG = /^[vV]?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
const RUNTIME_VERSION = /^\d+\.\d+\.\d+$/;

/**
 * Image reference rules.
 * @internal
 */
export class ImageRules {
  public static readonly ALL: PolicyRule[] = [
    Rules.perContainer({
      id: 'DYN-IMG-001',
      severity: PolicySeverity.ERROR,
      reason: 'Images must be pinned to a tag or digest other than latest, so a GitOps sync deploys what was reviewed.',
      fix: 'Use an explicit version tag (e.g. :1.4.0) or a digest (@sha256:...).',
    }, (container, pod) => {
      const image = container.json.image;
      if (pod.dynamo && container.main && !image) {
        return { field: 'image', value: image, allowed: 'an image reference', why: 'the operator rejects components without a main image' };
      }
      if (typeof image !== 'string' || !image) return undefined;
      const ref = ImageRules.parse(image);
      if (ref.digest || (ref.tag && ref.tag !== 'latest')) return undefined;
      return { field: 'image', value: image, allowed: 'an image with a version tag or digest', why: ref.tag ? 'latest moves under you' : 'an untagged image means latest' };
    }),
    Rules.perPod({
      id: 'DYN-IMG-002',
      severity: PolicySeverity.ERROR,
      reason: 'The Dynamo operator rejects a component whose image tag is not semver unless runtimeVersionOverride (MAJOR.MINOR.PATCH) is set.',
      fix: 'Set runtimeVersionOverride to the Dynamo version of the image (e.g. 1.4.0), or use a semver image tag.',
    }, ctx => ctx.pods.filter(p => p.dynamo), (pod, ctx) => {
      const image = pod.containers.find(c => c.main)?.json.image;
      const override = pod.runtimeVersionOverride;
      const allowed = 'MAJOR.MINOR.PATCH, e.g. 1.4.0';
      if (override !== undefined) {
        return RUNTIME_VERSION.test(String(override)) ? undefined : ctx.atField(pod, pod.runtimeVersionPath!, override, allowed, 'the CRD pattern rejects it');
      }
      if (typeof image !== 'string' || !image) return undefined;
      const tag = ImageRules.parse(image).tag;
      if (tag && SEMVER_TAG.test(tag)) return undefined;
      return ctx.atField(pod, pod.runtimeVersionPath!, override, allowed, `image '${image}' has no semver tag, so the admission webhook requires it`);
    }),
  ];

  /** Splits `registry:port/repo:tag@digest`. */
  public static parse(image: string): { name: string; tag?: string; digest?: string } {
    const at = image.indexOf('@');
    const withoutDigest = at >= 0 ? image.slice(0, at) : image;
    const digest = at >= 0 ? image.slice(at + 1) : undefined;
    const colon = withoutDigest.lastIndexOf(':');
    const hasTag = colon > withoutDigest.lastIndexOf('/');
    return {
      name: hasTag ? withoutDigest.slice(0, colon) : withoutDigest,
      tag: hasTag ? withoutDigest.slice(colon + 1) : undefined,
      digest,
    };
  }
}
