import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { fetchModels } from '../../../shared/fetchModels';
import type { Provider } from '../../../shared/providers';
import { failedItem } from '../itemError';

export async function execute(
	this: IExecuteFunctions,
	provider: Provider,
): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const { allTypes } = this.getNodeParameter('listOptions', itemIndex, {}) as IDataObject;
			const chatOnly = allTypes !== true;
			for (const model of await fetchModels.call(this, provider, { chatOnly, itemIndex }))
				output.push({ json: model, pairedItem: { item: itemIndex } });
		} catch (error) {
			output.push(failedItem(this, error, itemIndex, continueOnFail));
		}
	}
	return output;
}
