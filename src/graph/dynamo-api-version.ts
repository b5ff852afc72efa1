/**
 * The DynamoGraphDeployment API version a graph is written in.
 */
export enum DynamoApiVersion {
  /** `nvidia.com/v1beta1`: a `components` list, each with a `podTemplate` whose container `main` is the engine. */
  V1BETA1 = 'nvidia.com/v1beta1',
  /** `nvidia.com/v1alpha1`: a `services` map with `extraPodSpec.mainContainer`, for operators older than 1.2. */
  V1ALPHA1 = 'nvidia.com/v1alpha1',
}
