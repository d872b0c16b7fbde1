import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { MAX_SERVER_WAIT_MS } from '../defaults';
import { isObject } from '../json';
import type { Provider } from '../providers';
import { TOO_LARGE } from './body';
import { STREAM_FAILURES } from './streamFailures';

export interface ProviderErrorInfo {
	message: string;
	type?: string;
	code?: string;
}

const MAX_TEXT = 300;

/** Shortens a text or HTML body to something a user can read in the error panel. */
export function shortenBody(text: string): string {
	const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1];
	const plain = (title ?? text)
		.replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
		.replace(/<[^>]+>/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
	return plain.length > MAX_TEXT ? `${plain.slice(0, MAX_TEXT)}…` : plain;
}

/**
 * Finds the provider's own message in an error body: OpenAI/Together
 * `{error: {message, type, code}}`, TGI `{error, error_type}`, `{message}` or
 * `{detail}` from proxies, or a plain-text/HTML body.
 */
export function providerErrorInfo(body: unknown): ProviderErrorInfo | undefined {
	if (typeof body === 'string') {
		const text = body.trim();
		if (text === '') return undefined;
		try {
			return providerErrorInfo(JSON.parse(text));
		} catch {
			return { message: shortenBody(text) };
		}
	}
	if (!isObject(body)) return undefined;
	const { error } = body;
	if (isObject(error) && typeof error.message === 'string') {
		return {
			message: error.message,
			type: typeof error.type === 'string' ? error.type : undefined,
			code: typeof error.code === 'string' ? error.code : undefined,
		};
	}
	if (typeof error === 'string') {
		return {
			message: error,
			type: typeof body.error_type === 'string' ? body.error_type : undefined,
		};
	}
	for (const key of ['message', 'detail']) {
		const value = body[key];
		if (typeof value === 'string') return { message: value };
		if (value !== undefined) return { message: JSON.stringify(value).slice(0, MAX_TEXT) };
	}
	return undefined;
}

export const isRedirect = (status: number) => status >= 300 && status < 400;

/** The node never follows redirects; the error says where the server pointed instead. */
export function redirectHint(location: string | undefined): string {
	const target = location ? ` The server points to ${location}.` : '';
	return `The server answered with a redirect, which the node does not follow: it would resend the request, API key included, to another address. Set the credential's Base URL to the final address.${target}`;
}

/** What providers say when the model named does not exist (OpenAI and the router answer 400). */
const UNKNOWN_MODEL =
	/model\b[^.]*?(not found|does not exist|not exist|unknown|not supported|not available)|(invalid|unknown) model|model_not_found/i;
const OUT_OF_CREDIT = /credit|billing|quota|payment|balance/i;

function hintFor(
	status: number,
	info: ProviderErrorInfo | undefined,
	provider: Provider,
	failure: HttpFailure,
) {
	const { url } = failure;
	const said = `${info?.message ?? ''} ${info?.code ?? ''}`;
	if (isRedirect(status)) return redirectHint(failure.location);
	if (failure.askedToWaitMs !== undefined) {
		return `The server asked to wait ${formatDuration(failure.askedToWaitMs)} before trying again, longer than the node waits between attempts (${formatDuration(MAX_SERVER_WAIT_MS)}), so it did not retry early. Run the item again later, or lower "Max Concurrent Requests" or "Requests per Minute".`;
	}
	if (info?.code === 'insufficient_quota' || info?.type === 'insufficient_quota') {
		return `The ${provider.displayName} account has no quota left: check its plan and billing. Retrying cannot help, so the node did not retry.`;
	}
	if (status === 402 || (status === 429 && OUT_OF_CREDIT.test(said))) {
		return `The ${provider.displayName} account is out of credits or needs a payment method: check its billing page. Retrying cannot help until then.`;
	}
	if (status === 401 || status === 403) {
		return `Check the API key in the ${provider.displayName} credential (and that it may use this model).`;
	}
	if (status === 404 || ((status === 400 || status === 422) && UNKNOWN_MODEL.test(said))) {
		return `Check the model ID (pick it from the list to be sure), and the credential's Base URL and API Version: the request went to ${url}.`;
	}
	if (status === 400 || status === 422) {
		return `${provider.displayName} refused the request as it was sent: check the option the message names (model, response format, tools, token limit, stop sequences) for this model.`;
	}
	if (status === 429) {
		return 'The provider kept rate-limiting. Lower "Max Concurrent Requests", set "Requests per Minute", or raise "Max Retries".';
	}
	if (status >= 500)
		return 'The provider failed to answer. It is usually temporary: try again later or raise "Max Retries".';
	return undefined;
}

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
		description: hintFor(failure.status, info, provider, failure),
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
	maxBytesOption?: string;
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
			description: streamFailure.hint,
			itemIndex: failure.itemIndex,
		});
	}
	if (failure.code === TOO_LARGE) {
		const raise = failure.maxBytesOption
			? ` If answers this large are expected, raise "${failure.maxBytesOption}".`
			: '';
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
		? 'No answer arrived within the Timeout option. Long generations can take minutes: raise "Timeout" if needed.'
		: `Could not reach ${failure.url} (${cause}). Check the credential's Base URL and that the server is up.`;
	return new NodeApiError(node, { message: 'network failure' } as JsonObject, {
		message,
		description,
		itemIndex: failure.itemIndex,
	});
}

export function formatDuration(ms: number): string {
	return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
