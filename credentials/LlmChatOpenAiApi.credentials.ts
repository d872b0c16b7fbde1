import type { ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

import { authenticateLlmChat, llmChatCredentialProperties } from './shared/llmChatApiCredential';

export class LlmChatOpenAiApi implements ICredentialType {
	name = 'llmChatOpenAiApi';

	displayName = 'OpenAI API';

	icon: Icon = { light: 'file:icons/openai.svg', dark: 'file:icons/openai.dark.svg' };

	documentationUrl = 'https://platform.openai.com/api-keys';

	properties: INodeProperties[] = llmChatCredentialProperties({
		baseUrl: 'https://api.openai.com',
		apiVersion: 'v1',
		baseUrlHint:
			'https://api.openai.com for OpenAI, or the address of any OpenAI-compatible proxy or gateway',
		apiVersionHint: 'v1 for OpenAI and most OpenAI-compatible servers',
	});

	authenticate = authenticateLlmChat;
}
