// Message a Model as a batch job: every item's request goes into one JSONL file (several when
// the provider's job limits require), then the node waits for the job or outputs its ID.
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { BatchLine } from '../../../shared/batch/lines';
import { batchFiles, customIdOf } from '../../../shared/batch/lines';
import { buildChatBody } from '../../../shared/chat/chatBody';
import { checkChatSettings } from '../../../shared/chat/completeChat';
import { readRequestSettings } from '../../../shared/chat/options';
import { failFor } from '../../../shared/chat/validation';
import type { BatchApi, Provider } from '../../../shared/providers';
import { PROVIDERS } from '../../../shared/providers';
import { rateLimitFor } from '../../../shared/rateLimit';
import { resolveEndpoint } from '../../../shared/transport';
import { parameterReader } from '../../helpers/parameters';
import { failedItem } from '../itemError';
import type { ItemInput } from '../message/item';
import { itemReader } from '../message/item';
import { readNodeSettings } from '../message/execute';
import { BatchClient } from './api';
import { BATCH_PROVIDERS, mode, modeLabel } from './description';
import { collectOutputs, readPlan } from './collect';
import type { Submitted } from './wait';

/** The provider's Batch API, or a clear error where there is none (Hugging Face). */
export function batchApiOf(ctx: IExecuteFunctions, provider: Provider): BatchApi {
	if (provider.batch) return provider.batch;
	throw new NodeOperationError(ctx.getNode(), `${provider.displayName} has no Batch API`, {
		description: `Batch mode is available for ${BATCH_PROVIDERS.map((id) => PROVIDERS[id].displayName).join(' and ')}. Set ${mode.displayName} to ${modeLabel('realTime')}.`,
	});
}

/** The client of one execution: the credential's endpoint and the node's request settings. */
export async function batchClient(ctx: IExecuteFunctions, provider: Provider) {
	batchApiOf(ctx, provider);
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const fail = failFor(ctx.getNode(), 0);
	const { perMinute } = readNodeSettings(options, fail);
	const settings = readRequestSettings(options, fail);
	const target = await resolveEndpoint.call(ctx, provider);
	// The credential's Server Kind may pick a dialect without one (a self-hosted TGI).
	const api = batchApiOf(ctx, target.provider);
	const client = new BatchClient(ctx, target, api, {
		timeoutMs: settings.timeoutMs,
		maxRetries: settings.maxRetries,
		rateLimit: rateLimitFor(target.rateLimitKey, perMinute),
	});
	return { client, target, perMinute };
}

export async function execute(
	this: IExecuteFunctions,
	provider: Provider,
	wait: boolean,
): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	if (items.length === 0) return [];
	const continueOnFail = this.continueOnFail();
	const { client, target, perMinute } = await batchClient(this, provider);
	const readItem = itemReader(this, provider, parameterReader(this), perMinute);
	const plan = wait ? readPlan(this, client.api.windowMs) : undefined;

	// Every item is read and checked first: one that cannot be sent fails alone (its own row).
	const inputs = new Map<number, ItemInput>();
	const refused = new Map<number, INodeExecutionData>();
	const lines: BatchLine[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const input = await readItem(itemIndex);
			checkChatSettings(input.settings, target, input.fail);
			const { model, options } = input.settings;
			const body = buildChatBody(target.provider, model, input.messages, options);
			lines.push({ itemIndex, body });
			// The conversation is only needed again for a JSON repair turn.
			inputs.set(itemIndex, input.jsonCheck?.repair ? input : { ...input, messages: [] });
		} catch (error) {
			refused.set(itemIndex, failedItem(this, error, itemIndex, continueOnFail));
		}
	}

	const submitted: Submitted[] = [];
	const submitting = async () => {
		for (const [n, file] of batchFiles(client.api, lines).entries()) {
			const fileId = await client.upload(file.content, `n8n-llm-chat-batch-${n + 1}.jsonl`);
			submitted.push({ job: await client.create(fileId), itemIndexes: file.itemIndexes });
		}
	};
	const failure = await submitting().then(
		() => undefined,
		(error: unknown) => ({ error }),
	);
	if (failure) {
		// Jobs already created would run (and be billed) with nobody to read them: cancelled.
		await Promise.all(
			submitted.map(async ({ job }) => await client.cancel(job.id).catch(() => undefined)),
		);
		throw failure.error;
	}

	if (!plan) {
		const jobs = submitted.map(({ job, itemIndexes }) => ({
			json: {
				batchId: job.id,
				status: job.status,
				provider: provider.id,
				requestCount: itemIndexes.length,
				customIds: itemIndexes.map(customIdOf),
			},
			pairedItem: itemIndexes.map((item) => ({ item })),
		}));
		return [...jobs, ...refused.values()];
	}
	return await collectOutputs(this, provider, client, submitted, inputs, refused, plan);
}
