// A fake Batch API (OpenAI's or Together's shapes) behind the FaultServer: files, jobs that move
// through their states one poll at a time, result and error files; chat requests as a provider.
import type { Fault, FaultServer, Seen } from './faultServer.ts';
import { questionOf } from './faultServer.ts';
import { completion } from './fixtures.ts';

export interface JobScript {
	/** The statuses successive polls see (OpenAI's names); the last repeats. */
	statuses?: string[];
	/** Result lines written in reverse order. */
	reverse?: boolean;
	/** Questions whose lines fail (into the error file). */
	failing?: string[];
	/** With status expired or cancelled: how many lines were done first. */
	doneBeforeEnd?: number;
	/** The job fails validation at once with this message. */
	validationError?: string;
	/** Each reply's text is padded to this many characters (large result files). */
	padTo?: number;
	/**
	 * The job runs this long (ms from its creation) before the scripted statuses begin: polls
	 * until then see it in_progress (the e2e suites, where time passes between executions).
	 */
	runMs?: number;
}

interface Job {
	id: string;
	inputFileId: string;
	polls: number;
	createdAt: number;
	status: string;
	cancelled: boolean;
	output?: string;
	error?: string;
}

export class FakeBatchApi {
	readonly files = new Map<
		string,
		{ purpose: string; content: string; fields: Record<string, string> }
	>();
	readonly jobs = new Map<string, Job>();
	script: JobScript = {};
	/** A fault for a request before the fake answers it (a 429 on a poll, say). */
	before: (request: Seen, n: number) => Fault | undefined = () => undefined;

	private readonly server: FaultServer;
	readonly dialect: 'openAi' | 'togetherAi';

	// No parameter properties: the benchmark loads this file with Node's type stripping.
	constructor(server: FaultServer, dialect: 'openAi' | 'togetherAi') {
		this.server = server;
		this.dialect = dialect;
	}

	install(): this {
		this.server.decide = (request, n) => this.before(request, n) ?? this.answer(request);
		return this;
	}

	private status(name: string) {
		return this.dialect === 'togetherAi' ? name.toUpperCase() : name;
	}

	private jobBody(job: Job) {
		const body: Record<string, unknown> = {
			id: job.id,
			status: this.status(job.status),
			input_file_id: job.inputFileId,
			endpoint: '/v1/chat/completions',
		};
		if (job.output) body.output_file_id = `${job.id}-out`;
		if (job.error) body.error_file_id = `${job.id}-err`;
		if (job.status === 'failed' && this.script.validationError) {
			if (this.dialect === 'openAi')
				body.errors = {
					data: [{ code: 'invalid', message: this.script.validationError, line: 1 }],
				};
			else body.error = this.script.validationError;
		}
		return body;
	}

	private answer(request: Seen): Fault {
		const path = request.url.replace(/^\/v1\//, '');
		const json = (body: unknown, status = 200): Fault => ({ kind: 'reply', status, body });
		if (request.method === 'POST' && (path === 'files' || path === 'files/upload'))
			return json(this.upload(String(request.body)));
		if (request.method === 'POST' && path === 'batches') {
			const id = `batch_${this.jobs.size + 1}`;
			const job: Job = {
				id,
				inputFileId: request.body.input_file_id,
				polls: 0,
				createdAt: Date.now(),
				status: 'validating',
				cancelled: false,
			};
			if (this.script.validationError) job.status = 'failed';
			this.jobs.set(id, job);
			const body = this.jobBody(job);
			return json(this.dialect === 'togetherAi' ? { job: body, warning: '' } : body, 201);
		}
		let match = /^batches\/([^/]+)(\/cancel)?$/.exec(path);
		if (match) {
			const job = this.jobs.get(match[1]);
			if (!job) return json({ error: { message: 'No such batch' } }, 404);
			if (match[2]) {
				job.cancelled = true;
				job.status = 'cancelling';
			} else this.advance(job);
			return json(this.jobBody(job));
		}
		match = /^files\/([^/]+)\/content$/.exec(path);
		if (match) {
			const [, id] = match;
			const job = this.jobs.get(id.replace(/-(out|err)$/, ''));
			const text = id.endsWith('-err') ? job?.error : job?.output;
			return {
				kind: 'reply',
				status: 200,
				body: text ?? '',
				headers: { 'content-type': 'application/jsonl' },
			};
		}
		return this.server.asProvider(request);
	}

	private upload(raw: string) {
		const boundary = /^--(\S+)\r\n/.exec(raw)![1];
		const fields: Record<string, string> = {};
		let content = '';
		for (const part of raw.split(`--${boundary}`).slice(1, -1)) {
			const [head, ...rest] = part.split('\r\n\r\n');
			const value = rest.join('\r\n\r\n').replace(/\r\n$/, '');
			const name = /name="([^"]+)"/.exec(head)![1];
			if (name === 'file') content = value;
			else fields[name] = value;
		}
		const id = `file-${this.files.size + 1}`;
		this.files.set(id, { purpose: fields.purpose, content, fields });
		return { id, object: 'file', purpose: fields.purpose, bytes: content.length };
	}

	/** One poll: the next scripted status; a job that ends gets its files. */
	private advance(job: Job) {
		if (['failed', 'completed', 'expired', 'cancelled'].includes(job.status)) return;
		const { runMs } = this.script;
		if (runMs !== undefined && !job.cancelled && Date.now() - job.createdAt < runMs) {
			job.status = 'in_progress';
			return;
		}
		job.polls++;
		const statuses = this.script.statuses ?? ['in_progress', 'finalizing', 'completed'];
		job.status = job.cancelled ? 'cancelled' : statuses[Math.min(job.polls, statuses.length) - 1];
		if (['completed', 'expired', 'cancelled'].includes(job.status)) this.finish(job);
	}

	private finish(job: Job) {
		const lines = this.files
			.get(job.inputFileId)!
			.content.split('\n')
			.filter((line) => line !== '')
			.map((line) => JSON.parse(line));
		const done = job.status === 'completed' ? lines.length : (this.script.doneBeforeEnd ?? 0);
		const out: string[] = [];
		const err: string[] = [];
		for (const line of lines.slice(0, done)) {
			const question = questionOf({ body: line.body } as Seen);
			if (this.script.failing?.includes(question)) {
				err.push(JSON.stringify(this.failure(line.custom_id)));
				continue;
			}
			let text = line.body.response_format
				? JSON.stringify({ answer: `echo: ${question}` })
				: `echo: ${question}`;
			if (this.script.padTo) text = text.padEnd(this.script.padTo, '.');
			const body = completion(text, { model: line.body.model });
			out.push(
				JSON.stringify({
					id: `r-${line.custom_id}`,
					custom_id: line.custom_id,
					response: { status_code: 200, request_id: 'x', body },
					error: null,
				}),
			);
		}
		if (this.script.reverse) out.reverse();
		if (out.length > 0) job.output = `${out.join('\n')}\n`;
		if (err.length > 0) job.error = `${err.join('\n')}\n`;
	}

	private failure(customId: string) {
		const message = 'This request was refused by the fake provider';
		return this.dialect === 'openAi'
			? {
					id: `r-${customId}`,
					custom_id: customId,
					response: {
						status_code: 400,
						body: { error: { message, type: 'invalid_request_error' } },
					},
					error: null,
				}
			: { custom_id: customId, error: { message } };
	}
}
