// The REST calls n8n's editor makes, for the e2e suites.
/** The REST calls the editor makes, with the session cookie tied to a browser id. */
class N8nClient {
	constructor(baseUrl) {
		this.baseUrl = baseUrl;
		this.browserId = `e2e-${process.pid}`;
		this.cookie = '';
	}

	async call(method, route, body) {
		const response = await fetch(`${this.baseUrl}/rest${route}`, {
			method,
			headers: { 'content-type': 'application/json', 'browser-id': this.browserId, cookie: this.cookie },
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(60_000),
		});
		const setCookie = response.headers.get('set-cookie');
		if (setCookie) this.cookie = setCookie.split(';')[0];
		const text = await response.text();
		const json = text ? JSON.parse(text) : {};
		if (!response.ok) throw new Error(`${method} ${route} -> ${response.status}: ${text.slice(0, 500)}`);
		return json.data ?? json;
	}

	async setupOwner(owner) {
		await this.call('POST', '/owner/setup', owner);
		await this.login(owner);
	}

	async login({ email, password }) {
		await this.call('POST', '/login', { emailOrLdapLoginId: email, password });
	}

	async createCredential(name, type, data) {
		return await this.call('POST', '/credentials', { name, type, data });
	}

	/** The Test button. */
	async testCredential(credential, data) {
		return await this.call('POST', '/credentials/test', { credentials: { id: credential.id, name: credential.name, type: credential.type, data } });
	}

	async createWorkflow(workflow) {
		return await this.call('POST', '/workflows', workflow);
	}

	/** Publishes a saved workflow, so its production webhooks answer. */
	async activateWorkflow(workflow) {
		return await this.call('POST', `/workflows/${workflow.id}/activate`, { versionId: workflow.versionId });
	}

	/** The newest execution of a workflow, with its data parsed. */
	async lastExecution(workflow, timeoutMs = 30_000) {
		const { parse } = require('flatted');
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const list = await this.call('GET', `/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: workflow.id }))}`);
			const [summary] = list.results ?? list;
			if (summary && !['new', 'running', 'waiting'].includes(summary.status)) {
				const execution = await this.call('GET', `/executions/${summary.id}`);
				return { ...execution, data: parse(execution.data) };
			}
			if (Date.now() > deadline) throw new Error(`no finished execution of ${workflow.id} after ${timeoutMs / 1000} s`);
			await new Promise((resolve) => setTimeout(resolve, 300));
		}
	}

	/** Starts a saved workflow from its trigger and returns the execution id without waiting. */
	async startWorkflow(workflow, triggerName) {
		const { executionId } = await this.call('POST', `/workflows/${workflow.id}/run?partialExecutionVersion=2`, {
			workflowData: workflow,
			triggerToStartFrom: { name: triggerName },
		});
		return executionId;
	}

	async stopExecution(executionId) {
		return await this.call('POST', `/executions/${executionId}/stop`);
	}

	/** Runs a saved workflow from its trigger and waits (bounded) for the execution to finish. */
	async runWorkflow(workflow, triggerName, timeoutMs = 120_000) {
		const executionId = await this.startWorkflow(workflow, triggerName);
		const { parse } = require('flatted');
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const execution = await this.call('GET', `/executions/${executionId}`);
			if (!['new', 'running', 'waiting'].includes(execution.status)) {
				return { ...execution, data: parse(execution.data) };
			}
			if (Date.now() > deadline) throw new Error(`execution ${executionId} still ${execution.status} after ${timeoutMs / 1000} s`);
			await new Promise((resolve) => setTimeout(resolve, 300));
		}
	}
}

module.exports = { N8nClient };
