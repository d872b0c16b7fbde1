import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	ISupplyDataFunctions,
} from 'n8n-workflow';

import type { Endpoint } from './endpoint';

/** Whoever sends: a node's execute, the model picker or the Test button, or a Chat Model sub-node. */
export type RequestContext = IExecuteFunctions | ILoadOptionsFunctions | ISupplyDataFunctions;

export type Attempt =
	| { kind: 'response'; status: number; body: unknown; headers: IDataObject }
	| { kind: 'network'; code?: string; message: string };

/**
 * Reads a 2xx body that arrives as a stream (when n8n streams the reply) into the
 * same value a plain request returns. It throws when the stream fails after text
 * was relayed, which no retry may repeat; a failure before that is returned as a
 * network failure, retried like any other.
 */
export type StreamReader = (
	body: AsyncIterable<Uint8Array>,
	timeoutMs: number,
) => Promise<{ body: unknown } | { failure: { code?: string; message: string } }>;

/**
 * The only place that sends: the credential's authenticate adds the key and custom
 * headers, and n8n ties the request to the execution's cancel signal. What comes
 * back is redacted here, before any error, output or log can be built from it.
 */
export async function sendOnce(
	ctx: RequestContext,
	endpoint: Endpoint,
	request: { method: IHttpRequestMethods; url: string; body?: IDataObject; timeoutMs: number },
	readStream?: StreamReader,
): Promise<Attempt> {
	let response: IN8nHttpFullResponse;
	try {
		response = (await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			endpoint.provider.credentialType,
			{
				method: request.method,
				url: request.url,
				body: request.body,
				json: true,
				timeout: request.timeoutMs,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				// A chat API does not redirect; following one would turn a POST into a GET and,
				// across origins, hand the API key to another host. It is reported instead.
				disableFollowRedirect: true,
				...(readStream ? { encoding: 'stream' as const } : {}),
			},
			{ credentialsDecrypted: endpoint.credentials },
		)) as IN8nHttpFullResponse;
	} catch (error) {
		return networkAttempt(endpoint, networkErrorCode(error));
	}
	const headers = endpoint.redact.deep((response.headers ?? {}) as IDataObject);
	let body: unknown = response.body;
	if (readStream && isStream(body)) {
		const ok = response.statusCode >= 200 && response.statusCode < 300;
		if (ok && isEventStream(headers)) {
			const read = await readStream(body, request.timeoutMs);
			if ('failure' in read) return networkAttempt(endpoint, read.failure);
			body = read.body;
		} else {
			// An error, or a server that ignored `stream: true`: the whole body, parsed like a plain reply.
			body = parseText(await readAll(body));
		}
	}
	return {
		kind: 'response',
		status: response.statusCode,
		body: endpoint.redact.deep(body),
		headers,
	};
}

function networkAttempt(endpoint: Endpoint, failure: { code?: string; message: string }): Attempt {
	return { kind: 'network', code: failure.code, message: endpoint.redact.text(failure.message) };
}

/** n8n-core wraps transport errors; the socket's code sits somewhere in the cause chain. */
export function networkErrorCode(error: unknown): { code?: string; message: string } {
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

function isStream(body: unknown): body is AsyncIterable<Uint8Array> {
	return typeof (body as AsyncIterable<Uint8Array>)?.[Symbol.asyncIterator] === 'function';
}

function isEventStream(headers: IDataObject): boolean {
	return String(headers['content-type'] ?? '').includes('text/event-stream');
}

async function readAll(body: AsyncIterable<Uint8Array>): Promise<string> {
	const decoder = new TextDecoder();
	let text = '';
	for await (const chunk of body) text += decoder.decode(chunk, { stream: true });
	return text + decoder.decode();
}

function parseText(text: string): unknown {
	try {
		return text.trim() === '' ? '' : JSON.parse(text);
	} catch {
		return text;
	}
}
