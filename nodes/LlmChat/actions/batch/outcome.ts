// What each request of an ended job came to: its result lines read from the job's files, and the
// error an item gets when its line failed or never ran (naming the job, in the provider's words).
import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { LineResult } from '../../../shared/batch/results';
import { readResults } from '../../../shared/batch/results';
import type { BatchClient, BatchJob } from './api';
import { GET_BATCH_RESULTS, maxWait } from './description';

/** The output file's lines, then the error file's: a request's answer wins over a failure. */
export async function jobResults(
	client: BatchClient,
	job: BatchJob,
	into = new Map<string, LineResult>(),
): Promise<Map<string, LineResult>> {
	for (const fileId of [job.outputFileId, job.errorFileId]) {
		if (fileId !== undefined) readResults(await client.content(fileId), into);
	}
	return into;
}

type Failure = Extract<LineResult, { error: unknown }>['error'];

/** A line the provider answered with an error. */
export function lineError(
	node: INode,
	provider: string,
	job: BatchJob,
	itemIndex: number,
	error: Failure,
): NodeOperationError {
	const status = error.status !== undefined ? ` ${error.status}` : '';
	return new NodeOperationError(
		node,
		`${provider} batch job ${job.id}: the request of item ${itemIndex} failed${status}: ${error.message}`,
		{ itemIndex, description: error.code ? `Error code: ${error.code}` : undefined },
	);
}

/** A line without a result: the job failed, expired, was cancelled, or is still running. */
export function missingError(
	node: INode,
	provider: string,
	job: BatchJob,
	itemIndex: number,
): NodeOperationError {
	const prefix = `${provider} batch job ${job.id}`;
	const reason = job.reason ? `: ${job.reason}` : '';
	const message: Record<string, string> = {
		failed: `${prefix} failed${reason}`,
		expired: `${prefix} expired before the request of item ${itemIndex} was done${reason}`,
		cancelled: `${prefix} was cancelled before the request of item ${itemIndex} was done`,
		completed: `${prefix} has no result for item ${itemIndex}${reason}`,
	};
	return new NodeOperationError(
		node,
		message[job.status] ??
			`${prefix} was still ${job.status} when ${maxWait.displayName} passed (item ${itemIndex})`,
		{
			itemIndex,
			description:
				job.status in message
					? undefined
					: `The job keeps running at the provider: read its results later with the ${GET_BATCH_RESULTS} operation, or raise ${maxWait.displayName}.`,
		},
	);
}
