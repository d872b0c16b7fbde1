import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// n8n-core keeps instance settings (an encryption key, folders) in the user folder: use a throwaway one.
if (!process.env.N8N_USER_FOLDER) {
	const userFolder = mkdtempSync(path.join(tmpdir(), 'llm-chat-n8n-'));
	process.env.N8N_USER_FOLDER = userFolder;
	process.on('exit', () => rmSync(userFolder, { recursive: true, force: true }));
}
// n8n's logger prints every node error twice; the tests assert on the errors instead.
process.env.N8N_LOG_LEVEL ??= 'silent';

import { CredentialTestContext, ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	ICredentialsDecrypted,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IRun,
	IRunExecutionData,
	IWorkflowExecuteAdditionalData,
	IVersionedNodeType,
	IWorkflowBase,
	INodeListSearchResult,
} from 'n8n-workflow';
import { ICredentialsHelper, NodeHelpers, Workflow } from 'n8n-workflow';

import type { BinaryItem } from './manualTrigger';
import { manualTrigger, TRIGGER_TYPE, triggerNode } from './manualTrigger';
import { packageRoot } from './root';

export type { BinaryItem } from './manualTrigger';
export { manualTrigger, TRIGGER_TYPE, triggerNode, useBinaryDataMode } from './manualTrigger';

const ROOT = packageRoot(__dirname);
const pkg = require(path.join(ROOT, 'package.json'));

/** The package as it ships: every class listed in package.json's `n8n` field, loaded from dist/. */
function loadBuilt<T>(files: string[]): Record<string, T> {
	const byName: Record<string, T> = {};
	for (const file of files) {
		const exported = require(path.join(ROOT, file));
		const className = path.basename(file).split('.')[0];
		const instance = new exported[className]();
		byName[(instance.description?.name ?? instance.name) as string] = instance;
	}
	return byName;
}

export const credentialTypes = loadBuilt<ICredentialType>(pkg.n8n.credentials);
export const nodeTypesByName = loadBuilt<INodeType>(pkg.n8n.nodes);
export const llmChat = nodeTypesByName.llmChat;
export const LLM_CHAT_TYPE = 'n8n-nodes-llm-chat.llmChat';

const nodeTypes: INodeTypes = {
	getByName: (type) => byType(type),
	getByNameAndVersion: (type, version) => NodeHelpers.getVersionedNodeType(byType(type), version),
	getKnownTypes: () => ({}),
};

function byType(type: string): INodeType | IVersionedNodeType {
	if (type === TRIGGER_TYPE) return manualTrigger;
	if (type === LLM_CHAT_TYPE) return llmChat;
	throw new Error(`Unknown node type ${type}`);
}

/**
 * Applies credentials the way n8n's CLI CredentialsHelper does: the credential
 * type's own `authenticate` function on the outgoing request options.
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly data: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}

	getParentTypes() {
		return [];
	}

	isCredentialUsableByNode() {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
	) {
		const type = credentialTypes[typeName];
		if (typeof type?.authenticate !== 'function')
			throw new Error(`${typeName} has no authenticate function`);
		return await type.authenticate(credentials, requestOptions);
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getCredentials(): Promise<never> {
		throw new Error('not used');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_node: INodeCredentialsDetails,
		type: string,
	) {
		if (!this.data[type]) throw new Error(`No credentials of type ${type} given to the test`);
		return structuredClone(this.data[type]);
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties(type: string) {
		return credentialTypes[type].properties;
	}
}

export interface RunOptions {
	parameters: IDataObject;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	items?: Array<IDataObject | BinaryItem>;
	continueOnFail?: boolean;
	/** The credential's id in n8n; Requests per Minute is shared per credential id and endpoint. */
	credentialId?: string;
	/** Runs as n8n does behind a streaming webhook or chat: isStreaming() is true and chunks come here. */
	onChunk?: (chunk: StreamChunk) => void;
	/** Called once the execution runs, to cancel it from outside. */
	onStart?: (cancel: () => void) => void;
	/** Runs LLM Chat as n8n 2.x runs an agent's tool: its output logged as `ai_tool`. */
	asTool?: boolean;
}

/** What a node sends with `sendChunk`, as n8n hands it to the response stream. */
export interface StreamChunk {
	type: 'begin' | 'item' | 'end' | 'error';
	content?: string;
	metadata: { nodeName: string; itemIndex: number; runIndex: number };
}

export interface RunResult {
	run: IRun;
	output: INodeExecutionData[];
	error?: Error & { description?: string; httpCode?: string; context?: IDataObject };
}

export function buildWorkflow(options: RunOptions): IWorkflowBase {
	const credentialType = Object.keys(options.credentials)[0];
	const nodes: INode[] = [
		triggerNode(options.items),
		{
			id: 'llm',
			name: 'LLM Chat',
			type: LLM_CHAT_TYPE,
			typeVersion: 1,
			position: [200, 0],
			parameters: options.parameters as INode['parameters'],
			credentials: credentialType
				? { [credentialType]: { id: options.credentialId ?? '1', name: 'test credential' } }
				: undefined,
			...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			...(options.asTool ? { rewireOutputLogTo: 'ai_tool' as const } : {}),
		},
	];
	return {
		id: 'test-workflow',
		name: 'LLM Chat test',
		active: false,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes,
		connections: { 'Manual Trigger': { main: [[{ node: 'LLM Chat', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	} as unknown as IWorkflowBase;
}

let executions = 0;

function additionalDataFor(
	credentials: RunOptions['credentials'],
	hooks: ExecutionLifecycleHooks,
	streaming = false,
) {
	return {
		// Each run its own, as in n8n: LLM Chat Model keeps reasoning per execution.
		executionId: `test-execution-${++executions}`,
		streamingEnabled: streaming,
		hooks,
		credentialsHelper: new TestCredentialsHelper(credentials),
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		variables: {},
		currentNodeParameters: undefined,
		executeWorkflow: async () => {
			throw new Error('not used');
		},
		getRunExecutionData: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new Error('not used');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

/** Runs Manual Trigger -> LLM Chat through n8n-core's WorkflowExecute, in-process. */
export async function runWorkflow(options: RunOptions): Promise<RunResult> {
	const workflowData = buildWorkflow(options);
	const workflow = new Workflow({
		id: workflowData.id,
		nodes: workflowData.nodes,
		connections: workflowData.connections,
		nodeTypes,
		active: false,
		settings: workflowData.settings,
	});
	const run = await executeFromTrigger(workflow, workflowData, options);
	const task = run.data.resultData.runData['LLM Chat']?.[0];
	return {
		run,
		output: task?.data?.main?.[0] ?? task?.data?.ai_tool?.[0] ?? [],
		error: (task?.error ?? run.data.resultData.error) as RunResult['error'],
	};
}

/** Runs a workflow from its Manual Trigger through n8n-core's WorkflowExecute, as n8n runs it. */
export async function executeFromTrigger(
	workflow: Workflow,
	workflowData: IWorkflowBase,
	options: Pick<RunOptions, 'credentials' | 'onChunk' | 'onStart'>,
): Promise<IRun> {
	const hooks = new ExecutionLifecycleHooks('manual', 'test-execution', workflowData);
	let resolveFinished: (run: IRun) => void = () => {};
	const finished = new Promise<IRun>((resolve) => (resolveFinished = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => resolveFinished(run));
	const { onChunk } = options;
	if (onChunk) hooks.addHandler('sendChunk', (chunk) => onChunk(chunk as unknown as StreamChunk));

	const runExecutionData: IRunExecutionData = {
		startData: {},
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			metadata: {},
			nodeExecutionStack: [
				{
					node: workflow.getNode('Manual Trigger')!,
					data: { main: [[{ json: {} }]] },
					source: null,
				},
			],
			waitingExecution: {},
			waitingExecutionSource: {},
		},
	} as unknown as IRunExecutionData;

	const execution = new WorkflowExecute(
		additionalDataFor(options.credentials, hooks, onChunk !== undefined),
		'manual',
		runExecutionData,
	);
	const running = execution.processRunExecutionData(workflow);
	options.onStart?.(() => running.cancel());
	try {
		await running;
	} catch {
		// A cancelled execution rejects here; its result still arrives through the hook below.
	}
	return await finished;
}

/** The credentials' Test button, as n8n's CredentialsTester runs a node-defined test. */
export async function testCredential(
	type: string,
	data: ICredentialDataDecryptedObject,
): Promise<INodeCredentialTestResult> {
	const test = llmChat.methods!.credentialTest!.llmChatApiTest;
	const credential: ICredentialsDecrypted = { id: '1', name: 'test credential', type, data };
	return await test.call(new CredentialTestContext(), credential);
}

/** The model picker: the node's list search with n8n-core's load-options context. */
export async function searchModels(
	provider: string,
	credentials: Record<string, ICredentialDataDecryptedObject>,
	filter?: string,
): Promise<INodeListSearchResult> {
	const { LoadOptionsContext } = require('n8n-core') as typeof import('n8n-core');
	const workflowData = buildWorkflow({ parameters: { provider }, credentials });
	const workflow = new Workflow({
		nodes: workflowData.nodes,
		connections: workflowData.connections,
		nodeTypes,
		active: false,
	});
	const hooks = new ExecutionLifecycleHooks('manual', 'load-options', workflowData);
	const node = workflow.getNode('LLM Chat')!;
	const context = new LoadOptionsContext(
		workflow,
		node,
		additionalDataFor(credentials, hooks),
		'parameters',
	);
	return await llmChat.methods!.listSearch!.searchModels.call(context, filter);
}
