// Workflow JSON as the editor saves it: Manual Trigger -> (Set | Code) -> LLM Chat.
const LLM_CHAT = 'n8n-nodes-llm-chat.llmChat';

function manualTrigger() {
	return { id: 't', name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
}

function setQuestion(question) {
	return {
		id: 's',
		name: 'Set',
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		position: [220, 0],
		parameters: { assignments: { assignments: [{ id: 'a1', name: 'question', value: question, type: 'string' }] }, options: {} },
	};
}

function codeQuestions(questions) {
	return {
		id: 's',
		name: 'Set',
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [220, 0],
		parameters: { jsCode: `return ${JSON.stringify(questions)}.map((question) => ({ json: { question } }));` },
	};
}

function llmChat({ provider, credentialType, credential, parameters = {}, onError }) {
	return {
		id: 'l',
		name: 'LLM Chat',
		type: LLM_CHAT,
		typeVersion: 1,
		position: [440, 0],
		parameters: {
			provider,
			model: { __rl: true, mode: 'id', value: 'e2e-model-large' },
			messages: { values: [{ role: 'user', content: '={{ $json.question }}' }] },
			...parameters,
		},
		credentials: { [credentialType]: { id: credential.id, name: credential.name } },
		...(onError ? { onError } : {}),
	};
}

function workflow(name, input, chat) {
	return {
		name,
		active: false,
		nodes: [manualTrigger(), input, chat],
		connections: {
			'Manual Trigger': { main: [[{ node: 'Set', type: 'main', index: 0 }]] },
			Set: { main: [[{ node: 'LLM Chat', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/** Trigger -> LLM Chat for the streaming tests: a Webhook or a Chat Trigger in streaming mode. */
function streamingWorkflow(name, trigger, chat) {
	return {
		name,
		active: false,
		nodes: [trigger, { ...chat, position: [220, 0] }],
		connections: { [trigger.name]: { main: [[{ node: 'LLM Chat', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

function streamingWebhook(path) {
	return {
		id: 'w',
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2.1,
		position: [0, 0],
		webhookId: path,
		parameters: { httpMethod: 'POST', path, responseMode: 'streaming', options: {} },
	};
}

function streamingChatTrigger(webhookId) {
	return {
		id: 'c',
		name: 'When chat message received',
		type: '@n8n/n8n-nodes-langchain.chatTrigger',
		typeVersion: 1.4,
		position: [0, 0],
		webhookId,
		parameters: { public: true, options: { responseMode: 'streaming' } },
	};
}

module.exports = { codeQuestions, llmChat, setQuestion, streamingChatTrigger, streamingWebhook, streamingWorkflow, workflow };
