/** ARN templates several checks grant on (filled by the stacks with partition, region and account). */

/** Every REST API stage of the region. */
export const STAGE_ARN_TEMPLATE = 'arn:{partition}:apigateway:{region}::/restapis/*/stages/*';

/** What listing the region's REST API stages reads: the APIs, their stages, each stage and its tags. */
export const STAGE_LISTING_TEMPLATES = [
  'arn:{partition}:apigateway:{region}::/restapis',
  'arn:{partition}:apigateway:{region}::/restapis/*/stages',
  STAGE_ARN_TEMPLATE,
  'arn:{partition}:apigateway:{region}::/tags/*',
] as const;
