import type { ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

import { authenticateLlmChat, llmChatCredentialProperties } from './shared/llmChatApiCredential';

export class LlmChatHuggingFaceTgiApi implements ICredentialType {
	name = 'llmChatHuggingFaceTgiApi';

	displayName = 'Hugging Face TGI API';

	icon: Icon = { light: 'file:icons/huggingface.svg', dark: 'file:icons/huggingface.dark.svg' };

	documentationUrl = 'https://huggingface.co/settings/tokens';

	properties: INodeProperties[] = llmChatCredentialProperties({
		baseUrl: 'https://router.huggingface.co/novita',
		apiVersion: 'v3/openai',
		baseUrlHint:
			'Hugging Face router with a provider: https://router.huggingface.co/novita (API Version v3/openai). Router with automatic provider: https://router.huggingface.co (API Version v1). Self-hosted TGI: http://host:8080 (API Version v1).',
		apiVersionHint:
			'v3/openai for the Novita route, v1 for the router root and for a self-hosted TGI server',
	});

	authenticate = authenticateLlmChat;
}
