/** The model list, fetched through the transport and filtered by the dialect the credential picked. */
import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';

import { MODEL_LIST_POLICY } from './defaults';
import type { ModelInfo } from './models';
import { isModelList, normalizeModelList } from './models';
import type { Provider } from './providers';
import { apiRequest, resolveEndpoint } from './transport';

/**
 * `GET {base}/{version}/models`, checked and normalised. `chatOnly` keeps the models the
 * credential's dialect counts as chat models (a self-hosted TGI serves one, whatever it is).
 */
export async function fetchModels(
	this: IExecuteFunctions | ILoadOptionsFunctions,
	provider: Provider,
	{ chatOnly, itemIndex }: { chatOnly: boolean; itemIndex?: number },
): Promise<ModelInfo[]> {
	const endpoint = await resolveEndpoint.call(this, provider);
	const body = await apiRequest.call(this, endpoint, 'GET', provider.modelsPath, undefined, {
		...MODEL_LIST_POLICY,
		itemIndex,
		expect: { what: 'a model list', check: isModelList },
	});
	const models = normalizeModelList(body);
	return chatOnly ? models.filter((model) => endpoint.provider.isChatModel(model)) : models;
}
