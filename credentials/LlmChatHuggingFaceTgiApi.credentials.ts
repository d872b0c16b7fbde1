import type { ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

import { authenticateLlmChat, llmChatCredentialProperties } from './shared/llmChatApiCredential';

/** The type name keeps "Tgi": it is stored in users' workflows and credentials. */
export class LlmChatHuggingFaceTgiApi implements ICredentialType {
	name = 'llmChatHuggingFaceTgiApi';

	// Not "Hugging Face API": n8n ships a credential of that name, and the two would look alike in the picker.
	displayName = 'Hugging Face Router or TGI API';

	icon: Icon = { light: 'file:icons/huggingface.svg', dark: 'file:icons/huggingface.dark.svg' };

	documentationUrl = 'https://huggingface.co/settings/tokens';

	properties: INodeProperties[] = [
		{
			displayName: 'Server Kind',
			name: 'serverKind',
			type: 'options',
			options: [
				{
					name: 'Hugging Face Router (Inference Providers)',
					value: 'router',
					description: "Hugging Face's OpenAI-compatible router in front of many providers",
				},
				{
					name: 'Self-Hosted TGI / Inference Endpoint',
					value: 'selfHosted',
					description:
						'A Text Generation Inference server of your own, or a dedicated Inference Endpoint',
				},
			],
			default: 'router',
			description:
				"Which server the Base URL points at: the router speaks OpenAI's dialect, a TGI server its own (response formats, tools)",
		},
		...llmChatCredentialProperties({
			baseUrl: 'https://router.huggingface.co',
			apiVersion: 'v1',
			baseUrlHint:
				'Router: https://router.huggingface.co (API Version v1); pick a provider with a model suffix such as :novita. Self-hosted TGI: http://host:8080 (API Version v1).',
			apiVersionHint: 'v1 for the router and for a self-hosted TGI server',
		}),
	];

	authenticate = authenticateLlmChat;
}
