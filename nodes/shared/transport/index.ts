import type {
	ICredentialsDecrypted,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import type { Provider } from '../providers';
import type { RateLimit } from '../rateLimit';
import { rateLimitKey } from '../rateLimit';
import { httpApiError, networkApiError, unexpectedResponseError } from './errors';
import type { Redactor } from './redact';
import { createRedactor } from './redact';
import { backoffDelayMs, isRetryableNetworkCode, isRetryableStatus, retryAfterMs } from './retry';
import { baseUrlProblem, joinUrl } from './url';

type Context = IExecuteFunctions | ILoadOptionsFunctions;

export interface Endpoint {
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

export interface RequestPolicy {
	timeoutMs: number;
	maxRetries: number;
	rateLimit?: RateLimit;
	itemIndex?: number;
	/** What a 2xx body must be; anything else is an error, never an empty answer. */
	expect?: { what: string; check: (body: unknown) => boolean };
}

/** Reads where the credential points, once per execution; a base URL that is not http(s) stops here. */
export async function resolveEndpoint(this: Context, provider: Provider): Promise<Endpoint> {
	const credentials = await this.getCredentials(provider.credentialType);
	const problem = baseUrlProblem(credentials.baseUrl);
	if (problem !== undefined) {
		throw new NodeOperationError(
			this.getNode(),
			`The Base URL of the ${provider.displayName} credential ${problem}`,
			{
				description:
					'Open the credential and enter the API address, for example https://api.openai.com',
			},
		);
	}
	const id = this.getNode().credentials?.[provider.credentialType]?.id ?? '';
	const baseUrl = String(credentials.baseUrl);
	const apiVersion = typeof credentials.apiVersion === 'string' ? credentials.apiVersion : '';
	return {
		provider,
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

type Attempt =
	| { kind: 'response'; status: number; body: unknown; headers: IDataObject }
	| { kind: 'network'; code?: string; message: string };

/**
 * The only place that sends: the credential's authenticate adds the key and custom
 * headers, and n8n ties the request to the execution's cancel signal. What comes
 * back is redacted here, before any error, output or log can be built from it.
 */
async function sendOnce(
	ctx: Context,
	endpoint: Endpoint,
	method: IHttpRequestMethods,
	url: string,
	body: IDataObject | undefined,
	timeoutMs: number,
): Promise<Attempt> {
	try {
		const response = (await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			endpoint.provider.credentialType,
			{
				method,
				url,
				body,
				json: true,
				timeout: timeoutMs,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				// A chat API does not redirect; following one would turn a POST into a GET and,
				// across origins, hand the API key to another host. It is reported instead.
				disableFollowRedirect: true,
			},
			{ credentialsDecrypted: endpoint.credentials },
		)) as IN8nHttpFullResponse;
		return {
			kind: 'response',
			status: response.statusCode,
			body: endpoint.redact.deep(response.body),
			headers: endpoint.redact.deep((response.headers ?? {}) as IDataObject),
		};
	} catch (error) {
		const { code, message } = networkErrorCode(error);
		return { kind: 'network', code, message: endpoint.redact.text(message) };
	}
}

/** n8n-core wraps transport errors; the socket's code sits somewhere in the cause chain. */
function networkErrorCode(error: unknown): { code?: string; message: string } {
	let current = error as { code?: unknown; cause?: unknown; message?: unknown } | undefined;
	let message = current?.message === undefined ? String(error) : String(current.message);
	for (let depth = 0; current && depth < 5; depth++) {
		if (typeof current.code === 'string' && /^[A-Z_]+$/.test(current.code)) {
			if (typeof current.message === 'string') message = current.message;
			return { code: current.code, message };
		}
		current = current.cause as typeof current;
	}
	return { message };
}

/**
 * One API call with retries. Retries 408/409/429/5xx and network failures with
 * backoff (or the server's Retry-After), never a 4xx that a retry cannot cure.
 */
export async function apiRequest(
	this: Context,
	endpoint: Endpoint,
	method: IHttpRequestMethods,
	path: string,
	body: IDataObject | undefined,
	policy: RequestPolicy,
): Promise<unknown> {
	const { provider } = endpoint;
	const url = joinUrl(endpoint.baseUrl, endpoint.apiVersion, path);
	const signal = 'getExecutionCancelSignal' in this ? this.getExecutionCancelSignal() : undefined;

	for (let attempt = 1; ; attempt++) {
		await policy.rateLimit?.acquire(signal);
		const result = await sendOnce(this, endpoint, method, url, body, policy.timeoutMs);
		if (signal?.aborted) {
			throw new NodeOperationError(this.getNode(), 'The execution was cancelled', {
				itemIndex: policy.itemIndex,
			});
		}
		const lastAttempt = attempt > policy.maxRetries;
		let delayMs: number;
		if (result.kind === 'response') {
			if (result.status >= 200 && result.status < 300) {
				if (policy.expect && !policy.expect.check(result.body)) {
					throw unexpectedResponseError(this.getNode(), provider, policy.expect.what, {
						body: result.body,
						url,
						itemIndex: policy.itemIndex,
					});
				}
				return result.body;
			}
			if (lastAttempt || !isRetryableStatus(result.status, result.body)) {
				throw httpApiError(this.getNode(), provider, {
					status: result.status,
					body: result.body,
					url,
					attempts: attempt,
					itemIndex: policy.itemIndex,
					location:
						typeof result.headers.location === 'string' ? result.headers.location : undefined,
				});
			}
			delayMs = retryAfterMs(result.headers) ?? backoffDelayMs(attempt - 1);
		} else {
			if (lastAttempt || !isRetryableNetworkCode(result.code)) {
				throw networkApiError(this.getNode(), provider, {
					...result,
					url,
					attempts: attempt,
					timeoutMs: policy.timeoutMs,
					itemIndex: policy.itemIndex,
				});
			}
			delayMs = backoffDelayMs(attempt - 1);
		}
		await sleep(delayMs, signal);
	}
}
