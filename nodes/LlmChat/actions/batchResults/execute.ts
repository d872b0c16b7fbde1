// Get Batch Results: a job's status while it runs, or once it has ended one item per request
// (its result or error, its custom id and the index of the item it came from), in item order.
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { itemIndexOf } from '../../../shared/batch/lines';
import type { LineResult } from '../../../shared/batch/results';
import { simplifyCompletion } from '../../../shared/chat/response';
import { failFor } from '../../../shared/chat/validation';
import type { Provider } from '../../../shared/providers';
import { failedItem } from '../itemError';
import type { BatchJob } from '../batch/api';
import { isFinal } from '../batch/api';
import { batchClient } from '../batch/execute';
import { batchId } from '../batch/description';
import { jobResults } from '../batch/outcome';

/** The job's status as one item, in the provider's own fields besides the common ones. */
function statusOf(job: BatchJob): IDataObject {
	const { raw } = job;
	return {
		batchId: job.id,
		status: job.status,
		...(job.reason ? { reason: job.reason } : {}),
		...(raw.request_counts !== undefined ? { requestCounts: raw.request_counts } : {}),
		...(raw.progress !== undefined ? { progress: raw.progress } : {}),
		job: raw,
	};
}

function resultOf(result: LineResult, job: BatchJob, simplify: boolean): IDataObject {
	const common = {
		customId: result.customId,
		itemIndex: itemIndexOf(result.customId) ?? null,
		batch: { id: job.id, status: job.status },
	};
	if ('error' in result)
		return { ...common, error: result.error.message, errorDetail: result.error };
	return { ...common, ...(simplify ? simplifyCompletion(result.completion) : result.completion) };
}

export async function execute(
	this: IExecuteFunctions,
	provider: Provider,
): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	if (items.length === 0) return [];
	const { client } = await batchClient(this, provider);
	const continueOnFail = this.continueOnFail();
	const outputs: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const pairedItem = { item: itemIndex };
		try {
			const id = String(this.getNodeParameter('batchId', itemIndex, '')).trim();
			if (id === '') failFor(this.getNode(), itemIndex)(`${batchId.displayName} is required`);
			const job = await client.get(id);
			const results = isFinal(job) ? [...(await jobResults(client, job)).values()] : [];
			if (results.length === 0) {
				outputs.push({ json: statusOf(job), pairedItem });
				continue;
			}
			const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
			// Together writes results in any order: sorted back into the order of the items.
			const order = (result: LineResult) => itemIndexOf(result.customId) ?? Number.MAX_SAFE_INTEGER;
			results.sort((a, b) => order(a) - order(b));
			for (const result of results)
				outputs.push({ json: resultOf(result, job, simplify), pairedItem });
		} catch (error) {
			outputs.push(failedItem(this, error, itemIndex, continueOnFail));
		}
	}
	return outputs;
}
