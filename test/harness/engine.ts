/**
 * Runs workflows through n8n-core's real engine in-process, with this package's nodes and
 * credentials loaded from dist/ (what ships). Modelled on n8n's own
 * packages/core/nodes-testing/node-test-harness.ts, without jest-mock-extended or nock:
 * the additional data is built by hand and requests really go out (to loopback servers).
 */
import './env';

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import {
	CredentialTestContext,
	ExecutionLifecycleHooks,
	LoadOptionsContext,
	WorkflowExecute,
} from 'n8n-core';
import type {
	ExecutionError,
	ExecutionStatus,
	ICredentialDataDecryptedObject,
	ICredentialTestFunction,
	ICredentialType,
	IDataObject,
	IHttpRequestOptions,
	INode,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeListSearchResult,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRequestOptionsSimplified,
	IRun,
	ITriggerFunctions,
	ITriggerResponse,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	IWorkflowSettings,
} from 'n8n-workflow';
import {
	createRunExecutionData,
	ICredentialsHelper,
	isExpression,
	NodeConnectionTypes,
	NodeHelpers,
	Workflow,
} from 'n8n-workflow';

// ---------------------------------------------------------------------------------------
// Where things are
// ---------------------------------------------------------------------------------------

/** The repository root: the nearest package.json named n8n-nodes-llm-chat above this file. */
export const repoRoot = findRepoRoot(__dirname);

function findRepoRoot(from: string): string {
	for (let dir = from; dir !== path.dirname(dir); dir = path.dirname(dir)) {
		const file = path.join(dir, 'package.json');
		if (existsSync(file) && JSON.parse(readFileSync(file, 'utf8')).name === 'n8n-nodes-llm-chat')
			return dir;
	}
	throw new Error(`n8n-nodes-llm-chat's package.json not found above ${from}`);
}

export const packageJson = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
	name: string;
	n8n: { nodes: string[]; credentials: string[] };
	[key: string]: unknown;
};

// ---------------------------------------------------------------------------------------
// DI and config: n8n-core resolves its own (newer) copies of @n8n/di, @n8n/config and
// @n8n/backend-network from node_modules/n8n-core/node_modules. A DI container lives in
// its module copy, so the setup has to go into the copies n8n-core itself requires.
// ---------------------------------------------------------------------------------------

const n8nCoreDir = path.dirname(require.resolve('n8n-core/package.json'));
const fromN8nCore = <T>(id: string) => require(require.resolve(id, { paths: [n8nCoreDir] })) as T;

const { Container } = fromN8nCore<typeof import('@n8n/di')>('@n8n/di');
const { SsrfProtectionConfig } = fromN8nCore<typeof import('@n8n/config')>('@n8n/config');

// httpRequestWithAuthentication sends through Container.get(OutboundHttp). Its SSRF guard
// blocks 127.0.0.0/8 when enabled. n8n 2.41's default is off (N8N_SSRF_PROTECTION_ENABLED);
// pin it off so an environment that sets the variable cannot break the loopback tests.
Container.get(SsrfProtectionConfig).enabled = false;

/** n8n-core's DI container (not the top-level @n8n/di copy), for tests that need a service. */
export { Container as n8nCoreContainer };

// ---------------------------------------------------------------------------------------
// The package as it ships: classes listed in package.json's `n8n` field, loaded from dist/
// ---------------------------------------------------------------------------------------

/** Loads a built file and instantiates the class named like the file (`Foo.node.js` -> Foo). */
export function loadBuiltClass<T>(relativeFile: string): T {
	const file = path.join(repoRoot, relativeFile);
	if (!existsSync(file)) throw new Error(`${relativeFile} is missing: run \`npm run build\` first`);
	const className = path.basename(file).split('.')[0];
	const exported = require(file)[className];
	if (typeof exported !== 'function') throw new Error(`${relativeFile} does not export ${className}`);
	return new exported() as T;
}

export const credentialTypes: Record<string, ICredentialType> = Object.fromEntries(
	packageJson.n8n.credentials.map((file) => {
		const type = loadBuiltClass<ICredentialType>(file);
		return [type.name, type];
	}),
);

/** Node types by the name n8n gives a community package's node: `<package>.<description.name>`. */
export const packageNodeTypes: Record<string, INodeType> = Object.fromEntries(
	packageJson.n8n.nodes.map((file) => {
		const type = loadBuiltClass<INodeType>(file);
		return [`${packageJson.name}.${type.description.name}`, type];
	}),
);

export const LLM_CHAT_TYPE = `${packageJson.name}.llmChat`;
export const LLM_CHAT_NODE_NAME = 'LLM Chat';
export const MANUAL_TRIGGER_TYPE = 'n8n-nodes-base.manualTrigger';
export const MANUAL_TRIGGER_NODE_NAME = 'Manual Trigger';

export const llmChatNodeType: INodeType = packageNodeTypes[LLM_CHAT_TYPE];

/**
 * A stand-in for n8n's Manual Trigger: the same trigger mechanics (manualTriggerFunction
 * emitting once), but it emits the items in its `items` parameter (a JSON array) rather
 * than always one empty item, so a test can feed N items into the next node.
 */
const manualTriggerNodeType: INodeType = {
	description: {
		displayName: 'Manual Trigger',
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Emits the items given in its parameter (test stand-in)',
		maxNodes: 1,
		defaults: { name: MANUAL_TRIGGER_NODE_NAME },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[{}]' }],
	},
	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const raw = this.getNodeParameter('items', '[{}]');
		const items = (typeof raw === 'string' ? JSON.parse(raw) : raw) as IDataObject[];
		return {
			manualTriggerFunction: async () => this.emit([this.helpers.returnJsonArray(items)]),
		};
	},
};

const allNodeTypes: Record<string, INodeType> = {
	...packageNodeTypes,
	[MANUAL_TRIGGER_TYPE]: manualTriggerNodeType,
};

export const nodeTypes: INodeTypes = {
	getByName: (type) => nodeTypeByName(type),
	getByNameAndVersion: (type, version) =>
		NodeHelpers.getVersionedNodeType(nodeTypeByName(type), version),
	getKnownTypes: () => ({}),
};

function nodeTypeByName(type: string): INodeType {
	const nodeType = allNodeTypes[type];
	if (!nodeType) throw new Error(`Unknown node type "${type}"`);
	return nodeType;
}

function credentialTypeByName(type: string): ICredentialType {
	const credentialType = credentialTypes[type];
	if (!credentialType) throw new Error(`Unknown credential type "${type}"`);
	return credentialType;
}

// ---------------------------------------------------------------------------------------
// Credentials
// ---------------------------------------------------------------------------------------

/** Credential data per credential type name, as a test provides it. */
export type CredentialsByType = Record<string, ICredentialDataDecryptedObject>;

/**
 * What n8n's CLI does to stored credential data before a node or a credential test sees
 * it (CredentialsHelper.applyDefaultsAndOverwrites): unset fields get their defaults.
 */
export function withCredentialDefaults(
	type: string,
	data: ICredentialDataDecryptedObject,
): ICredentialDataDecryptedObject {
	const filled = NodeHelpers.getNodeParameters(
		credentialTypeByName(type).properties,
		structuredClone(data) as INodeParameters,
		true,
		false,
		null,
		null,
	);
	return (filled ?? {}) as ICredentialDataDecryptedObject;
}

/**
 * The engine's view of stored credentials. `authenticate` does what n8n's CLI
 * CredentialsHelper does (packages/cli/src/credentials-helper.ts); `getDecrypted` returns
 * the test's data with defaults applied, like the CLI's applyDefaultsAndOverwrites.
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly data: CredentialsByType) {
		super();
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = credentialTypeByName(typeName);
		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions as IHttpRequestOptions);
		}
		if (typeof authenticate === 'object' && authenticate.type === 'generic') {
			if (!workflow || !node)
				throw new Error('Workflow and node are required for declarative credential authentication');
			requestOptions.headers ??= {};
			const resolve = (value: string) => {
				if (!isExpression(value)) return value;
				const resolved = workflow.expression.getSimpleParameterValue(
					node,
					value,
					'internal',
					{ $credentials: credentials },
					undefined,
					'',
				);
				return resolved ? String(resolved) : '';
			};
			const target = requestOptions as unknown as Record<string, Record<string, string>>;
			for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
				for (const [key, value] of Object.entries(outerValue as Record<string, string>)) {
					target[outerKey] ??= {};
					target[outerKey][resolve(key)] = resolve(value);
				}
			}
		}
		return requestOptions as IHttpRequestOptions;
	}

	// The CLI only runs preAuthentication for types with an expirable hidden field; ours have none.
	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	getParentTypes(typeName: string): string[] {
		return credentialTypeByName(typeName).extends ?? [];
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: unknown,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.data[type];
		if (!data) throw new Error(`The test gave no credential data of type "${type}"`);
		return withCredentialDefaults(type, data);
	}

	async getCredentials(): Promise<never> {
		throw new Error('getCredentials (stored, encrypted credentials) is not part of the harness');
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties(type: string): INodeProperties[] {
		return credentialTypeByName(type).properties;
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}
}

// ---------------------------------------------------------------------------------------
// Additional data: the minimum the engine, the node contexts and the helpers read
// ---------------------------------------------------------------------------------------

let executionCounter = 0;

function notAvailable(what: string) {
	return async () => {
		throw new Error(`${what} is not available in the test harness`);
	};
}

export function buildAdditionalData(
	credentials: CredentialsByType,
	extra: Partial<IWorkflowExecuteAdditionalData> = {},
): IWorkflowExecuteAdditionalData {
	const base = 'http://127.0.0.1:5678';
	return {
		credentialsHelper: new TestCredentialsHelper(credentials),
		executeWorkflow: notAvailable('executeWorkflow'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		startRunnerTask: notAvailable('startRunnerTask (Code node task runner)'),
		logAiEvent: () => {},
		currentNodeExecutionIndex: 0,
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: `${base}/`,
		formBaseUrl: `${base}/form`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		formTestBaseUrl: `${base}/form-test`,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		mcpBaseUrl: `${base}/mcp`,
		mcpTestBaseUrl: `${base}/mcp-test`,
		variables: {},
		userId: 'test-user',
		...extra,
	} as IWorkflowExecuteAdditionalData;
}

// ---------------------------------------------------------------------------------------
// Workflows
// ---------------------------------------------------------------------------------------

/** A workflow as exported from n8n (nodes + connections; the rest is optional). */
export type WorkflowJson = Pick<IWorkflowBase, 'nodes' | 'connections'> &
	Partial<Omit<IWorkflowBase, 'nodes' | 'connections'>>;

export interface WorkflowOptions {
	/** The LLM Chat node's parameters, as in a workflow JSON (defaults are filled by the engine). */
	nodeParameters?: INodeParameters;
	/** Credential data by type; each type given is also attached to the LLM Chat node. */
	credentials?: CredentialsByType;
	/** The items the Manual Trigger emits into LLM Chat (default: one empty item). */
	items?: IDataObject[];
	/** Settings › On Error = Continue (regular output). */
	continueOnFail?: boolean;
}

/** The 2-node workflow "Manual Trigger -> LLM Chat". */
export function buildWorkflow(options: WorkflowOptions = {}): WorkflowJson {
	return {
		name: 'LLM Chat test',
		nodes: [
			{
				id: 'a0000000-0000-4000-8000-000000000001',
				name: MANUAL_TRIGGER_NODE_NAME,
				type: MANUAL_TRIGGER_TYPE,
				typeVersion: 1,
				position: [0, 0],
				parameters: { items: JSON.stringify(options.items ?? [{}]) },
			},
			llmChatNode(options),
		],
		connections: {
			[MANUAL_TRIGGER_NODE_NAME]: {
				main: [[{ node: LLM_CHAT_NODE_NAME, type: NodeConnectionTypes.Main, index: 0 }]],
			},
		},
		settings: { executionOrder: 'v1' },
	};
}

function llmChatNode(options: WorkflowOptions): INode {
	const types = Object.keys(options.credentials ?? {});
	return {
		id: 'a0000000-0000-4000-8000-000000000002',
		name: LLM_CHAT_NODE_NAME,
		type: LLM_CHAT_TYPE,
		typeVersion: 1,
		position: [220, 0],
		parameters: structuredClone(options.nodeParameters ?? {}),
		...(types.length > 0 && {
			credentials: Object.fromEntries(types.map((type) => [type, { id: `cred-${type}`, name: type }])),
		}),
		...(options.continueOnFail && { onError: 'continueRegularOutput' as const }),
	};
}

export interface RunOptions extends WorkflowOptions {
	/** Run this workflow instead of the built one (its LLM Chat node must be named 'LLM Chat' for `output`). */
	workflowJson?: WorkflowJson;
	/** Aborting it cancels the execution, like the Stop button (the engine aborts the node's signal). */
	signal?: AbortSignal;
}

export interface RunResult {
	run: IRun;
	status: ExecutionStatus;
	/** LLM Chat's first output of its first run, undefined when it did not produce one. */
	output: INodeExecutionData[] | undefined;
	/** LLM Chat's error, else the execution's error. */
	error?: ExecutionError;
}

/** Runs a workflow through WorkflowExecute.processRunExecutionData, like a manual execution. */
export async function runWorkflow(options: RunOptions = {}): Promise<RunResult> {
	const json = structuredClone(options.workflowJson ?? buildWorkflow(options));
	const workflowData: IWorkflowBase = {
		id: 'test-workflow',
		name: 'LLM Chat test',
		active: false,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		settings: { executionOrder: 'v1' } as IWorkflowSettings,
		...json,
	} as IWorkflowBase;
	const workflow = new Workflow({
		id: workflowData.id,
		name: workflowData.name,
		nodes: workflowData.nodes,
		connections: workflowData.connections,
		settings: workflowData.settings,
		staticData: workflowData.staticData,
		nodeTypes,
		active: false,
	});

	const executionId = `test-${++executionCounter}`;
	const hooks = new ExecutionLifecycleHooks('manual', executionId, workflowData);
	let reportRun: (run: IRun) => void = () => {};
	const finished = new Promise<IRun>((resolve) => (reportRun = resolve));
	// On cancel the engine reports the run through this hook and never settles its promise.
	hooks.addHandler('workflowExecuteAfter', (run) => reportRun(run));

	const startNode = workflow.getStartNode();
	if (!startNode) throw new Error('The workflow has no start node');
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: startNode, data: { main: [[{ json: {} }]] }, source: null }],
		},
	});

	const additionalData = buildAdditionalData(options.credentials ?? {}, {
		hooks,
		executionId,
		workflowId: workflowData.id,
	});
	const execution = new WorkflowExecute(additionalData, 'manual', runExecutionData);
	const running = execution.processRunExecutionData(workflow);
	if (options.signal) {
		if (options.signal.aborted) running.cancel();
		else options.signal.addEventListener('abort', () => running.cancel(), { once: true });
	}
	const run = await Promise.race([finished, running]);

	const task = run.data.resultData.runData[LLM_CHAT_NODE_NAME]?.[0];
	return {
		run,
		status: run.status,
		output: task?.data?.main?.[0] ?? undefined,
		error: task?.error ?? run.data.resultData.error,
	};
}

// ---------------------------------------------------------------------------------------
// Editor-side calls: the model picker and the credential Test button
// ---------------------------------------------------------------------------------------

export interface ListSearchOptions {
	nodeParameters?: INodeParameters;
	credentials: CredentialsByType;
	filter?: string;
	paginationToken?: string;
}

/**
 * Calls a listSearch method the way n8n's DynamicNodeParametersService does: a one-node
 * workflow holding a 'Temp-Node' with the editor's current parameters and credentials,
 * and a LoadOptionsContext on it.
 */
export async function listSearch(
	method: string,
	options: ListSearchOptions,
): Promise<INodeListSearchResult> {
	const fn = llmChatNodeType.methods?.listSearch?.[method];
	if (typeof fn !== 'function') throw new Error(`LLM Chat has no listSearch method "${method}"`);
	const node: INode = {
		...llmChatNode(options),
		id: 'uuid-1234',
		name: 'Temp-Node',
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const tempNode = workflow.getNode('Temp-Node')!;
	const additionalData = buildAdditionalData(options.credentials, {
		currentNodeParameters: tempNode.parameters,
	});
	const context = new LoadOptionsContext(workflow, tempNode, additionalData, 'parameters.model');
	return await fn.call(context, options.filter, options.paginationToken);
}

export const searchModels = async (options: ListSearchOptions) =>
	await listSearch('searchModels', options);

/**
 * The credential's Test button, as n8n's CredentialsTester runs it: a declarative `test`
 * on the credential wins; otherwise the function a node names in `testedBy`, called on a
 * fresh CredentialTestContext with the data after defaults were applied.
 */
export async function testCredential(
	type: string,
	data: ICredentialDataDecryptedObject,
): Promise<INodeCredentialTestResult> {
	if (credentialTypeByName(type).test) {
		throw new Error(`${type} declares a \`test\` request: n8n would run that, not the node's test`);
	}
	const fn = credentialTestFunctionFor(type);
	const credential = { id: `cred-${type}`, name: type, type, data: withCredentialDefaults(type, data) };
	return await fn.call(new CredentialTestContext(), credential);
}

function credentialTestFunctionFor(type: string): ICredentialTestFunction {
	for (const nodeType of Object.values(packageNodeTypes)) {
		for (const { name, testedBy } of nodeType.description.credentials ?? []) {
			if (name !== type || typeof testedBy !== 'string') continue;
			const fn = nodeType.methods?.credentialTest?.[testedBy];
			if (typeof fn !== 'function')
				throw new Error(`${nodeType.description.name} names testedBy "${testedBy}" but has no such method`);
			return fn;
		}
	}
	throw new Error(`No node declares a testedBy function for ${type}`);
}
