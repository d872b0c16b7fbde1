/**
 * A programmable HTTP server on 127.0.0.1 (random port) that records every request and
 * answers through a per-test handler. The default handler is a small OpenAI-compatible API.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
	method: string;
	/** Path and query as received, e.g. `/v1/chat/completions`. */
	url: string;
	path: string;
	headers: IncomingHttpHeaders;
	rawBody: string;
	/** The parsed JSON body; undefined when empty or not JSON. */
	body: unknown;
	/** Date.now() when the request head arrived. */
	arrivedAt: number;
	/** Set when the client went away before the answer was sent (cancel, timeout). */
	aborted: boolean;
}

export interface Reply {
	status?: number;
	headers?: Record<string, string | string[]>;
	/** An object is sent as JSON; a string or Buffer as is. */
	body?: unknown;
	/** Wait this long before answering. */
	delayMs?: number;
	/** Never answer (the request stays open until the client gives up or the server closes). */
	hang?: boolean;
	/** Destroy the socket instead of answering (the client sees ECONNRESET / socket hang up). */
	destroy?: boolean;
}

export type Handler = (request: RecordedRequest) => Reply | Promise<Reply>;

export interface FakeServerOptions {
	/** The key the default handler accepts as `Authorization: Bearer <key>`. */
	apiKey?: string;
	/** Model ids the default handler lists. */
	models?: string[];
}

export interface FakeServer {
	/** http://127.0.0.1:PORT (no trailing slash). */
	url: string;
	port: number;
	requests: RecordedRequest[];
	/** Answer with this handler from now on (until reset()). */
	setHandler(handler: Handler): void;
	/** The OpenAI-compatible default handler, for a custom handler to fall back on. */
	defaultHandler: Handler;
	/** Forget recorded requests and go back to the default handler. */
	reset(): void;
	close(): Promise<void>;
}

export const DEFAULT_API_KEY = 'sk-test-key';
export const DEFAULT_MODELS = ['gpt-4o-mini', 'gpt-4o', 'text-embedding-3-small'];

/** OpenAI's 401 body for a wrong key, word for word. */
export function openAiInvalidKeyBody(key: string) {
	const shown = key.length > 8 ? `${key.slice(0, 3)}*****${key.slice(-4)}` : key;
	return {
		error: {
			message: `Incorrect API key provided: ${shown}. You can find your API key at https://platform.openai.com/account/api-keys.`,
			type: 'invalid_request_error',
			param: null,
			code: 'invalid_api_key',
		},
	};
}

/** A valid chat completion whose reply echoes the last user message. */
export function chatCompletion(requestBody: unknown, content?: string) {
	const body = (requestBody ?? {}) as { model?: string; messages?: Array<{ role?: string; content?: unknown }> };
	const lastUser = [...(body.messages ?? [])].reverse().find((message) => message.role === 'user');
	const text = content ?? `Echo: ${typeof lastUser?.content === 'string' ? lastUser.content : JSON.stringify(lastUser?.content ?? '')}`;
	return {
		id: 'chatcmpl-test',
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model: body.model ?? 'gpt-4o-mini',
		choices: [
			{
				index: 0,
				message: { role: 'assistant', content: text, refusal: null },
				logprobs: null,
				finish_reason: 'stop',
			},
		],
		usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
		system_fingerprint: 'fp_test',
	};
}

export function modelList(ids: string[]) {
	return {
		object: 'list',
		data: ids.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'test' })),
	};
}

export async function startServer(options: FakeServerOptions = {}): Promise<FakeServer> {
	const apiKey = options.apiKey ?? DEFAULT_API_KEY;
	const models = options.models ?? DEFAULT_MODELS;

	const defaultHandler: Handler = (request) => {
		const authorization = request.headers.authorization ?? '';
		if (authorization !== `Bearer ${apiKey}`) {
			return { status: 401, body: openAiInvalidKeyBody(authorization.replace(/^Bearer\s*/, '')) };
		}
		if (request.method === 'GET' && request.path.endsWith('/models')) {
			return { status: 200, body: modelList(models) };
		}
		if (request.method === 'POST' && request.path.endsWith('/chat/completions')) {
			return { status: 200, body: chatCompletion(request.body) };
		}
		return {
			status: 404,
			body: { error: { message: `Unknown path ${request.path}`, type: 'invalid_request_error', param: null, code: null } },
		};
	};

	let handler = defaultHandler;
	const requests: RecordedRequest[] = [];
	const sockets = new Set<Socket>();

	const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
		const arrivedAt = Date.now();
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const rawBody = Buffer.concat(chunks).toString('utf8');
			let body: unknown;
			try {
				body = rawBody === '' ? undefined : JSON.parse(rawBody);
			} catch {
				body = undefined;
			}
			const url = req.url ?? '/';
			const recorded: RecordedRequest = {
				method: req.method ?? '',
				url,
				path: url.split('?')[0],
				headers: req.headers,
				rawBody,
				body,
				arrivedAt,
				aborted: false,
			};
			requests.push(recorded);
			// 'close' on the response before it finished means the client went away.
			res.on('close', () => {
				if (!res.writableFinished) recorded.aborted = true;
			});
			void answer(recorded, res);
		});
	});

	async function answer(request: RecordedRequest, res: ServerResponse) {
		let reply: Reply;
		try {
			reply = await handler(request);
		} catch (error) {
			reply = { status: 500, body: { error: { message: `test handler failed: ${(error as Error).message}` } } };
		}
		if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
		if (res.destroyed) return;
		if (reply.destroy) {
			res.socket?.destroy();
			return;
		}
		if (reply.hang) return;
		const isRaw = typeof reply.body === 'string' || Buffer.isBuffer(reply.body);
		const payload = reply.body === undefined ? '' : isRaw ? (reply.body as string | Buffer) : JSON.stringify(reply.body);
		const headers: Record<string, string | string[]> = {
			...(reply.body !== undefined && !isRaw && { 'content-type': 'application/json' }),
			...reply.headers,
		};
		res.writeHead(reply.status ?? 200, headers);
		res.end(payload);
	}

	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;

	return {
		url: `http://127.0.0.1:${port}`,
		port,
		requests,
		defaultHandler,
		setHandler(next) {
			handler = next;
		},
		reset() {
			requests.length = 0;
			handler = defaultHandler;
		},
		async close() {
			// Hanging requests and keep-alive sockets would keep close() waiting: destroy them.
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
