import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import { choice, completion, INCORRECT_KEY, modelList, streamEvents } from './fixtures.ts';

export { completion } from './fixtures.ts';

const wait = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

/** What the server does with one request. */
export type Fault =
	| {
			kind: 'reply';
			status: number;
			body?: unknown;
			headers?: Record<string, string>;
			delayMs?: number;
	  }
	| {
			kind: 'stream'; // a text/event-stream answer, written piece by piece
			pieces: string[];
			firstDelayMs?: number; // before the first piece
			delayMs?: number; // between pieces
			then?: 'end' | 'cut' | 'hang'; // after the last piece: finish, destroy the socket, or stall
			onPiece?: (index: number) => void; // after each piece is written
	  }
	| { kind: 'reset' } // destroys the socket before answering
	| { kind: 'hang' }; // never answers

export interface Seen {
	method: string;
	url: string;
	headers: IncomingMessage['headers'];
	body: any;
	at: number;
}

/** The content of a chat request's last message: the question the item asked. */
export const questionOf = (request: Seen): string =>
	String(request.body?.messages?.at(-1)?.content ?? '');

/** How the server answers when a test does not decide otherwise: like a provider would. */
export interface ProviderBehaviour {
	/** Requests without `Authorization: Bearer <key>` get OpenAI's 401. */
	key?: string;
	/** The models `GET …/models` lists. */
	models?: string[];
	ownedBy?: string;
	/** How long a chat reply takes (by its question); a stream takes it to its first byte. */
	latencyMs?: number | ((question: string) => number);
	/** A stream's events come this far apart. */
	gapMs?: number;
	/** A plain reply waits as long as a stream would take (the benchmark compares the two). */
	plainWaitsLikeStream?: boolean;
	/** Called when a stream's first text is written (the benchmark measures from there). */
	onFirstByte?: (question: string) => void;
	/** false: keep no list of requests (the benchmark sends tens of thousands). */
	record?: boolean;
	/**
	 * Answer like a model in an agent: a request that offers tools gets a call of the first
	 * one (each argument "Paris"), and once a tool's result is in, the text
	 * `The tool answered: <result>`.
	 */
	callsTools?: boolean;
}

/**
 * The one fake OpenAI-compatible server of the tests, the e2e suites and the benchmark,
 * on 127.0.0.1. Each request is answered by `decide(request, n)` (n counts requests from
 * 1): by default as a provider would (see ProviderBehaviour), echoing the last message
 * (`echo: <content>`, as JSON with a response format, streamed with `stream: true`);
 * a test sets `decide`, `reply` or `sequence` to inject faults.
 */
export class FaultServer {
	readonly seen: Seen[] = [];

	decide: (request: Seen, n: number) => Fault = (request) => this.asProvider(request);

	/** The chat requests seen, without the model-list requests LLM Chat sends for prices. */
	get chats(): Seen[] {
		return this.seen.filter((request) => !request.url.endsWith('/models'));
	}

	private readonly behaviour: ProviderBehaviour;

	// No parameter property: e2e and bench load this file with Node's type stripping.
	constructor(behaviour: ProviderBehaviour = {}) {
		this.behaviour = behaviour;
	}

	/** Every request gets this answer. */
	reply(status: number, body?: unknown, headers?: Record<string, string>): void {
		this.decide = () => ({ kind: 'reply', status, body, headers });
	}

	/** The n-th request gets the n-th fault; the last one repeats. */
	sequence(...faults: Fault[]): void {
		this.decide = (_request, n) => faults[Math.min(n, faults.length) - 1];
	}

	asProvider(request: Seen): Fault {
		const { key, models = ['test-model'], ownedBy, latencyMs = 0, gapMs = 0 } = this.behaviour;
		if (key !== undefined && request.headers.authorization !== `Bearer ${key}`)
			return { kind: 'reply', status: 401, body: INCORRECT_KEY };
		if (request.method === 'GET' && request.url.endsWith('/models'))
			return { kind: 'reply', status: 200, body: modelList(models, ownedBy) };
		const body = request.body ?? {};
		const question = questionOf(request);
		if (question === 'FAIL') {
			const error = {
				message: 'This request was refused by the fake provider',
				type: 'invalid_request_error',
			};
			return { kind: 'reply', status: 400, body: { error } };
		}
		const reply =
			this.behaviour.callsTools && Array.isArray(body.tools)
				? agentReply(body)
				: completion(
						body.response_format
							? JSON.stringify({ answer: `echo: ${question}` })
							: `echo: ${question}`,
						{ model: body.model ?? 'test-model' },
					);
		const text = String((reply.choices[0].message as { content?: unknown }).content ?? '');
		const latency = typeof latencyMs === 'function' ? latencyMs(question) : latencyMs;
		const pieces = streamEvents(reply, Math.max(1, Math.ceil(text.length / 5)));
		if (body.stream === true) {
			// Piece 0 only says the role; piece 1 carries the first text.
			const onPiece = (index: number) => index === 1 && this.behaviour.onFirstByte?.(question);
			return { kind: 'stream', pieces, firstDelayMs: latency, delayMs: gapMs, onPiece };
		}
		// For the benchmark, as long as the stream would take: it waits before every piece but
		// the first and [DONE].
		const streamMs = this.behaviour.plainWaitsLikeStream ? (pieces.length - 2) * gapMs : 0;
		return { kind: 'reply', status: 200, body: reply, delayMs: latency + streamMs };
	}

	private server: Server | undefined;
	private readonly sockets = new Set<Socket>();

	get url(): string {
		return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
	}

	async start(): Promise<this> {
		this.server = createServer((req, res) => void this.handle(req, res));
		this.server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		return this;
	}

	reset(): void {
		this.seen.length = 0;
		this.decide = (request) => this.asProvider(request);
	}

	/** Connections the client still holds open. */
	get openConnections(): number {
		return this.sockets.size;
	}

	/** Resolves once every client connection is closed, or after `limitMs`. */
	async waitForNoConnections(limitMs = 5000): Promise<void> {
		for (const until = Date.now() + limitMs; this.sockets.size > 0 && Date.now() < until; ) {
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
	}

	async stop(): Promise<void> {
		for (const socket of this.sockets) socket.destroy();
		await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
	}

	private async handle(req: IncomingMessage, res: ServerResponse) {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const raw = Buffer.concat(chunks).toString('utf8');
		let body: unknown = raw;
		try {
			body = raw === '' ? undefined : JSON.parse(raw);
		} catch {
			// Kept as text: a test may want to see a body that was not JSON.
		}
		const request: Seen = {
			method: req.method ?? '',
			url: req.url ?? '',
			headers: req.headers,
			body,
			at: Date.now(),
		};
		if (this.behaviour.record !== false) this.seen.push(request);
		const fault = this.decide(request, this.seen.length);
		if (fault.kind === 'hang') return;
		if (fault.kind === 'reset') {
			req.socket.destroy();
			return;
		}
		if (fault.kind === 'stream') return await this.stream(req, res, fault);
		if (fault.delayMs) await wait(fault.delayMs);
		const isText = typeof fault.body === 'string';
		res.writeHead(fault.status, {
			'content-type': isText ? 'text/html; charset=utf-8' : 'application/json',
			...fault.headers,
		});
		res.end(
			fault.body === undefined ? '' : isText ? (fault.body as string) : JSON.stringify(fault.body),
		);
	}

	private async stream(
		req: IncomingMessage,
		res: ServerResponse,
		fault: Extract<Fault, { kind: 'stream' }>,
	) {
		if (fault.firstDelayMs) await wait(fault.firstDelayMs);
		res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
		for (const [index, piece] of fault.pieces.entries()) {
			if (res.destroyed) return;
			// [DONE] follows the last event at once: a stream then takes as long as a plain reply.
			if (index > 0 && fault.delayMs && !piece.startsWith('data: [DONE]'))
				await wait(fault.delayMs);
			res.write(piece);
			fault.onPiece?.(index);
		}
		if (fault.delayMs && fault.then) await wait(fault.delayMs);
		if (fault.then === 'cut') req.socket.destroy();
		else if (fault.then !== 'hang') res.end();
	}
}

/** A model's step in an agent's loop: call the first tool offered, then answer with its result. */
function agentReply(body: any) {
	const messages: any[] = Array.isArray(body.messages) ? body.messages : [];
	const last = messages.at(-1);
	const tool = body.tools?.[0]?.function;
	if (last?.role === 'tool' || !tool)
		return completion(`The tool answered: ${String(last?.content ?? '')}`, {
			model: body.model ?? 'test-model',
		});
	const schema = tool.parameters ?? tool.arguments ?? {};
	const args = Object.fromEntries(
		Object.keys(schema.properties ?? {}).map((name) => [name, 'Paris']),
	);
	const call = {
		id: `call_${messages.length}`,
		type: 'function',
		function: { name: tool.name, arguments: JSON.stringify(args) },
	};
	return completion('', {
		model: body.model ?? 'test-model',
		choices: [choice({ content: '', tool_calls: [call] }, 'tool_calls')],
	});
}

/**
 * A jest test file's server: started before its tests, back to provider behaviour (and an
 * empty `seen`) before each, stopped after them all.
 */
export function useFaultServer(behaviour?: ProviderBehaviour): FaultServer {
	const server = new FaultServer(behaviour);
	beforeAll(async () => await server.start());
	afterAll(async () => await server.stop());
	beforeEach(() => server.reset());
	return server;
}
