import path from 'node:path';

import type {
	IConnections,
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IRun,
	ITaskData,
	IWorkflowBase,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeHelpers, Workflow } from 'n8n-workflow';

import type { RunOptions } from './engine';
import { executeFromTrigger, nodeTypesByName } from './engine';
import { manualTrigger, TRIGGER_TYPE, triggerNode } from './manualTrigger';

export const llmChatModel = nodeTypesByName.llmChatModel;
const MODEL_TYPE = 'n8n-nodes-llm-chat.llmChatModel';
const PROBE_TYPE = 'test.modelProbe';

// The LangChain that the SDK's adapter uses, as n8n's agents use theirs.
const sdkDir = path.dirname(require.resolve('@n8n/ai-utilities'));
const fromSdk = (module: string) => require(require.resolve(module, { paths: [sdkDir] }));
const { AIMessage, HumanMessage, SystemMessage, ToolMessage } = fromSdk(
	'@langchain/core/messages',
) as typeof import('@langchain/core/messages');
const { concat } = fromSdk('@langchain/core/utils/stream') as {
	concat: <T>(a: T, b: T) => T;
};
const { tool } = fromSdk('@langchain/core/tools') as typeof import('@langchain/core/tools');
const { z } = fromSdk('zod') as typeof import('zod');

/** The tool the probe offers, as n8n's agents build theirs: zod schema, run locally. */
export const weatherTool = tool(
	async ({ city }: { city: string }) => JSON.stringify({ city, temperature: 21 }),
	{
		name: 'get_weather',
		description: 'The current weather in a city',
		schema: z.object({ city: z.string().describe('The city') }),
	},
);

export type Scenario = 'chat' | 'agent' | 'stream' | 'streamAgent';

type Model = {
	invoke: (messages: unknown[]) => Promise<InstanceType<typeof AIMessage>>;
	stream: (messages: unknown[]) => Promise<AsyncIterable<InstanceType<typeof AIMessage>>>;
	bindTools: (tools: unknown[]) => Model;
};

/**
 * A root node that takes the Chat Model on its Model input and uses it as n8n's
 * agents do: one call per item, a tool-calling loop, or a stream.
 */
const modelProbe: INodeType = {
	description: {
		displayName: 'Model Probe',
		name: 'modelProbe',
		group: ['transform'],
		version: 1,
		description: '',
		defaults: { name: 'Model Probe' },
		inputs: [
			NodeConnectionTypes.Main,
			{ type: NodeConnectionTypes.AiLanguageModel, required: true, maxConnections: 1 },
		],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Scenario', name: 'scenario', type: 'string', default: 'chat' },
			{ displayName: 'History', name: 'history', type: 'json', default: '{}' },
		],
	},
	async execute(this: IExecuteFunctions) {
		const model = (await this.getInputConnectionData(
			NodeConnectionTypes.AiLanguageModel,
			0,
		)) as Model;
		const scenario = this.getNodeParameter('scenario', 0) as Scenario;
		const raw = this.getNodeParameter('history', 0, {}) as HistoryShape | string;
		const shape = (typeof raw === 'string' ? JSON.parse(raw) : raw) as HistoryShape;
		const output: INodeExecutionData[] = [];
		for (const [index, item] of this.getInputData().entries()) {
			const question = String(item.json.question ?? 'Hello');
			const history = [
				new SystemMessage('Answer briefly.'),
				...(shape.earlier ? earlierExchange() : []),
				new HumanMessage(question),
			];
			const json = await probe(model, scenario, history, shape.rebuild === true);
			output.push({ json, pairedItem: { item: index } });
		}
		return [output];
	},
};

/**
 * `earlier`: an exchange before the question, as a memory gives it, with reasoning on its
 * tool-call turn and its answer. `rebuild`: each tool-call turn goes back as n8n's agent
 * rebuilds it (buildSteps): one message per call, the call alone, no reasoning.
 */
export interface HistoryShape {
	earlier?: boolean;
	rebuild?: boolean;
}

function earlierExchange(): unknown[] {
	const call = { id: 'call_earlier', name: 'get_weather', args: { city: 'Oslo' } };
	return [
		new HumanMessage('What was the weather in Oslo?'),
		new AIMessage({
			content: [{ type: 'reasoning', reasoning: 'Oslo needs the tool.' }],
			tool_calls: [call],
		}),
		new ToolMessage({ content: '{"city":"Oslo","temperature":5}', tool_call_id: call.id }),
		new AIMessage({
			content: [
				{ type: 'text', text: 'It was 5 degrees in Oslo.' },
				{ type: 'reasoning', reasoning: 'The tool said 5.' },
			],
		}),
	];
}

async function probe(
	model: Model,
	scenario: Scenario,
	history: unknown[],
	rebuild: boolean,
): Promise<IDataObject> {
	const tools = scenario === 'agent' || scenario === 'streamAgent';
	const bound = tools ? model.bindTools([weatherTool]) : model;
	const transcript: IDataObject[] = [];
	for (let round = 0; round < 3; round++) {
		const reply =
			scenario === 'stream' || scenario === 'streamAgent'
				? await streamed(bound, history, transcript)
				: await bound.invoke(history);
		transcript.push(describe(reply));
		if (!tools || !reply.tool_calls?.length) break;
		if (!rebuild) history.push(reply);
		for (const call of reply.tool_calls) {
			const content = `Calling ${call.name} with input: ${JSON.stringify(call.args)}`;
			if (rebuild) history.push(new AIMessage({ content, tool_calls: [call] }));
			// As agents do, a tool's failure goes back to the model as the tool's result.
			const result = await weatherTool
				.invoke(call.args as { city: string })
				.catch((error: Error) => `Error: ${error.message}`);
			history.push(new ToolMessage({ content: String(result), tool_call_id: call.id ?? '' }));
		}
	}
	return { ...transcript.at(-1), rounds: transcript };
}

async function streamed(model: Model, history: unknown[], transcript: IDataObject[]) {
	let aggregated: InstanceType<typeof AIMessage> | undefined;
	const chunks: string[] = [];
	for await (const chunk of await model.stream(history)) {
		if (chunk.text) chunks.push(chunk.text);
		aggregated = aggregated ? concat(aggregated, chunk) : chunk;
	}
	transcript.push({ chunks });
	return aggregated!;
}

function describe(reply: InstanceType<typeof AIMessage>): IDataObject {
	return {
		text: reply.text,
		content: reply.content as IDataObject[],
		toolCalls: (reply.tool_calls ?? []).map((call) => ({ ...call })) as IDataObject[],
		invalidToolCalls: (reply.invalid_tool_calls ?? []).map((call) => ({
			...call,
		})) as IDataObject[],
		usage: (reply.usage_metadata ?? null) as IDataObject | null,
		finishReason: (reply.response_metadata?.finish_reason ?? null) as string | null,
	};
}

const nodeTypes: INodeTypes = {
	getByName: (type) => byType(type),
	getByNameAndVersion: (type, version) => NodeHelpers.getVersionedNodeType(byType(type), version),
	getKnownTypes: () => ({}),
};

function byType(type: string): INodeType {
	if (type === TRIGGER_TYPE) return manualTrigger;
	if (type === MODEL_TYPE) return llmChatModel;
	if (type === PROBE_TYPE) return modelProbe;
	throw new Error(`Unknown node type ${type}`);
}

export interface ModelRunOptions
	extends Pick<RunOptions, 'credentials' | 'items' | 'credentialId' | 'onStart'> {
	/** The LLM Chat Model's parameters. */
	parameters: IDataObject;
	scenario: Scenario;
	history?: HistoryShape;
}

export interface ModelRunResult {
	run: IRun;
	output: INodeExecutionData[];
	/** What n8n recorded for the sub-node: one run per model call, with its token usage. */
	modelRuns: ITaskData[];
	error?: Error & { description?: string; httpCode?: string; context?: IDataObject };
}

/** Runs Manual Trigger -> Model Probe, with the LLM Chat Model on its Model input, in n8n-core. */
export async function runModelWorkflow(options: ModelRunOptions): Promise<ModelRunResult> {
	const credentialType = Object.keys(options.credentials)[0];
	const nodes: INode[] = [
		triggerNode(options.items),
		{
			id: 'probe',
			name: 'Model Probe',
			type: PROBE_TYPE,
			typeVersion: 1,
			position: [200, 0],
			parameters: { scenario: options.scenario, history: JSON.stringify(options.history ?? {}) },
		},
		{
			id: 'model',
			name: 'LLM Chat Model',
			type: MODEL_TYPE,
			typeVersion: 1,
			position: [200, 200],
			parameters: options.parameters as INode['parameters'],
			credentials: {
				[credentialType]: { id: options.credentialId ?? '1', name: 'test credential' },
			},
		},
	];
	const connections: IConnections = {
		'Manual Trigger': { main: [[{ node: 'Model Probe', type: 'main', index: 0 }]] },
		'LLM Chat Model': {
			ai_languageModel: [[{ node: 'Model Probe', type: 'ai_languageModel', index: 0 }]],
		},
	};
	const workflowData = {
		id: 'model-workflow',
		name: 'LLM Chat Model test',
		nodes,
		connections,
		settings: { executionOrder: 'v1' as const },
	};
	const workflow = new Workflow({ ...workflowData, nodeTypes, active: false });
	const run = await executeFromTrigger(workflow, workflowData as unknown as IWorkflowBase, options);
	const task = run.data.resultData.runData['Model Probe']?.[0];
	return {
		run,
		output: task?.data?.main?.[0] ?? [],
		modelRuns: run.data.resultData.runData['LLM Chat Model'] ?? [],
		error: (task?.error ?? run.data.resultData.error) as ModelRunResult['error'],
	};
}
