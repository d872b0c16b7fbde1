// LLM Chat Model under each of n8n's AI root nodes in a real n8n, against a provider whose
// replies carry reasoning: what the README's table "What works with n8n's AI nodes" claims.
const assert = require('node:assert/strict');
const { after, before, describe, it } = require('node:test');

const { FaultServer } = require('../test/support/faultServer.ts');
const { agent, aiWorkflow, chatModel } = require('./agentWorkflows');
const w = require('./aiNodeWorkflows');
const { schemaReply } = require('./schemaProvider');

const manualTrigger = { id: 't', name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };

const ranOk = (execution) => {
	assert.equal(execution.status, 'success', JSON.stringify(execution.data.resultData.error ?? {}).slice(0, 800));
	return execution.data.resultData.runData;
};
const outputs = (runData, name) => runData[name][0].data.main.map((items) => (items ?? []).map((item) => item.json));

function describeAiNodeTests({ providers, key, live }) {
	describe("LLM Chat Model with n8n's AI nodes", () => {
		let server;
		let credential;
		const p = providers[0];
		const model = (parameters = {}, name = 'LLM Chat Model') => ({ ...chatModel({ ...p, credential, parameters }), name, id: name });
		before(async () => {
			server = await new FaultServer({ key }).start();
			credential = await live().client.createCredential('AI nodes e2e', p.credentialType, { apiKey: key, baseUrl: `${server.url}${p.prefix}/`, apiVersion: p.apiVersion });
		});
		after(async () => await server?.stop());
		const run = async (name, workflow, decide = (request) => ({ kind: 'reply', status: 200, body: schemaReply(request.body) })) => {
			server.reset();
			server.decide = (request, n) => (request.body?.model === 'broken-model' ? { kind: 'reply', status: 400, body: { error: { message: 'The model `broken-model` does not exist' } } } : decide(request, n));
			const { client } = live();
			const saved = await client.createWorkflow({ ...workflow, name });
			return await client.runWorkflow(saved, 'Manual Trigger');
		};

		it('Guardrails (an LLM check) with a reply that carries reasoning: the text passes', async () => {
			const runData = ranOk(await run('guardrails', aiWorkflow('g', { trigger: manualTrigger, root: w.guardrails('What is the weather in Paris?'), model: model() })));
			const [pass, fail] = outputs(runData, 'Guardrails');
			assert.equal(pass.length, 1, `failed the check: ${JSON.stringify(fail)}`);
			assert.equal(fail?.length ?? 0, 0);
			assert.ok(server.seen[0].body.messages.some((m) => /confidenceScore/.test(m.content)));
		});

		it('Basic LLM Chain + Structured Output Parser: the parsed object', async () => {
			const workflow = w.withSubNodes(aiWorkflow('c', { trigger: manualTrigger, root: w.chainWithParser('What is the capital of France?'), model: model() }), [w.structuredParser()], {
				'Structured Output Parser': { ai_outputParser: [[{ node: 'Basic LLM Chain', type: 'ai_outputParser', index: 0 }]] },
			});
			const runData = ranOk(await run('chain + parser', workflow));
			assert.deepEqual(outputs(runData, 'Basic LLM Chain')[0][0].output, { answer: 'Paris' });
		});

		it('Information Extractor, Text Classifier, Sentiment Analysis: each answers from the schema', async () => {
			const ie = ranOk(await run('extractor', aiWorkflow('ie', { trigger: manualTrigger, root: w.informationExtractor('Paris is lovely.'), model: model() })));
			assert.deepEqual(outputs(ie, 'Information Extractor')[0][0].output, { city: 'Paris' });
			const tc = ranOk(await run('classifier', aiWorkflow('tc', { trigger: manualTrigger, root: w.textClassifier('It is sunny'), model: model() })));
			assert.deepEqual(outputs(tc, 'Text Classifier').map((items) => items.length), [1, 0]);
			const sa = ranOk(await run('sentiment', aiWorkflow('sa', { trigger: manualTrigger, root: w.sentimentAnalysis('I love it'), model: model() })));
			assert.deepEqual(outputs(sa, 'Sentiment Analysis').map((items) => items.length), [1, 0, 0]);
		});

		it('Summarization Chain: a summary of the input', async () => {
			const input = { id: 'i', name: 'Text', type: 'n8n-nodes-base.code', typeVersion: 2, position: [220, 0], parameters: { jsCode: "return [{ json: { text: 'Paris is the capital of France. It has many museums.' } }];" } };
			const runData = ranOk(await run('summary', aiWorkflow('s', { trigger: manualTrigger, input, root: w.summarizationChain(), model: model() })));
			const [[item]] = outputs(runData, 'Summarization Chain');
			assert.match(JSON.stringify(item), /echo: /);
		});

		it('AI Agent with a fallback model: the second LLM Chat Model answers when the first fails', async () => {
			const root = { ...agent('What is the weather in Paris?'), parameters: { promptType: 'define', text: 'What is the weather in Paris?', needsFallback: true, options: {} } };
			const primary = model({ model: { __rl: true, mode: 'id', value: 'broken-model' } }, 'Primary Model');
			const fallback = model({}, 'Fallback Model');
			const workflow = w.withSubNodes(aiWorkflow('f', { trigger: manualTrigger, root, model: primary }), [fallback], {
				'Fallback Model': { ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 1 }]] },
			});
			const runData = ranOk(await run('fallback', workflow));
			assert.match(outputs(runData, 'AI Agent')[0][0].output, /^echo: /);
			assert.deepEqual(server.seen.map((request) => request.body.model), ['broken-model', 'e2e-model-large']);
		});
	});
}

module.exports = { describeAiNodeTests };
