import type { ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

import { authenticateLlmChat, llmChatCredentialProperties } from './shared/llmChatApiCredential';

export class LlmChatTogetherAiApi implements ICredentialType {
	name = 'llmChatTogetherAiApi';

	displayName = 'Together AI API';

	icon: Icon = { light: 'file:icons/together.svg', dark: 'file:icons/together.dark.svg' };

	documentationUrl = 'https://api.together.ai/settings/api-keys';

	properties: INodeProperties[] = llmChatCredentialProperties({
		baseUrl: 'https://api.together.xyz',
		apiVersion: 'v1',
		baseUrlHint:
			'https://api.together.xyz (or https://api.together.ai), or an OpenAI-compatible proxy in front of it',
		apiVersionHint: 'v1 for Together AI',
	});

	authenticate = authenticateLlmChat;
}
