import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

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
			delayMs?: number; // between pieces
			then?: 'end' | 'cut' | 'hang'; // after the last piece: finish, destroy the socket, or stall
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

export function completion(text: string, extra: Record<string, unknown> = {}) {
	return {
		id: 'chatcmpl-1',
		object: 'chat.completion',
		created: 1_700_000_000,
		model: 'test-model',
		choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
		usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
		...extra,
	};
}

/**
 * A fault-injecting OpenAI-compatible server on 127.0.0.1. Each request is answered
 * by `decide(request, n)` (n counts requests from 1); the default answers a chat
 * completion echoing the last message.
 */
export class FaultServer {
	readonly seen: Seen[] = [];

	decide: (request: Seen, n: number) => Fault = (request) =>
		request.method === 'GET' && request.url.endsWith('/models')
			? {
					kind: 'reply',
					status: 200,
					body: { object: 'list', data: [{ id: 'test-model', object: 'model', owned_by: 'test' }] },
				}
			: {
					kind: 'reply',
					status: 200,
					body: completion(`echo: ${request.body?.messages?.at(-1)?.content ?? ''}`),
				};

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
		this.decide = new FaultServer().decide;
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
		this.seen.push(request);
		const fault = this.decide(request, this.seen.length);
		if (fault.kind === 'hang') return;
		if (fault.kind === 'reset') {
			req.socket.destroy();
			return;
		}
		if (fault.kind === 'stream') return await this.stream(req, res, fault);
		if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
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
		res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
		for (const piece of fault.pieces) {
			if (res.destroyed) return;
			res.write(piece);
			if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
		}
		if (fault.then === 'cut') req.socket.destroy();
		else if (fault.then !== 'hang') res.end();
	}
}
