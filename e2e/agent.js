// The LLM Chat Model sub-node in a real n8n: an AI Agent with a Code tool on each
// credential, a Basic LLM Chain over 20 items, and a streaming Chat Trigger -> agent.
const assert = require('node:assert/strict');
const { after, before, describe, it } = require('node:test');

const { startFakeProvider } = require('./fakeProvider');
const { agent, aiWorkflow, chain, chatModel, codeTool } = require('./agentWorkflows');
const { readStream } = require('./streamReader');
const { codeQuestions, streamingChatTrigger } = require('./workflows');

const manualTrigger = { id: 't', name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };

function ranOk(execution) {
	assert.equal(execution.status, 'success', JSON.stringify(execution.data.resultData.error ?? {}).slice(0, 800));
	return execution.data.resultData.runData;
}

/**
 * `live()` gives the suite's running n8n and its REST client. This suite starts its own
 * fake provider, which answers like a model in an agent: a call of the first tool
 * offered, then text with the tool's result.
 */
function describeAgentTests({ providers, key, live }) {
	describe('LLM Chat Model as the model of AI Agents and chains', () => {
		let provider;
		const credentials = {};
		before(async () => {
			const { client } = live();
			provider = await startFakeProvider({ key, latencyMs: 0, callsTools: true });
			for (const p of providers) {
				const data = { apiKey: key, baseUrl: `${provider.url}${p.prefix}/`, apiVersion: p.apiVersion };
				credentials[p.provider] = await client.createCredential(`${p.provider} agent e2e`, p.credentialType, data);
			}
		});
		after(async () => await provider?.stop());

		const model = (p, parameters) => chatModel({ ...p, credential: credentials[p.provider], parameters });

		for (const p of providers) {
			it(`${p.provider}: Manual Trigger -> AI Agent with a Code tool: the tool runs and the agent answers`, async () => {
				const { client } = live();
				const saved = await client.createWorkflow(
					aiWorkflow(`agent ${p.provider}`, { trigger: manualTrigger, root: agent('What is the weather in Paris?'), model: model(p), tool: codeTool() }),
				);
				const before = provider.requests.length;
				const runData = ranOk(await client.runWorkflow(saved, 'Manual Trigger'));
				assert.ok(runData.Weather, 'the Code tool did not run');
				const sent = provider.requests.slice(before);
				assert.equal(sent.length, 2);
				for (const request of sent) {
					assert.equal(request.url, `${p.prefix}/${p.apiVersion}/chat/completions`);
					assert.equal(request.headers.authorization, `Bearer ${key}`);
					const [tool] = request.body.tools;
					assert.equal(tool.type, 'function');
					assert.equal(tool.function.name, 'Weather');
					// The Code tool's input schema, as JSON Schema in OpenAI's form.
					const { parameters } = tool.function;
					assert.equal(parameters.type, 'object', JSON.stringify(tool));
					assert.ok(Object.values(parameters.properties).some((property) => property.type === 'string'), JSON.stringify(tool));
				}
				const [call, result] = sent[1].body.messages.slice(-2);
				assert.equal(call.tool_calls[0].function.name, 'Weather');
				assert.equal(result.role, 'tool');
				assert.equal(result.tool_call_id, call.tool_calls[0].id);
				// The Code tool's return value, as n8n's agent hands it back.
				assert.match(result.content, /21 degrees in Paris/);
				assert.equal(runData['AI Agent'][0].data.main[0][0].json.output, `The tool answered: ${result.content}`);
				const modelRuns = runData['LLM Chat Model'];
				assert.equal(modelRuns.length, 2);
				assert.deepEqual(modelRuns[0].data.ai_languageModel[0][0].json.tokenUsage, { promptTokens: 3, completionTokens: 2, totalTokens: 5 });
			});
		}

		it('Basic LLM Chain over 20 items: each answer in order, paired', async () => {
			const { client } = live();
			const questions = Array.from({ length: 20 }, (_, i) => `q${i}`);
			const input = { ...codeQuestions(questions), name: 'Questions' };
			const saved = await client.createWorkflow(
				aiWorkflow('chain of 20', { trigger: manualTrigger, input, root: chain(), model: model(providers[1]) }),
			);
			const runData = ranOk(await client.runWorkflow(saved, 'Manual Trigger'));
			const output = runData['Basic LLM Chain'][0].data.main[0];
			assert.deepEqual(output.map((item) => item.json.text), questions.map((q) => `echo: ${q}`));
			assert.deepEqual(output.map((item) => item.pairedItem), questions.map((_, item) => ({ item })));
		});

		it('the example (Chat Trigger, streaming -> AI Agent with a Code tool) imports and streams its answer in chunks', async () => {
			const { client, n8n } = live();
			const example = structuredClone(require('../examples/llm-chat-model-agent.json'));
			const trigger = example.nodes.find((node) => node.name === 'When chat message received');
			// Made public, as a user does to share the chat, so this test can send a message.
			trigger.parameters.public = true;
			trigger.webhookId = `agent-chat-${Date.now()}`;
			const modelNode = example.nodes.find((node) => node.name === 'LLM Chat Model');
			modelNode.credentials = { llmChatOpenAiApi: { id: credentials.openAi.id, name: credentials.openAi.name } };
			const saved = await client.createWorkflow({ ...example, name: 'agent example' });
			await client.activateWorkflow(saved);
			const before = provider.requests.length;
			const lines = await readStream(`${n8n.baseUrl}/webhook/${trigger.webhookId}/chat`, { action: 'sendMessage', sessionId: 'agent-session', chatInput: 'What is the weather in Paris?' });
			const items = lines.filter((line) => line.chunk.type === 'item' && line.chunk.metadata?.nodeName === 'AI Agent');
			assert.ok(items.length >= 3, `expected several chunks, got ${items.length}: ${JSON.stringify(lines.map((l) => l.chunk)).slice(0, 800)}`);
			const text = items.map((line) => line.chunk.content).join('');
			assert.match(text, /^The tool answered: .*21 degrees and sunny in Paris/);
			const sent = provider.requests.slice(before);
			assert.equal(sent.length, 2);
			assert.ok(sent.every((request) => request.body.stream === true && request.body.model === 'gpt-4o-mini' && request.body.temperature === 0.2));
			assert.equal(sent[0].body.messages[0].role, 'system');
			const execution = await client.lastExecution(saved);
			assert.equal(ranOk(execution)['AI Agent'][0].data.main[0][0].json.output, text);
		});

		it('LLM Chat as a tool of a streaming agent: only the agent streams to the chat', async () => {
			const { client, n8n } = live();
			const p = providers[0];
			const webhookId = `agent-tool-${Date.now()}`;
			const tool = {
				id: 'lt',
				name: 'Ask another model',
				type: 'n8n-nodes-llm-chat.llmChatTool',
				typeVersion: 1,
				position: [640, 220],
				parameters: {
					toolDescription: 'Asks another model for a second opinion',
					provider: p.provider,
					model: { __rl: true, mode: 'id', value: 'e2e-model-small' },
					messages: { values: [{ role: 'user', content: 'Second opinion please' }] },
				},
				credentials: { [p.credentialType]: { id: credentials[p.provider].id, name: credentials[p.provider].name } },
			};
			const saved = await client.createWorkflow(
				aiWorkflow('agent with LLM Chat tool', { trigger: streamingChatTrigger(webhookId), root: agent(), model: model(p), tool }),
			);
			await client.activateWorkflow(saved);
			const lines = await readStream(`${n8n.baseUrl}/webhook/${webhookId}/chat`, { action: 'sendMessage', sessionId: 'tool-session', chatInput: 'What do you think?' });
			const execution = await client.lastExecution(saved);
			const runData = ranOk(execution);
			assert.ok(runData['Ask another model'], 'the LLM Chat tool did not run');
			const byNode = [...new Set(lines.map((line) => line.chunk.metadata?.nodeName))];
			assert.deepEqual(byNode, ['AI Agent'], JSON.stringify(lines.map((l) => l.chunk)).slice(0, 800));
			const text = lines.filter((line) => line.chunk.type === 'item').map((line) => line.chunk.content).join('');
			assert.equal(text, runData['AI Agent'][0].data.main[0][0].json.output);
			assert.match(text, /echo: Second opinion please/);
		});

		it('a wrong key: the agent fails with the provider message, and the key is nowhere in the execution', async () => {
			const { client } = live();
			const p = providers[0];
			const wrong = await client.createCredential('wrong key', p.credentialType, { apiKey: 'sk-wrong-0123456789', baseUrl: `${provider.url}${p.prefix}/`, apiVersion: p.apiVersion });
			const saved = await client.createWorkflow(
				aiWorkflow('agent wrong key', { trigger: manualTrigger, root: agent('Hi'), model: chatModel({ ...p, credential: wrong }) }),
			);
			const execution = await client.runWorkflow(saved, 'Manual Trigger');
			assert.equal(execution.status, 'error');
			const serialized = JSON.stringify(execution);
			assert.match(serialized, /Incorrect API key provided/);
			assert.ok(!serialized.includes('sk-wrong-0123456789'), 'the key appears in the execution');
		});
	});
}

module.exports = { describeAgentTests };
