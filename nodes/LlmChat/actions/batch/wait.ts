// Waiting for batch jobs: polls at a growing interval with n8n's cancellable sleep, until every
// job has ended or the wait's deadline passes; a cancelled execution cancels the jobs.
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { BATCH_POLL_BACKOFF, MAX_BATCH_POLL_MS } from '../../../shared/defaults';
import type { BatchClient, BatchJob } from './api';
import { isFinal } from './api';

/** A job and the items whose lines it holds, in file order. */
export interface Submitted {
	job: BatchJob;
	itemIndexes: number[];
}

export interface WaitPlan {
	firstWaitMs: number;
	/** When to stop waiting (a time in ms since the epoch). */
	until: number;
}

/**
 * Polls the unfinished jobs until all have ended (true) or `until` passes (false); each
 * job's latest state is kept in `jobs`. Polls go through apiRequest: a 429 or 5xx is
 * retried there like any request.
 */
export async function waitForJobs(
	ctx: IExecuteFunctions,
	client: BatchClient,
	jobs: Submitted[],
	plan: WaitPlan,
): Promise<boolean> {
	const signal = ctx.getExecutionCancelSignal();
	// The interval grows, but never past the larger of the first wait and MAX_BATCH_POLL_MS.
	const longest = Math.max(plan.firstWaitMs, MAX_BATCH_POLL_MS);
	let waitMs = plan.firstWaitMs;
	const polling = async (): Promise<boolean> => {
		for (;;) {
			const open = jobs.filter((entry) => !isFinal(entry.job));
			if (open.length === 0) return true;
			const left = plan.until - Date.now();
			if (left <= 0) return false;
			await sleep(Math.min(waitMs, left), signal);
			if (signal?.aborted) throw new NodeOperationError(ctx.getNode(), 'cancelled');
			waitMs = Math.min(waitMs * BATCH_POLL_BACKOFF, longest);
			for (const entry of open) entry.job = await client.get(entry.job.id);
		}
	};
	const outcome = await polling().then(
		(done) => ({ done }),
		(error: unknown) => ({ error }),
	);
	if ('done' in outcome) return outcome.done;
	if (!signal?.aborted) throw outcome.error;
	// The provider would otherwise go on (and bill) for a run nobody waits for.
	const open = jobs.filter((entry) => !isFinal(entry.job)).map((entry) => entry.job.id);
	await Promise.all(open.map(async (id) => await client.cancel(id).catch(() => undefined)));
	throw new NodeOperationError(
		ctx.getNode(),
		`The execution was cancelled${open.length > 0 ? `; batch job ${open.join(', ')} was cancelled too` : ''}`,
	);
}
