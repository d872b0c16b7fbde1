// Submit and Wait's second half: waits for the jobs, then gives every item the output Message a
// Model gives in real time (same completion-to-output code), in input order, with its job.
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { LineResult } from '../../../shared/batch/results';
import { customIdOf } from '../../../shared/batch/lines';
import { failFor, readNumber } from '../../../shared/chat/validation';
import { BATCH_CANCEL_GRACE_MS, DEFAULT_BATCH_POLL_SECONDS } from '../../../shared/defaults';
import type { Provider } from '../../../shared/providers';
import { failedItem } from '../itemError';
import { completeChat } from '../../../shared/chat/completeChat';
import { execute as realTime } from '../message/execute';
import type { ItemInput } from '../message/item';
import { checkedOutput } from '../message/jsonReply';
import type { BatchClient } from './api';
import { isFinal } from './api';
import { maxWait, pollInterval } from './description';
import { jobResults, lineError, missingError } from './outcome';
import type { Submitted } from './wait';
import { waitForJobs } from './wait';

/** The Batch Options, read before anything is submitted: a bad one leaves no job behind. */
export function readPlan(ctx: IExecuteFunctions, windowMs: number) {
	const options = ctx.getNodeParameter('batchOptions', 0, {}) as IDataObject;
	const fail = failFor(ctx.getNode(), 0);
	const poll =
		readNumber(options.pollInterval, pollInterval.displayName, { min: 0.01, max: 86_400 }, fail) ??
		DEFAULT_BATCH_POLL_SECONDS;
	const minutes = readNumber(options.maxWait, maxWait.displayName, { min: 0, max: 10_080 }, fail);
	return {
		firstWaitMs: poll * 1000,
		waitMs: minutes ? minutes * 60_000 : windowMs,
		realTimeAfter: options.onTimeout === 'realTime',
	};
}

export async function collectOutputs(
	ctx: IExecuteFunctions,
	provider: Provider,
	client: BatchClient,
	submitted: Submitted[],
	inputs: Map<number, ItemInput>,
	refused: Map<number, INodeExecutionData>,
	options: ReturnType<typeof readPlan>,
): Promise<INodeExecutionData[]> {
	const node = ctx.getNode();
	const continueOnFail = ctx.continueOnFail();
	// Max Wait counts from the submission.
	const plan = { ...options, until: Date.now() + options.waitMs };
	const done = await waitForJobs(ctx, client, submitted, plan);
	if (!done && plan.realTimeAfter) {
		// Cancelled jobs hand over the lines they finished; a short wait (4 poll intervals, at most
		// BATCH_CANCEL_GRACE_MS) lets them say so. Lines still without a result go in real time.
		for (const entry of submitted.filter(({ job }) => !isFinal(job)))
			await client.cancel(entry.job.id);
		const graceMs = Math.min(BATCH_CANCEL_GRACE_MS, 4 * plan.firstWaitMs);
		await waitForJobs(ctx, client, submitted, { ...plan, until: Date.now() + graceMs });
	}

	const outputs = new Map<number, INodeExecutionData>(refused);
	const unfinished: number[] = [];
	for (const { job, itemIndexes } of submitted) {
		const results: Map<string, LineResult> =
			job.outputFileId || job.errorFileId ? await jobResults(client, job) : new Map();
		const batch = { id: job.id, status: job.status };
		for (const itemIndex of itemIndexes) {
			const result = results.get(customIdOf(itemIndex));
			if (!result && plan.realTimeAfter && !done) {
				unfinished.push(itemIndex);
				continue;
			}
			try {
				if (!result) throw missingError(node, provider.displayName, job, itemIndex);
				if ('error' in result)
					throw lineError(node, provider.displayName, job, itemIndex, result.error);
				const json = await outputOf(
					ctx,
					client,
					inputs.get(itemIndex)!,
					itemIndex,
					result.completion,
				);
				outputs.set(itemIndex, { json: { ...json, batch }, pairedItem: { item: itemIndex } });
			} catch (error) {
				// Continue On Fail: the error row names its job too.
				const row = failedItem(ctx, error, itemIndex, continueOnFail);
				outputs.set(itemIndex, { ...row, json: { ...row.json, batch } });
			}
		}
	}
	if (unfinished.length > 0) {
		const sent = await realTime.call(ctx, provider, unfinished);
		sent.forEach((output, position) => outputs.set(unfinished[position], output));
	}
	return [...outputs.keys()].sort((a, b) => a - b).map((index) => outputs.get(index)!);
}

/** The completion as Message a Model outputs it; a JSON repair turn goes out in real time. */
async function outputOf(
	ctx: IExecuteFunctions,
	client: BatchClient,
	input: ItemInput,
	itemIndex: number,
	completion: IDataObject,
): Promise<IDataObject> {
	if (!(ctx.getNodeParameter('simplify', itemIndex, true) as boolean)) return completion;
	const send = async (history: IDataObject[]) =>
		await completeChat(ctx, client.target, input.settings, { messages: history, itemIndex });
	return await checkedOutput(
		ctx.getNode(),
		completion,
		input.jsonCheck,
		itemIndex,
		input.messages,
		send,
	);
}
