import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ProviderId } from '../providers';
import { isModelList, normalizeModelList, PROVIDERS } from '../providers';
import { apiRequest, resolveEndpoint } from '../transport';

/** The model picker: the chosen credential's `GET {base}/{version}/models`, chat models only. */
export async function searchModels(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const provider = PROVIDERS[this.getNodeParameter('provider', 'openAi') as ProviderId];
	const endpoint = await resolveEndpoint.call(this, provider);
	const body = await apiRequest.call(this, endpoint, 'GET', provider.modelsPath, undefined, {
		timeoutMs: 30_000,
		maxRetries: 1,
	});
	if (!isModelList(body)) {
		throw new NodeOperationError(
			this.getNode(),
			`${provider.displayName} did not answer with a model list`,
			{
				description: "Check the credential's Base URL and API Version.",
			},
		);
	}
	const needle = (filter ?? '').trim().toLowerCase();
	const results = normalizeModelList(body)
		.filter((model) => provider.isChatModel(model))
		.filter(
			(model) =>
				needle === '' ||
				model.id.toLowerCase().includes(needle) ||
				String(model.name ?? '')
					.toLowerCase()
					.includes(needle),
		)
		.sort((a, b) => a.id.localeCompare(b.id))
		.map((model) => ({ name: model.id, value: model.id }));
	return { results };
}
