/** LLM Chat's options for fallback models, prices and a budget. */
import type { INodeProperties } from 'n8n-workflow';

import {
	FALLBACK_COOL_DOWN_MS,
	FALLBACK_FAILURES_BEFORE_COOL_DOWN,
} from '../../../shared/defaults';

export const fallbackModels: INodeProperties = {
	displayName: 'Fallback Models',
	name: 'fallbackModels',
	type: 'string',
	default: '',
	placeholder: 'e.g. meta-llama/Llama-3.3-70B-Instruct-Turbo, openai/gpt-oss-20b',
	description: `Model IDs on the same credential, separated by commas or new lines, tried in order when the model fails after its retries with a server error (5xx) or timeout, a rate limit the retries did not clear, an unknown or unavailable model, or a prompt too long for its context. Never on an authentication, billing or quota error, and never on a content-policy refusal: sending a refused prompt to another model would bypass the first one's safety checks. When streaming, only before the first text was sent. After ${FALLBACK_FAILURES_BEFORE_COOL_DOWN} failures in a row a model is skipped for ${FALLBACK_COOL_DOWN_MS / 1000} s (shared by all executions on this n8n process). The output's "fallbackFrom" says when a fallback answered, and why.`,
};

export const pricesPerMillionTokens: INodeProperties = {
	displayName: 'Prices per Million Tokens',
	name: 'pricesPerMillionTokens',
	type: 'fixedCollection',
	default: {},
	placeholder: 'Add Prices',
	description:
		"What the model costs, in USD per million tokens, for the output's \"cost\". Overrides the prices of the provider's model list (Together AI and the Hugging Face router list them; OpenAI's API does not).",
	options: [
		{
			displayName: 'Prices',
			name: 'prices',
			values: [
				{
					displayName: 'Input',
					name: 'input',
					type: 'number',
					typeOptions: { minValue: 0, numberPrecision: 4 },
					default: 0,
					description: 'USD per million prompt tokens',
				},
				{
					displayName: 'Cached Input',
					name: 'cachedInput',
					type: 'number',
					typeOptions: { minValue: 0, numberPrecision: 4 },
					default: 0,
					description: 'USD per million cached prompt tokens; 0: the Input price',
				},
				{
					displayName: 'Output',
					name: 'output',
					type: 'number',
					typeOptions: { minValue: 0, numberPrecision: 4 },
					default: 0,
					description: 'USD per million completion tokens (reasoning included)',
				},
			],
		},
	],
};

export const budgetPerExecution: INodeProperties = {
	displayName: 'Budget per Execution (USD)',
	name: 'budgetPerExecution',
	type: 'number',
	typeOptions: { minValue: 0, numberPrecision: 4 },
	default: 0,
	description:
		'Once the answers of this node in this execution have cost this much, the remaining items fail before any request. Items already sent still finish, so with concurrent requests the spending can pass it by a few answers. Needs known prices (the model list or Prices per Million Tokens); an answer whose price is unknown is not counted. 0: no budget.',
};

export const reliabilityOptions = [fallbackModels, pricesPerMillionTokens, budgetPerExecution];
