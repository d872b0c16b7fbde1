import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { ProviderId } from './params';
import { FETCHED_SPECS_DIR, ROOT, SHARED_DIR, sharedPlace } from './shared';

export const SPEC_FILES: Record<ProviderId, string> = {
	openAi: 'openai.yaml',
	togetherAi: 'together.yaml',
	huggingFaceTgi: 'tgi.json',
};

const hasAllSpecs = (dir: string) =>
	Object.values(SPEC_FILES).every((file) => existsSync(path.join(dir, file)));

/**
 * The providers' official OpenAPI descriptions: LLM_CHAT_SPECS_DIR when set; otherwise
 * ../shared/specs (specs/ in the folder LLM_CHAT_SHARED names) when it has them all, else
 * .specs/, where `npm run fetch-specs` puts them.
 */
export const SPECS_DIR = process.env.LLM_CHAT_SPECS_DIR
	? path.resolve(process.env.LLM_CHAT_SPECS_DIR)
	: ([path.join(SHARED_DIR, 'specs'), FETCHED_SPECS_DIR].find(hasAllSpecs) ??
		path.join(SHARED_DIR, 'specs'));

/** What a suite skipped for want of the descriptions says, on one line. */
export const specsNotice = (what: string) =>
	`${what} skipped: put the providers' API descriptions (${Object.values(SPEC_FILES).join(', ')}) in ${
		process.env.LLM_CHAT_SPECS_DIR
			? `${SPECS_DIR} (LLM_CHAT_SPECS_DIR), or unset LLM_CHAT_SPECS_DIR and run \`npm run fetch-specs\``
			: `${sharedPlace('specs')}, or run \`npm run fetch-specs\``
	}`;

/**
 * OpenAI and TGI declare `nullable` without `type` in a few schemas; Prism then
 * silently skips body validation. The derived copy (outside the repository) drops
 * exactly those keywords so request bodies are validated (see the specs' README).
 */
const NEEDS_DERIVED_COPY: Record<ProviderId, boolean> = {
	openAi: true,
	togetherAi: false,
	huggingFaceTgi: true,
};

/** Where the mock serves each API: OpenAI and Together paths carry no /v1; TGI's do. */
const CREDENTIAL_VERSION: Record<ProviderId, string> = {
	openAi: '',
	togetherAi: '',
	huggingFaceTgi: 'v1',
};

export function missingSpecs(): string[] {
	return Object.values(SPEC_FILES).filter((file) => !existsSync(path.join(SPECS_DIR, file)));
}

function derivedSpec(provider: ProviderId): string {
	const source = path.join(SPECS_DIR, SPEC_FILES[provider]);
	if (!NEEDS_DERIVED_COPY[provider]) return source;
	const yaml = require('js-yaml') as typeof import('js-yaml');
	const document = yaml.load(readFileSync(source, 'utf8'), { schema: yaml.CORE_SCHEMA });
	const strip = (node: unknown): void => {
		if (node === null || typeof node !== 'object') return;
		if (!Array.isArray(node) && 'nullable' in node && !('type' in node))
			delete (node as Record<string, unknown>).nullable;
		Object.values(node).forEach(strip);
	};
	strip(document);
	const target = path.join(
		mkdtempSync(path.join(tmpdir(), 'llm-chat-spec-')),
		`${provider}.prism.json`,
	);
	writeFileSync(target, JSON.stringify(document));
	return target;
}

async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise((resolve) => server.close(resolve));
	return port;
}

export interface Exchange {
	method: string;
	url: string;
	requestBody: unknown;
	status: number;
	/** Prism's reasons for a rejected request: the `sl-violations` header or problem+json `validation`. */
	violations: string;
}

/**
 * A scripted answer in place of Prism's example, for requests Prism accepted: a test sets
 * `answer` to drive a loop (a tool call, then text) while every request is still judged.
 * `undefined` keeps Prism's own answer; a string is sent as an event stream.
 */
export type ContractAnswer = (requestBody: any, n: number) => object | string | undefined;

export interface ContractMock {
	provider: ProviderId;
	baseUrl: string;
	apiVersion: string;
	exchanges: Exchange[];
	answer?: ContractAnswer;
	stop: () => Promise<void>;
}

/** A JSON body parsed; any other (a multipart upload) kept as its text. */
function parsedOrText(raw: string): unknown {
	try {
		return JSON.parse(raw);
	} catch {
		return raw;
	}
}

function violationsOf(headers: Headers, body: string): string {
	const header = headers.get('sl-violations');
	if (header) {
		try {
			return (JSON.parse(header) as Array<{ message: string; location?: string[] }>)
				.map((v) => `${(v.location ?? []).join('.')}: ${v.message}`)
				.join('; ');
		} catch {
			return header;
		}
	}
	try {
		const problem = JSON.parse(body) as {
			validation?: Array<{ message: string; location?: string[] }>;
			detail?: string;
		};
		if (problem.validation)
			return problem.validation
				.map((v) => `${(v.location ?? []).join('.')}: ${v.message}`)
				.join('; ');
		return problem.detail ?? body.slice(0, 300);
	} catch {
		return body.slice(0, 300);
	}
}

/**
 * Starts Prism on the provider's spec and a small recording proxy in front of it,
 * so each test sees what was sent and Prism's verdict with its reasons.
 */
export async function startContractMock(provider: ProviderId): Promise<ContractMock> {
	const prismPort = await freePort();
	const spec = derivedSpec(provider);
	const prism: ChildProcess = spawn(
		path.join(ROOT, 'node_modules', '.bin', 'prism'),
		['mock', '-h', '127.0.0.1', '-p', String(prismPort), spec],
		{
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		},
	);
	let log = '';
	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(
			() => reject(new Error(`Prism did not start on ${spec} within 120 s:\n${log}`)),
			120_000,
		);
		const onData = (chunk: Buffer) => {
			log += chunk.toString();
			if (log.includes('Prism is listening')) {
				clearTimeout(timer);
				resolve();
			}
		};
		prism.stdout!.on('data', onData);
		prism.stderr!.on('data', onData);
		prism.on('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`Prism exited (${code}) on ${spec}:\n${log}`));
		});
	});
	prism.stdout!.removeAllListeners('data').resume();
	prism.stderr!.removeAllListeners('data').resume();
	prism.removeAllListeners('exit');

	const exchanges: Exchange[] = [];
	const mock = {} as ContractMock;
	const proxy: Server = createServer(async (req, res) => {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const raw = Buffer.concat(chunks).toString('utf8');
		const headers = Object.fromEntries(
			Object.entries(req.headers as IncomingHttpHeaders).filter(
				([name]) => !['host', 'connection', 'content-length'].includes(name),
			),
		) as Record<string, string>;
		const answer = await fetch(`http://127.0.0.1:${prismPort}${req.url}`, {
			method: req.method,
			headers,
			body: raw === '' ? undefined : raw,
		});
		const body = await answer.text();
		const requestBody = raw === '' ? undefined : parsedOrText(raw);
		exchanges.push({
			method: req.method ?? '',
			url: req.url ?? '',
			requestBody,
			status: answer.status,
			violations: answer.status >= 400 ? violationsOf(answer.headers, body) : '',
		});
		const scripted = answer.status < 400 ? mock.answer?.(requestBody, exchanges.length) : undefined;
		if (scripted !== undefined) {
			const isStream = typeof scripted === 'string';
			res.writeHead(200, {
				'content-type': isStream ? 'text/event-stream' : 'application/json',
			});
			res.end(isStream ? scripted : JSON.stringify(scripted));
			return;
		}
		res.writeHead(answer.status, {
			'content-type': answer.headers.get('content-type') ?? 'application/json',
		});
		res.end(body);
	});
	await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));

	return Object.assign(mock, {
		provider,
		baseUrl: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
		apiVersion: CREDENTIAL_VERSION[provider],
		exchanges,
		stop: async () => {
			proxy.closeAllConnections();
			await new Promise((resolve) => proxy.close(resolve));
			try {
				process.kill(-prism.pid!, 'SIGTERM');
			} catch {
				// Already gone.
			}
		},
	});
}
