import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { Provider } from '../providers';
import { isModelList, normalizeModelList } from '../providers';
import { apiRequest, resolveEndpoint } from '../transport';
import { unexpectedResponseError } from '../transport/errors';

export const properties: INodeProperties[] = [
	{
		displayName: 'Options',
		name: 'listOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { operation: ['listModels'] } },
		options: [
			{
				displayName: 'Include Non-Chat Models',
				name: 'allTypes',
				type: 'boolean',
				default: false,
				description:
					'Whether to list every model the provider has (image, embedding, audio …), not only chat models. Only Together AI tells the types apart.',
			},
		],
	},
];

const LIST_POLICY = { timeoutMs: 60_000, maxRetries: 2 };

export async function fetchModels(this: IExecuteFunctions, provider: Provider, itemIndex: number) {
	const endpoint = await resolveEndpoint.call(this, provider);
	const body = await apiRequest.call(this, endpoint, 'GET', provider.modelsPath, undefined, {
		...LIST_POLICY,
		itemIndex,
	});
	if (!isModelList(body))
		throw unexpectedResponseError(this.getNode(), provider, 'a model list', body, itemIndex);
	return normalizeModelList(body);
}

export async function execute(
	this: IExecuteFunctions,
	provider: Provider,
): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const { allTypes } = this.getNodeParameter('listOptions', itemIndex, {}) as IDataObject;
			const models = await fetchModels.call(this, provider, itemIndex);
			for (const model of models) {
				if (allTypes === true || provider.isChatModel(model))
					output.push({ json: model, pairedItem: { item: itemIndex } });
			}
		} catch (error) {
			if (!this.continueOnFail()) {
				throw error instanceof NodeApiError
					? error
					: new NodeOperationError(this.getNode(), error as Error, { itemIndex });
			}
			output.push({ json: { error: (error as Error).message }, pairedItem: { item: itemIndex } });
		}
	}
	return output;
}
