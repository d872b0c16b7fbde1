/** Failed requests as NodeApiErrors: the provider's own message, the status, and a hint. */
import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { Provider } from '../providers';
import { TOO_LARGE } from './body';
import { classifyHttpFailure } from './failureClass';
import type { OfferedOptions } from './hints';
import { formatDuration, httpHint, timeoutHint } from './hints';
import { MAX_TEXT, providerErrorInfo, shortenBody } from './providerError';
import { STREAM_FAILURES } from './streamFailures';

export { formatDuration, redirectHint } from './hints';
export { providerErrorInfo, shortenBody } from './providerError';
export type { ProviderErrorInfo } from './providerError';

export const isRedirect = (status: number) => status >= 300 && status < 400;

export interface HttpFailure {
	status: number;
	body: unknown;
	url: string;
	attempts: number;
	itemIndex?: number;
	/** Set when the server asked to wait longer than the node waits, so it was not retried. */
	askedToWaitMs?: number;
	/** The Location header of a redirect. */
	location?: string;
	offers?: OfferedOptions;
}

/** A failed HTTP answer as a NodeApiError with the provider's own message and status. */
export function httpApiError(node: INode, provider: Provider, failure: HttpFailure): NodeApiError {
	const info = providerErrorInfo(failure.body);
	const detail =
		info?.message ??
		(isRedirect(failure.status)
			? 'redirect not followed'
			: `HTTP ${failure.status} with an empty body`);
	const attempts = failure.attempts > 1 ? ` (after ${failure.attempts} attempts)` : '';
	const wait =
		failure.askedToWaitMs === undefined
			? ''
			: ` (the server asked to wait ${formatDuration(failure.askedToWaitMs)})`;
	const errorObject: IDataObject = { message: detail, httpCode: String(failure.status) };
	if (info?.type) errorObject.type = info.type;
	if (info?.code) errorObject.errorCode = info.code;
	return new NodeApiError(node, errorObject as JsonObject, {
		message: `${provider.displayName} API error ${failure.status}: ${detail}${attempts}${wait}`,
		description: httpHint({
			failureClass: classifyHttpFailure(failure.status, failure.body),
			info,
			provider,
			url: failure.url,
			location: failure.location,
			askedToWaitMs: failure.askedToWaitMs,
			offers: failure.offers,
		}),
		httpCode: String(failure.status),
		itemIndex: failure.itemIndex,
	});
}

/** What a user can read of an unexpected body: the provider's message, an HTML title, or the start of it. */
export function describeBody(body: unknown): string {
	const info = providerErrorInfo(body);
	const shown =
		info?.message ??
		(typeof body === 'string' ? shortenBody(body) : JSON.stringify(body)?.slice(0, MAX_TEXT));
	return shown || 'empty body';
}

/** A 2xx answer that is not what the endpoint promises: HTML, an error object, no choices. */
export function unexpectedResponse(provider: Provider, what: string, body: unknown, url: string) {
	return {
		message: `${provider.displayName} answered with status 200 but not with ${what}: ${describeBody(body)}`,
		description: `Check the Base URL and API Version of the credential: they must point at an OpenAI-compatible API (the request went to ${url}).`,
	};
}

export function unexpectedResponseError(
	node: INode,
	provider: Provider,
	what: string,
	failure: { body: unknown; url: string; itemIndex?: number },
): NodeApiError {
	const { message, description } = unexpectedResponse(provider, what, failure.body, failure.url);
	return new NodeApiError(node, { message: describeBody(failure.body) } as JsonObject, {
		message,
		description,
		httpCode: '200',
		itemIndex: failure.itemIndex,
	});
}

export interface NetworkFailure {
	code?: string;
	message: string;
	url: string;
	attempts: number;
	timeoutMs: number;
	offers?: OfferedOptions;
	itemIndex?: number;
}

const NETWORK_FAILURES: Record<string, string> = {
	ECONNRESET: 'the connection was reset',
	ECONNREFUSED: 'the connection was refused',
	ENOTFOUND: 'the host name was not found',
	EAI_AGAIN: 'the host name could not be resolved',
	EHOSTUNREACH: 'the host is unreachable',
	EPIPE: 'the connection was closed while sending',
	CERT_HAS_EXPIRED: 'the server certificate has expired',
};

/**
 * Built from scratch so no request options (and so no key) can ride along in the
 * error. The socket code goes into the description only: n8n replaces a message
 * naming a code like ECONNRESET with a generic text that would hide the provider.
 */
export function networkApiError(
	node: INode,
	provider: Provider,
	failure: NetworkFailure,
): NodeApiError {
	const streamFailure = STREAM_FAILURES[failure.code ?? ''];
	if (streamFailure) {
		return new NodeApiError(node, { message: 'stream failure' } as JsonObject, {
			message: `${provider.displayName} ${streamFailure.what}: ${failure.message}`,
			description: streamFailure.hint(failure.offers),
			itemIndex: failure.itemIndex,
		});
	}
	if (failure.code === TOO_LARGE) {
		const option = failure.offers?.maxResponseSize;
		const raise = option ? ` If answers this large are expected, raise "${option}".` : '';
		return new NodeApiError(node, { message: 'answer too large' } as JsonObject, {
			message: `${provider.displayName} answer was too large: ${failure.message}`,
			description: `The node stopped reading there, so that a broken server or proxy cannot exhaust n8n's memory; it did not retry.${raise} Otherwise check the credential's Base URL (the request went to ${failure.url}).`,
			itemIndex: failure.itemIndex,
		});
	}
	const timedOut =
		failure.code === 'ECONNABORTED' ||
		failure.code === 'ETIMEDOUT' ||
		/timeout/i.test(failure.message);
	const attempts = failure.attempts > 1 ? ` (after ${failure.attempts} attempts)` : '';
	const what = (failure.code && NETWORK_FAILURES[failure.code]) ?? 'a network error';
	const message = timedOut
		? `${provider.displayName} request timed out after ${formatDuration(failure.timeoutMs)}${attempts}`
		: `${provider.displayName} request failed: ${what}${attempts}`;
	const cause = failure.code ? `${failure.code}: ${failure.message}` : failure.message;
	const description = timedOut
		? timeoutHint(failure.timeoutMs, failure.offers)
		: `Could not reach ${failure.url} (${cause}). Check the credential's Base URL and that the server is up.`;
	return new NodeApiError(node, { message: 'network failure' } as JsonObject, {
		message,
		description,
		itemIndex: failure.itemIndex,
	});
}
