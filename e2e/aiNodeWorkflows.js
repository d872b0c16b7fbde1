// Workflow JSON for n8n's AI root nodes with LLM Chat Model on their Model input: Guardrails,
// chains with output parsers, classifiers, a summarization chain, an agent with a fallback.
const { aiWorkflow } = require('./agentWorkflows');

const LANGCHAIN = '@n8n/n8n-nodes-langchain';
const node = (name, type, typeVersion, parameters, position = [440, 0]) => ({ id: name, name, type: `${LANGCHAIN}.${type}`, typeVersion, position, parameters });

const guardrails = (text) => node('Guardrails', 'guardrails', 2, { operation: 'classify', text, guardrails: { jailbreak: { value: { threshold: 0.7 } } } });

/** A Basic LLM Chain asking for JSON; `messages` adds prompt messages (an image, say). */
const chainWithParser = (text, messages) =>
	node('Basic LLM Chain', 'chainLlm', 1.7, { promptType: 'define', text, hasOutputParser: true, ...(messages ? { messages } : {}) });

const structuredParser = (position = [640, 220]) =>
	node('Structured Output Parser', 'outputParserStructured', 1.3, { schemaType: 'fromJson', jsonSchemaExample: '{"answer": "Paris"}' }, position);

const autoFixingParser = () => node('Auto-fixing Output Parser', 'outputParserAutofixing', 1, { options: {} }, [640, 220]);

const informationExtractor = (text) =>
	node('Information Extractor', 'informationExtractor', 1.2, {
		text,
		schemaType: 'fromAttributes',
		attributes: { attributes: [{ name: 'city', type: 'string', description: 'The city named', required: true }] },
		options: {},
	});

const textClassifier = (inputText) =>
	node('Text Classifier', 'textClassifier', 1.1, {
		inputText,
		categories: { categories: [{ category: 'Weather', description: 'About the weather' }, { category: 'Other', description: 'Anything else' }] },
		options: {},
	});

const sentimentAnalysis = (inputText) => node('Sentiment Analysis', 'sentimentAnalysis', 1.1, { inputText, options: {} });

const summarizationChain = () => node('Summarization Chain', 'chainSummarization', 2.1, { operationMode: 'nodeInputJson', chunkingMode: 'simple', options: {} });

/** A Code node whose one item carries a 1×1 PNG as binary `data`, as a file upload would. */
const pngInput = () => ({
	id: 'png',
	name: 'Image',
	type: 'n8n-nodes-base.code',
	typeVersion: 2,
	position: [220, 0],
	parameters: {
		jsCode:
			"return [{ json: {}, binary: { data: { data: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', mimeType: 'image/png', fileName: 'dot.png' } } }];",
	},
});

const link = (from, to, type, index = 0) => ({ [from]: { [type]: [[{ node: to, type, index }]] } });

/** aiWorkflow plus sub-nodes on other inputs: `extra` nodes and their connections. */
function withSubNodes(workflow, extra, connections) {
	const merged = { ...workflow.connections };
	for (const [from, outputs] of Object.entries(connections)) {
		merged[from] = { ...(merged[from] ?? {}) };
		for (const [type, targets] of Object.entries(outputs)) merged[from][type] = [[...(merged[from][type]?.[0] ?? []), ...targets[0]]];
	}
	return { ...workflow, nodes: [...workflow.nodes, ...extra], connections: merged };
}

/** Basic LLM Chain <- Auto-fixing Output Parser (its own model: the same LLM Chat Model) <- Structured Output Parser. */
function autoFixingWorkflow(name, { trigger, model }) {
	const chain = chainWithParser('What is the capital of France?');
	const base = aiWorkflow(name, { trigger, root: chain, model });
	return withSubNodes(base, [autoFixingParser(), structuredParser([840, 420])], {
		'Auto-fixing Output Parser': { ai_outputParser: [[{ node: chain.name, type: 'ai_outputParser', index: 0 }]] },
		'Structured Output Parser': { ai_outputParser: [[{ node: 'Auto-fixing Output Parser', type: 'ai_outputParser', index: 0 }]] },
		[model.name]: { ai_languageModel: [[{ node: 'Auto-fixing Output Parser', type: 'ai_languageModel', index: 0 }]] },
	});
}

module.exports = {
	autoFixingWorkflow,
	chainWithParser,
	guardrails,
	informationExtractor,
	link,
	pngInput,
	sentimentAnalysis,
	structuredParser,
	summarizationChain,
	textClassifier,
	withSubNodes,
};
