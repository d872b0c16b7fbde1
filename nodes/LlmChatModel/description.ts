import type { INodeProperties } from 'n8n-workflow';

import { modelProperty, providerProperty } from '../shared/chat/model.description';
import { chatOptionFields, optionLabels } from '../shared/chat/options.description';

/** The agent asks for one answer and brings its own tools, so those options are LLM Chat's only. */
const NOT_FOR_AN_AGENT = new Set(['n', 'tools']);

const modelOptions: INodeProperties[] = chatOptionFields
	.filter((field) => !NOT_FOR_AN_AGENT.has(field.name))
	.map((field) =>
		field.name === 'keepReasoningInHistory'
			? {
					...field,
					description:
						"Which of the agent's earlier turns get the model's reasoning back when the agent sends its history",
				}
			: field,
	)
	.sort((a, b) => a.displayName.localeCompare(b.displayName));

/** What the sub-node's Options offer, so its error hints name only these. */
export const offeredOptions = optionLabels(modelOptions);

export const properties: INodeProperties[] = [
	providerProperty,
	modelProperty,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: modelOptions,
	},
];
