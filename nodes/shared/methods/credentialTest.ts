import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { authenticateLlmChat } from '../../../credentials/shared/llmChatApiCredential';
import { isModelList, normalizeModelList } from '../models';
import { PROVIDER_IDS, PROVIDERS } from '../providers';
import {
	isRedirect,
	providerErrorInfo,
	redirectHint,
	unexpectedResponse,
} from '../transport/errors';
import { createRedactor } from '../transport/redact';
import { baseUrlProblem, joinUrl } from '../transport/url';

/**
 * The credentials' Test button: `GET {base}/{version}/models` with the credential's
 * own authentication. A node-side test (rather than a declarative `test` request)
 * because only here can the user read the provider's own error message, and
 * because a 200 HTML page from a wrong base URL must fail too.
 */
export async function llmChatApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const problem = baseUrlProblem(data.baseUrl);
	if (problem !== undefined) return { status: 'Error', message: `Base URL ${problem}` };

	const providerId = PROVIDER_IDS.find((id) => PROVIDERS[id].credentialType === credential.type);
	const provider = PROVIDERS[providerId ?? 'openAi'];
	const url = joinUrl(
		String(data.baseUrl),
		typeof data.apiVersion === 'string' ? data.apiVersion : '',
		provider.modelsPath,
	);
	const authenticated = await authenticateLlmChat(data, { url, headers: {} });
	// Whatever the server answers may echo the key or a header value: nothing unredacted is shown.
	const redact = createRedactor(data);
	let response: { statusCode: number; body: unknown; headers?: IDataObject };
	try {
		// Credential tests only get the legacy `request` helper from n8n.
		// eslint-disable-next-line @n8n/community-nodes/no-deprecated-workflow-functions
		response = await this.helpers.request({
			method: 'GET',
			uri: url,
			headers: authenticated.headers as IDataObject,
			json: true,
			timeout: 20_000,
			resolveWithFullResponse: true,
			simple: false,
			followRedirect: false,
		});
	} catch (error) {
		return {
			status: 'Error',
			message: redact.text(`Could not reach ${url}: ${(error as Error).message}`),
		};
	}

	const { statusCode } = response;
	const body = redact.deep(response.body);
	if (isRedirect(statusCode)) {
		const location = redact.deep(response.headers)?.location;
		return {
			status: 'Error',
			message: `${statusCode}: ${redirectHint(typeof location === 'string' ? location : undefined)}`,
		};
	}
	if (statusCode < 200 || statusCode >= 300) {
		const info = providerErrorInfo(body);
		return { status: 'Error', message: `${statusCode}: ${info?.message ?? 'empty response body'}` };
	}
	if (!isModelList(body)) {
		const { message, description } = unexpectedResponse(provider, 'a model list', body, url);
		return { status: 'Error', message: `${message}. ${description}` };
	}
	const count = normalizeModelList(body).length;
	return {
		status: 'OK',
		message: `Connection successful: ${count} model${count === 1 ? '' : 's'} available`,
	};
}
