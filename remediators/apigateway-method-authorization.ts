import type { Finding } from '../core/finding';
import { apigatewayMethodAuthorizationDetector as detector, type OpenMethod } from '../detectors/apigateway-method-authorization';
import { FatalRemediationError } from './errors';
import type { Remediator } from './remediator';
import { defineRemediator } from './define-remediator';

/**
 * No automatic fix: which authorizer a method needs (IAM, a Cognito user pool, a Lambda authorizer, an API
 * key with a usage plan) is the API owner's design, and any of them breaks every caller that does not yet
 * send it. The plan has no call, so the workflow opens a ticket that names each open method.
 */
export const apigatewayMethodAuthorizationRemediator: Remediator<'apigateway-method-authorization', 'apigateway', never> = defineRemediator({
  check: 'apigateway-method-authorization',
  detector,

  plan(finding: Finding) {
    const { openMethods = [], openCount = openMethods.length } = finding.evidence as { openMethods?: OpenMethod[]; openCount?: number };
    const listed = openMethods.map((method) => `${method.httpMethod} ${method.path}`).join(', ');
    return {
      calls: [],
      notes: [
        `Open to anyone: ${listed}${openCount > openMethods.length ? ` and ${openCount - openMethods.length} more` : ''}.`,
        'Warden changes no authorization: each method needs the owner to choose AWS_IAM (callers sign with SigV4), a Cognito user pool or a ' +
          'Lambda authorizer (callers send a token), or apiKeyRequired with a usage plan, then redeploy the stage. Any of them rejects the callers ' +
          'that do not yet send it, so the API owner must make the change with those callers. A method meant to be public stays so with an exemption.',
      ],
    };
  },

  fix() {
    return Promise.reject(new FatalRemediationError('apigateway-method-authorization has no automatic fix: it is ticketed'));
  },

  prepareUndo() {
    return Promise.reject(new FatalRemediationError('apigateway-method-authorization made no change to undo'));
  },
});
