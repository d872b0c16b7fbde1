import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/**
 * The one path for an item that failed, in every operation: the node stops with
 * the error, or, with Continue On Fail, the item gets exactly one error output
 * paired to it.
 */
export function failedItem(
	ctx: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
	continueOnFail: boolean,
): INodeExecutionData {
	if (!continueOnFail) {
		throw error instanceof NodeApiError || error instanceof NodeOperationError
			? error
			: new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
	}
	const description = (error as { description?: unknown }).description;
	return {
		json: {
			error: (error as Error).message,
			...(typeof description === 'string' ? { errorDescription: description } : {}),
		},
		pairedItem: { item: itemIndex },
	};
}
