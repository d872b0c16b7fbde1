// A thinking model in a real n8n agent's tool loop, against a provider that enforces DeepSeek's
// rule; and the two known limits of n8n's SDK adapter, each a test that fails loudly the day
// n8n lifts it (then the README's "What works with n8n's AI nodes" must say so).
const assert = require('node:assert/strict');
const { after, before, describe, it } = require('node:test');

const { FaultServer } = require('../test/support/faultServer.ts');
const { thinkingProvider, thoughtFor } = require('../test/support/thinkingProvider.ts');
const { agent, aiWorkflow, chatModel, codeTool } = require('./agentWorkflows');
const w = require('./aiNodeWorkflows');
const { reasonedReply, requestText } = require('./schemaProvider');
const { readStream } = require('./streamReader');
const { streamingChatTrigger } = require('./workflows');

const manualTrigger = { id: 't', name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
const QUESTION = 'What is the weather in Paris and in Rome?';

/** The reasoning each assistant turn after the last user message carried, in order. */
function loopReasoning(body) {
	const lastUser = body.messages.map((m) => m.role).lastIndexOf('user');
	return body.messages.slice(lastUser + 1).filter((m) => m.role === 'assistant').map((m) => m.reasoning_content);
}

function describeReasoningLoopTests({ providers, key, live }) {
	describe('a thinking model in the tool loop, and the limits of n8n’s SDK adapter', () => {
		let server;
		let credential;
		const p = providers[0];
		const model = (parameters = {}) => chatModel({ ...p, credential, parameters: { model: { __rl: true, mode: 'id', value: 'deepseek-reasoner' }, ...parameters } });
		before(async () => {
			server = await new FaultServer({ key }).start();
			credential = await live().client.createCredential('thinking e2e', p.credentialType, { apiKey: key, baseUrl: `${server.url}${p.prefix}/`, apiVersion: p.apiVersion });
		});
		after(async () => await server?.stop());
		const checkLoop = (sent) => {
			assert.equal(sent.length, 3, JSON.stringify(sent.map((r) => r.body.messages)).slice(0, 1500));
			// Each tool-call turn of this question went back with its own reasoning.
			assert.deepEqual(loopReasoning(sent[2].body), [thoughtFor(0), thoughtFor(1)]);
		};

		it('AI Agent with a tool (Manual Trigger): two tool rounds, each turn with its reasoning, the loop completes', async () => {
			const { client } = live();
			server.reset();
			server.decide = thinkingProvider('deepseek');
			const saved = await client.createWorkflow(aiWorkflow('thinking agent', { trigger: manualTrigger, root: agent(QUESTION), model: model(), tool: codeTool() }));
			const execution = await client.runWorkflow(saved, 'Manual Trigger');
			assert.equal(execution.status, 'success', JSON.stringify(execution.data.resultData.error ?? {}).slice(0, 800));
			assert.match(execution.data.resultData.runData['AI Agent'][0].data.main[0][0].json.output, /^Weather: .*Paris.* \| .*Rome/);
			checkLoop(server.seen);
		});

		it('AI Agent with a tool, streaming behind a Chat Trigger: the loop completes, no reasoning in the chat', async () => {
			const { client, n8n } = live();
			server.reset();
			server.decide = thinkingProvider('kimi');
			const webhookId = `thinking-chat-${Date.now()}`;
			const saved = await client.createWorkflow(aiWorkflow('thinking chat', { trigger: streamingChatTrigger(webhookId), root: agent(), model: model(), tool: codeTool() }));
			await client.activateWorkflow(saved);
			const lines = await readStream(`${n8n.baseUrl}/webhook/${webhookId}/chat`, { action: 'sendMessage', sessionId: 'thinking', chatInput: QUESTION });
			const text = lines.filter((l) => l.chunk.type === 'item').map((l) => l.chunk.content).join('');
			const errors = lines.filter((l) => l.chunk.type === 'error');
			assert.deepEqual(errors, [], JSON.stringify(errors));
			assert.match(text, /^Weather: .*Paris.* \| .*Rome/);
			assert.ok(!text.includes('Thinking at step'), text);
			assert.ok(server.seen.every((request) => request.body.stream === true));
			checkLoop(server.seen);
		});

		it('a provider error in the streaming agent reaches the chat with the provider’s message', async () => {
			const { client, n8n } = live();
			server.reset();
			server.decide = thinkingProvider('deepseek');
			const webhookId = `thinking-none-${Date.now()}`;
			const saved = await client.createWorkflow(aiWorkflow('thinking none', { trigger: streamingChatTrigger(webhookId), root: agent(), model: model({ options: { keepReasoningInHistory: 'none' } }), tool: codeTool() }));
			await client.activateWorkflow(saved);
			const lines = await readStream(`${n8n.baseUrl}/webhook/${webhookId}/chat`, { action: 'sendMessage', sessionId: 'none', chatInput: QUESTION });
			const shown = JSON.stringify(lines.filter((l) => l.chunk.type === 'error').map((l) => l.chunk.content));
			assert.match(shown, /Missing `reasoning_content` field in the assistant message/, shown);
		});

		it('LIMIT (n8n-io/n8n#35867, #38016): the Auto-fixing Output Parser reads the fixed answer as "[object Object]"', async () => {
			const { client } = live();
			server.reset();
			// First the chain's answer that is not JSON, then a valid fix the parser cannot read.
			server.decide = (_request, n) => ({ kind: 'reply', status: 200, body: reasonedReply(n === 1 ? 'not json' : '{"answer": "Paris"}') });
			const saved = await client.createWorkflow(w.autoFixingWorkflow('auto-fixing limit', { trigger: manualTrigger, model: chatModel({ ...p, credential }) }));
			const execution = await client.runWorkflow(saved, 'Manual Trigger');
			assert.equal(server.seen.length, 2, 'the Auto-fixing Output Parser did not ask the model for a fix');
			assert.equal(
				execution.status,
				'error',
				'LIMIT GONE: the Auto-fixing Output Parser now reads the fixed answer of LLM Chat Model. Move it from "Known limits" to the working rows of README "What works with n8n\'s AI nodes", and turn this test around.',
			);
			assert.equal(execution.data.resultData.error.message, "Model output doesn't fit required format");
			// The fix was valid JSON; what the parser got to read was the parts' toString().
			assert.match(JSON.stringify(execution.data.resultData.runData['Structured Output Parser']), /"text":"\[object Object\]/);
		});

		it('LIMIT: a Basic LLM Chain image from binary data does not reach the provider', async () => {
			const { client } = live();
			server.reset();
			const messages = { messageValues: [{ type: 'HumanMessagePromptTemplate', messageType: 'imageBinary', binaryImageDataKey: 'data', imageDetail: 'auto' }] };
			const root = { ...w.chainWithParser('What is in the image?', messages), parameters: { promptType: 'define', text: 'What is in the image?', messages } };
			const saved = await client.createWorkflow(aiWorkflow('image limit', { trigger: manualTrigger, input: w.pngInput(), root, model: chatModel({ ...p, credential }) }));
			const execution = await client.runWorkflow(saved, 'Manual Trigger');
			assert.equal(execution.status, 'success', JSON.stringify(execution.data.resultData.error ?? {}).slice(0, 800));
			const user = server.seen[0].body.messages.filter((m) => m.role === 'user');
			assert.match(requestText({ messages: user }), /What is in the image\?/);
			const images = user.flatMap((m) => (Array.isArray(m.content) ? m.content : [])).filter((part) => part.type === 'image_url');
			assert.deepEqual(
				images,
				[],
				'LIMIT GONE: the image reaches the provider through n8n\'s SDK adapter. Move it from "Known limits" to the working rows of README "What works with n8n\'s AI nodes", and turn this test around.',
			);
		});
	});
}

module.exports = { describeReasoningLoopTests };
