import type {
	INodeType,
	INodeTypeDescription,
	ISupplyDataFunctions,
	SupplyData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { llmChatApiTest } from '../shared/methods/credentialTest';
import { PROVIDER_IDS, PROVIDERS } from '../shared/providers';
import { searchModels } from '../shared/methods/searchModels';
import { properties } from './description';
import { supplyChatModel } from './model/supply';

const PROVIDER_NAMES = Object.fromEntries(
	PROVIDER_IDS.map((id) => [id, PROVIDERS[id].displayName]),
);

export class LlmChatModel implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LLM Chat Model',
		name: 'llmChatModel',
		icon: { light: 'file:llmChatModel.svg', dark: 'file:llmChatModel.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: `={{ $parameter["model"]?.cachedResultName || $parameter["model"]?.value || ${JSON.stringify(PROVIDER_NAMES)}[$parameter["provider"]] }}`,
		description:
			'Chat model for AI Agents and chains, on Together AI, Hugging Face or OpenAI, with LLM Chat’s retries, rate limits and provider dialects',
		defaults: { name: 'LLM Chat Model' },
		inputs: [],
		outputs: [NodeConnectionTypes.AiLanguageModel],
		outputNames: ['Model'],
		// Listed literally (not built from the provider table) so n8n's linter can see each credential is tested.
		credentials: [
			{
				name: 'llmChatTogetherAiApi',
				required: true,
				testedBy: 'llmChatApiTest',
				displayOptions: { show: { provider: ['togetherAi'] } },
			},
			{
				name: 'llmChatHuggingFaceTgiApi',
				required: true,
				testedBy: 'llmChatApiTest',
				displayOptions: { show: { provider: ['huggingFaceTgi'] } },
			},
			{
				name: 'llmChatOpenAiApi',
				required: true,
				testedBy: 'llmChatApiTest',
				displayOptions: { show: { provider: ['openAi'] } },
			},
		],
		properties,
	};

	methods = {
		listSearch: { searchModels },
		credentialTest: { llmChatApiTest },
	};

	async supplyData(this: ISupplyDataFunctions, itemIndex: number): Promise<SupplyData> {
		return await supplyChatModel.call(this, itemIndex);
	}
}
