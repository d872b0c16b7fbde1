// Workflow JSON for the LLM Chat Model sub-node, as the editor saves it: an AI Agent with a
// Code tool, a Basic LLM Chain, or a streaming Chat Trigger in front of an agent.
const LANGCHAIN = '@n8n/n8n-nodes-langchain';

function chatModel({ provider, credentialType, credential, parameters = {} }) {
	return {
		id: 'm',
		name: 'LLM Chat Model',
		type: 'n8n-nodes-llm-chat.llmChatModel',
		typeVersion: 1,
		position: [440, 220],
		parameters: { provider, model: { __rl: true, mode: 'id', value: 'e2e-model-large' }, options: {}, ...parameters },
		credentials: { [credentialType]: { id: credential.id, name: credential.name } },
	};
}

/** n8n's own OpenAI Chat Model, for the benchmark's comparison on the same server. */
function openAiChatModel(credential) {
	return {
		id: 'm',
		name: 'OpenAI Chat Model',
		type: `${LANGCHAIN}.lmChatOpenAi`,
		typeVersion: 1.2,
		position: [440, 220],
		parameters: { model: { __rl: true, mode: 'id', value: 'e2e-model-large' }, options: {} },
		credentials: { openAiApi: { id: credential.id, name: credential.name } },
	};
}

function agent(prompt) {
	return {
		id: 'a',
		name: 'AI Agent',
		type: `${LANGCHAIN}.agent`,
		typeVersion: 3.1,
		position: [440, 0],
		parameters: prompt === undefined ? { options: {} } : { promptType: 'define', text: prompt, options: {} },
	};
}

function codeTool() {
	return {
		id: 'k',
		name: 'Weather',
		type: `${LANGCHAIN}.toolCode`,
		typeVersion: 1.3,
		position: [640, 220],
		parameters: {
			description: 'Returns the weather in a city',
			language: 'javaScript',
			jsCode: "return '21 degrees in ' + query;",
		},
	};
}

function chain() {
	return {
		id: 'c',
		name: 'Basic LLM Chain',
		type: `${LANGCHAIN}.chainLlm`,
		typeVersion: 1.7,
		position: [440, 0],
		parameters: { promptType: 'define', text: '={{ $json.question }}' },
	};
}

const feeds = (from, to, type = 'main') => ({ [from]: { [type]: [[{ node: to, type, index: 0 }]] } });

/** trigger (-> input) -> root (AI Agent or chain), with the model (and tool) on the root's inputs. */
function aiWorkflow(name, { trigger, input, root, model, tool }) {
	const nodes = [trigger, ...(input ? [input] : []), root, model, ...(tool ? [tool] : [])];
	return {
		name,
		active: false,
		nodes,
		connections: {
			...(input ? { ...feeds(trigger.name, input.name), ...feeds(input.name, root.name) } : feeds(trigger.name, root.name)),
			...feeds(model.name, root.name, 'ai_languageModel'),
			...(tool ? feeds(tool.name, root.name, 'ai_tool') : {}),
		},
		settings: { executionOrder: 'v1' },
	};
}

module.exports = { agent, aiWorkflow, chain, chatModel, codeTool, openAiChatModel };
