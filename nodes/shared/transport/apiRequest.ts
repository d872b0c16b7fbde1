/**
 * The retry loop: the one way both nodes call a provider. Each attempt waits for the
 * rate-limit window and is sent by send.ts; retryPolicy.ts says what is retried and how
 * long to wait, errors.ts turns the last failure into a NodeApiError with a hint.
 */
import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { MAX_SERVER_WAIT_MS } from '../defaults';
import type { RateLimit } from '../rateLimit';
import type { Endpoint, RequestContext } from './endpoint';
import type { OfferedOptions } from './hints';
import { httpApiError, networkApiError, unexpectedResponseError } from './errors';
import { markFailure } from './failureClass';
import {
	backoffDelayMs,
	isRetryableNetworkCode,
	isRetryableStatus,
	serverWaitMs,
} from './retryPolicy';
import type { StreamReader } from './send';
import { sendOnce } from './send';
import { joinUrl } from './url';

export interface RequestPolicy {
	timeoutMs: number;
	maxRetries: number;
	/** The most one answer may weigh, decompressed. */
	maxBytes: number;
	/**
	 * The options of the node that sends the request: a hint names only these
	 * (the model list has none, LLM Chat Model has no Max Concurrent Requests).
	 */
	offers?: OfferedOptions;
	rateLimit?: RateLimit;
	itemIndex?: number;
	/** What a 2xx body must be; anything else is an error, never an empty answer. */
	expect?: { what: string; check: (body: unknown) => boolean };
	/** Set when n8n streams the reply: the body is read from Server-Sent Events. */
	readStream?: StreamReader;
	/** Sent with the request besides the credential's (the content type of a text body). */
	headers?: IDataObject;
	/** A 2xx body is returned as its text (JSON Lines), not parsed. */
	asText?: boolean;
	/** Sees the (redacted) headers of the answer returned: e.g. which router provider answered. */
	onResponse?: (headers: IDataObject) => void;
}

/**
 * One API call with retries. Retries 408/409/429/5xx and network failures with
 * backoff (or the server's Retry-After), never a 4xx that a retry cannot cure.
 */
export async function apiRequest(
	this: RequestContext,
	endpoint: Endpoint,
	method: IHttpRequestMethods,
	path: string,
	body: IDataObject | string | undefined,
	policy: RequestPolicy,
): Promise<unknown> {
	const { provider } = endpoint;
	const url = joinUrl(endpoint.baseUrl, endpoint.apiVersion, path);
	const signal = 'getExecutionCancelSignal' in this ? this.getExecutionCancelSignal() : undefined;

	for (let attempt = 1; ; attempt++) {
		await policy.rateLimit?.acquire(signal);
		const result = await sendOnce(
			this,
			endpoint,
			{
				method,
				url,
				body,
				headers: policy.headers,
				asText: policy.asText,
				timeoutMs: policy.timeoutMs,
				maxBytes: policy.maxBytes,
			},
			policy.readStream,
		);
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
				policy.onResponse?.(result.headers);
				return result.body;
			}
			const retryable = isRetryableStatus(result.status, result.body);
			const waitMs = retryable ? serverWaitMs(result.headers, result.body) : undefined;
			// A server asking for longer than the node waits is not retried early: that only hammers it.
			const tooLong = waitMs !== undefined && waitMs > MAX_SERVER_WAIT_MS;
			if (lastAttempt || !retryable || tooLong) {
				throw markFailure(
					httpApiError(this.getNode(), provider, {
						status: result.status,
						body: result.body,
						url,
						attempts: attempt,
						itemIndex: policy.itemIndex,
						location:
							typeof result.headers.location === 'string' ? result.headers.location : undefined,
						askedToWaitMs: tooLong ? waitMs : undefined,
						offers: policy.offers,
					}),
					{ status: result.status, body: result.body },
				);
			}
			delayMs = waitMs ?? backoffDelayMs(attempt - 1);
		} else {
			if (lastAttempt || !isRetryableNetworkCode(result.code)) {
				throw markFailure(
					networkApiError(this.getNode(), provider, {
						...result,
						url,
						attempts: attempt,
						timeoutMs: policy.timeoutMs,
						offers: policy.offers,
						itemIndex: policy.itemIndex,
					}),
					{ code: result.code, message: result.message },
				);
			}
			delayMs = backoffDelayMs(attempt - 1);
		}
		await sleep(delayMs, signal);
	}
}
