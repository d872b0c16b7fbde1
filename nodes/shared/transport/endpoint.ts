import type {
	ICredentialsDecrypted,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	ISupplyDataFunctions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Provider } from '../providers';
import { dialectFor } from '../providers';
import { rateLimitKey } from '../rateLimit';
import type { Redactor } from './redact';
import { createRedactor } from './redact';
import { credentialProblem } from './credentialChecks';

/** Whoever sends: a node's execute, the model picker or the Test button, or a Chat Model sub-node. */
export type RequestContext = IExecuteFunctions | ILoadOptionsFunctions | ISupplyDataFunctions;

export interface Endpoint {
	/** In the dialect the credential picked (its Server Kind). */
	provider: Provider;
	baseUrl: string;
	apiVersion: string;
	/** Masks the key and custom header values in everything read from a response, which may echo them. */
	redact: Redactor;
	/** Whose budget Requests per Minute draws on: the credential and where it points. */
	rateLimitKey: string;
	/** Handed to n8n with every request, so it does not decrypt the credential again per item. */
	credentials: ICredentialsDecrypted;
}

/**
 * Reads where the credential points, once per execution. A credential that can never
 * work (a base URL that is not plain http(s), a key or header that cannot be sent as
 * typed) stops here, before any request.
 */
export async function resolveEndpoint(this: RequestContext, provider: Provider): Promise<Endpoint> {
	const credentials = await this.getCredentials(provider.credentialType);
	const problem = credentialProblem(credentials);
	if (problem !== undefined) {
		throw new NodeOperationError(
			this.getNode(),
			`The ${problem.field} of the ${provider.displayName} credential ${problem.problem}`,
			{
				description:
					problem.field === 'Base URL'
						? 'Open the credential and enter the API address, for example https://api.openai.com'
						: `Open the ${provider.displayName} credential and correct its ${problem.field}.`,
			},
		);
	}
	const id = this.getNode().credentials?.[provider.credentialType]?.id ?? '';
	const baseUrl = String(credentials.baseUrl);
	const apiVersion = typeof credentials.apiVersion === 'string' ? credentials.apiVersion : '';
	return {
		provider: dialectFor(provider, credentials),
		baseUrl,
		apiVersion,
		redact: createRedactor(credentials),
		rateLimitKey: rateLimitKey(id ?? '', baseUrl, apiVersion),
		credentials: {
			id: id ?? '',
			name: provider.credentialType,
			type: provider.credentialType,
			data: credentials,
		},
	};
}
