import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { authenticateLlmChat } from '../../../credentials/shared/llmChatApiCredential';
import { CREDENTIAL_TEST_POLICY } from '../defaults';
import { isModelList, normalizeModelList } from '../models';
import { PROVIDER_IDS, PROVIDERS } from '../providers';
import { BodyFailure, closeBody, parseBody, readBoundedText } from '../transport/body';
import { credentialProblem } from '../transport/credentialChecks';
import { Deadline, EXPIRED } from '../transport/deadline';
import {
	formatDuration,
	isRedirect,
	providerErrorInfo,
	redirectHint,
	unexpectedResponse,
} from '../transport/errors';
import { createRedactor } from '../transport/redact';
import { isStream } from '../transport/send';
import { joinUrl } from '../transport/url';

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
	const problem = credentialProblem(data);
	if (problem !== undefined)
		return { status: 'Error', message: `${problem.field} ${problem.problem}` };

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
	const deadline = new Deadline(CREDENTIAL_TEST_POLICY.timeoutMs);
	const timedOut = {
		status: 'Error' as const,
		message: `The request to ${url} timed out after ${formatDuration(deadline.timeoutMs)}`,
	};
	let response: { statusCode: number; body: unknown; headers?: IDataObject };
	try {
		// Credential tests only get the legacy `request` helper from n8n. It takes no abort
		// signal, so the body is read as a stream, under the same bounds as every request.
		// eslint-disable-next-line @n8n/community-nodes/no-deprecated-workflow-functions
		const sending = this.helpers.request({
			method: 'GET',
			uri: url,
			headers: authenticated.headers as IDataObject,
			json: true,
			timeout: CREDENTIAL_TEST_POLICY.timeoutMs,
			resolveWithFullResponse: true,
			simple: false,
			followRedirect: false,
			useStream: true,
		}) as Promise<typeof response>;
		const raced = await deadline.race(sending);
		if (raced === EXPIRED) {
			void sending.then(
				(late) => closeBody(late.body),
				() => {},
			);
			return timedOut;
		}
		response = raced;
		if (isStream(response.body))
			response.body = parseBody(
				await readBoundedText(response.body, deadline, CREDENTIAL_TEST_POLICY.maxBytes),
			);
	} catch (error) {
		if (error instanceof BodyFailure && !deadline.expired)
			return { status: 'Error', message: `${url}: ${error.message}` };
		if (deadline.expired) return timedOut;
		return {
			status: 'Error',
			message: redact.text(`Could not reach ${url}: ${(error as Error).message}`),
		};
	} finally {
		deadline.clear();
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
