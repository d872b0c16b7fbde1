// The Batch API calls (upload, create, poll, cancel, read a file), each through apiRequest so
// retries, Timeout, Requests per Minute and redaction apply to them as to a chat request.
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { multipartBody } from '../../../shared/batch/multipart';
import { BATCH_FILE_MAX_BYTES, BATCH_FILE_TIMEOUT_MS } from '../../../shared/defaults';
import { isObject } from '../../../shared/json';
import type { BatchApi } from '../../../shared/providers';
import type { RateLimit } from '../../../shared/rateLimit';
import type { Endpoint, RequestPolicy } from '../../../shared/transport';
import { apiRequest } from '../../../shared/transport';

/** A job as the node reads it, the same for every provider. */
export interface BatchJob {
	id: string;
	/** In lower case: validating, in_progress, finalizing, completed, failed, expired, cancelling, cancelled. */
	status: string;
	outputFileId?: string;
	errorFileId?: string;
	/** Why the job failed, in the provider's words. */
	reason?: string;
	raw: IDataObject;
}

export const FINAL_STATUSES = ['completed', 'failed', 'expired', 'cancelled'];

export const isFinal = (job: BatchJob) => FINAL_STATUSES.includes(job.status);

const A_JOB = {
	what: 'a batch job',
	check: (body: unknown) => isObject(body) && (typeof body.id === 'string' || isObject(body.job)),
};
const A_FILE = {
	what: 'an uploaded file',
	check: (body: unknown) => isObject(body) && typeof body.id === 'string',
};

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

function reasonOf(job: IDataObject): string | undefined {
	const errors = isObject(job.errors) && Array.isArray(job.errors.data) ? job.errors.data : [];
	const listed = (errors as IDataObject[])
		.slice(0, 5)
		.map(
			(e) =>
				`${e.line !== undefined && e.line !== null ? `line ${String(e.line)}: ` : ''}${String(e.message ?? e.code ?? '')}`,
		);
	if (listed.length > 0) return listed.join('; ');
	return text(job.error) ?? (isObject(job.error) ? text(job.error.message) : undefined);
}

export function jobOf(raw: IDataObject): BatchJob {
	return {
		id: String(raw.id),
		status: String(raw.status ?? '').toLowerCase(),
		outputFileId: text(raw.output_file_id),
		errorFileId: text(raw.error_file_id),
		reason: reasonOf(raw),
		raw,
	};
}

/** The calls of one execution, on one credential, with the node's request settings. */
export class BatchClient {
	constructor(
		private readonly ctx: IExecuteFunctions,
		readonly target: Endpoint,
		readonly api: BatchApi,
		readonly settings: { timeoutMs: number; maxRetries: number; rateLimit?: RateLimit },
	) {}

	private policy(extra: Partial<RequestPolicy> = {}): RequestPolicy {
		return { ...this.settings, maxBytes: BATCH_FILE_MAX_BYTES, ...extra };
	}

	async upload(content: string, fileName: string): Promise<string> {
		const form = multipartBody(this.api.uploadFields(fileName), {
			name: 'file',
			fileName,
			contentType: 'application/jsonl',
			content,
		});
		const answer = (await apiRequest.call(
			this.ctx,
			this.target,
			'POST',
			this.api.uploadPath,
			form.body,
			this.policy({
				headers: { 'Content-Type': form.contentType },
				expect: A_FILE,
				timeoutMs: Math.max(this.settings.timeoutMs, BATCH_FILE_TIMEOUT_MS),
			}),
		)) as IDataObject;
		return String(answer.id);
	}

	async create(inputFileId: string): Promise<BatchJob> {
		const answer = (await apiRequest.call(
			this.ctx,
			this.target,
			'POST',
			this.api.batchesPath,
			{
				input_file_id: inputFileId,
				endpoint: this.api.endpoint,
				completion_window: this.api.completionWindow,
			},
			this.policy({ expect: A_JOB }),
		)) as IDataObject;
		return jobOf(this.api.createdJob(answer));
	}

	async get(id: string): Promise<BatchJob> {
		const answer = (await apiRequest.call(
			this.ctx,
			this.target,
			'GET',
			`${this.api.batchesPath}/${encodeURIComponent(id)}`,
			undefined,
			this.policy({ expect: A_JOB }),
		)) as IDataObject;
		return jobOf(this.api.createdJob(answer));
	}

	/**
	 * Cancels a job. Also sent after the execution was cancelled: on a context whose cancel
	 * signal has not fired, so n8n does not abort the request before it leaves. It does not
	 * wait for the Requests per Minute window: it stops spending, and it is the last call.
	 */
	async cancel(id: string): Promise<void> {
		const detached = Object.create(this.ctx, {
			getExecutionCancelSignal: { value: () => undefined },
		}) as IExecuteFunctions;
		await apiRequest.call(
			detached,
			this.target,
			'POST',
			`${this.api.batchesPath}/${encodeURIComponent(id)}/cancel`,
			{},
			this.policy({ rateLimit: undefined }),
		);
	}

	/** A result file's text (JSON Lines), read whole within the batch file cap. */
	async content(fileId: string): Promise<string> {
		const answer = await apiRequest.call(
			this.ctx,
			this.target,
			'GET',
			`files/${encodeURIComponent(fileId)}/content`,
			undefined,
			this.policy({
				// JSON Lines: Together documents it as text/plain, OpenAI as JSON.
				headers: { Accept: 'application/jsonl, text/plain, application/json;q=0.9, */*;q=0.8' },
				asText: true,
				timeoutMs: Math.max(this.settings.timeoutMs, BATCH_FILE_TIMEOUT_MS),
			}),
		);
		return typeof answer === 'string' ? answer : JSON.stringify(answer);
	}
}
