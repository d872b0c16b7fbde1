import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { createGzip } from 'node:zlib';

/**
 * A raw TCP server on 127.0.0.1 for what a broken server or proxy does and an HTTP
 * library would not: trickling bytes, endless bodies, decompression bombs. Each
 * request's head is read, then `respond` writes to the socket as it likes.
 */
export type Responder = (socket: Socket, head: string) => Promise<void> | void;

export class RawServer {
	requests = 0;
	respond: Responder = (socket) => void socket.end();
	private server?: Server;
	private readonly sockets = new Set<Socket>();

	get url(): string {
		return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
	}

	/** Sockets still open: a bound that works closes the connection it gave up on. */
	get openSockets(): number {
		return this.sockets.size;
	}

	async start(): Promise<void> {
		this.server = createServer((socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
			socket.on('error', () => {});
			let head = '';
			const onData = (data: Buffer) => {
				head += data.toString('latin1');
				const end = head.indexOf('\r\n\r\n');
				if (end === -1) return;
				socket.off('data', onData);
				this.requests++;
				void Promise.resolve(this.respond(socket, head.slice(0, end))).catch(() =>
					socket.destroy(),
				);
			};
			socket.on('data', onData);
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
	}

	async stop(): Promise<void> {
		for (const socket of this.sockets) socket.destroy();
		await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
	}
}

/** A jest test file's raw server: started before its tests, reset before each, stopped after. */
export function useRawServer(): RawServer {
	const server = new RawServer();
	beforeAll(async () => await server.start());
	afterAll(async () => await server.stop());
	beforeEach(() => {
		server.requests = 0;
		server.respond = (socket) => void socket.end();
	});
	return server;
}

const wait = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

/** Writes, waiting for the socket to drain; false once the client has gone. */
async function write(socket: Socket, data: string | Buffer): Promise<boolean> {
	if (socket.destroyed) return false;
	if (!socket.write(data))
		await new Promise<void>((resolve) => {
			const done = () => {
				socket.off('drain', done);
				socket.off('close', done);
				resolve();
			};
			socket.on('drain', done);
			socket.on('close', done);
		});
	return !socket.destroyed;
}

/** A response head with no length: the body runs until the socket closes. */
export const head = (status: number, headers: Record<string, string> = {}) =>
	`HTTP/1.1 ${status} X\r\n${Object.entries({ connection: 'close', ...headers })
		.map(([name, value]) => `${name}: ${value}\r\n`)
		.join('')}\r\n`;

/** Writes `first`, then one byte of `drip` every `everyMs`, for at most `forMs` (bounded, so a test that fails still ends). */
export function trickle(first: string, drip: string, everyMs: number, forMs = 30_000): Responder {
	return async (socket) => {
		await write(socket, first);
		for (let at = 0, index = 0; at < forMs; at += everyMs, index++) {
			await wait(everyMs);
			if (!(await write(socket, drip[index % drip.length]))) return;
		}
		socket.end();
	};
}

/** `status` and `headers`, then `body(n)` chunk after chunk until `totalBytes` (or for ever). */
export function flood(
	status: number,
	headers: Record<string, string>,
	prefix: string,
	chunk: string,
	totalBytes = Infinity,
): Responder {
	return async (socket) => {
		if (!(await write(socket, head(status, headers) + prefix))) return;
		const piece = Buffer.from(chunk.repeat(Math.ceil(65_536 / chunk.length)));
		for (let sent = 0; sent < totalBytes; sent += piece.length)
			if (!(await write(socket, piece))) return;
		socket.end();
	};
}

/** The gzip of `inflatedBytes` zero bytes: about a thousandth of that on the wire. */
export async function gzipBomb(inflatedBytes: number): Promise<Buffer> {
	const gzip = createGzip({ level: 9 });
	const parts: Buffer[] = [];
	gzip.on('data', (part: Buffer) => parts.push(part));
	const done = new Promise((resolve) => gzip.on('end', resolve));
	const zeros = Buffer.alloc(1024 * 1024);
	for (let written = 0; written < inflatedBytes; written += zeros.length)
		if (!gzip.write(zeros)) await new Promise((resolve) => gzip.once('drain', resolve));
	gzip.end();
	await done;
	return Buffer.concat(parts);
}

/** Sends `body` as is, with the given head. */
export function raw(
	status: number,
	headers: Record<string, string>,
	body: Buffer | string,
): Responder {
	return async (socket) => {
		await write(socket, head(status, headers));
		await write(socket, body);
		socket.end();
	};
}
