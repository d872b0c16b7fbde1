// The editor in Debian's Chromium, driven by playwright-core: what a user clicks.
const assert = require('node:assert/strict');
const { mkdirSync, mkdtempSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium, selectors } = require('playwright-core');

const ARTIFACTS = path.join(__dirname, 'artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Without the background-networking flags Chromium keeps calling out, and this machine has no internet.
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const STEP_TIMEOUT = 30_000;

const CREDENTIALS = {
	openAi: { type: 'OpenAI API', account: 'OpenAI account' },
	togetherAi: { type: 'Together AI API', account: 'Together AI account' },
	huggingFaceTgi: { type: 'Hugging Face Router or TGI API', account: 'Hugging Face Router or TGI account' },
};

async function signIn(page, baseUrl, owner) {
	await page.goto(`${baseUrl}/signin`);
	await page.locator('input[name=emailOrLdapLoginId]').fill(owner.email);
	await page.locator('input[name=password]').fill(owner.password);
	await page.getByTestId('form-submit-button').click();
	await page.waitForURL((url) => !url.pathname.includes('signin'));
}

/** Creates a credential through the UI and returns the text of the test banner it shows after saving. */
async function createCredential(page, baseUrl, { type }, fields) {
	await page.goto(`${baseUrl}/home/credentials`);
	await page.getByTestId('add-resource-credential').click();
	await page.getByRole('combobox', { name: 'Search for app...' }).fill(type);
	await page.getByTestId('new-credential-type-select-option').filter({ hasText: type }).first().click();
	await page.getByTestId('new-credential-type-button').click();
	for (const [name, value] of Object.entries(fields)) {
		const input = page.getByTestId(`parameter-input-${name}`).locator('input, textarea').first();
		await input.fill(value);
	}
	await page.getByTestId('credential-save-button').click();
	const banner = page.getByText(/Connection tested successfully|Couldn.t connect with these settings/).first();
	await banner.waitFor();
	const ok = (await banner.innerText()).includes('successfully');
	// The provider's message sits behind "More details" in the failure banner.
	if (!ok) await page.getByText('More details').first().click();
	const dialog = page.locator('.el-dialog').filter({ has: banner }).first();
	return { ok, text: (await dialog.innerText()).replace(/\s+/g, ' ') };
}

async function closeDialog(page) {
	await page.keyboard.press('Escape');
	await page.locator('.el-dialog').first().waitFor({ state: 'hidden' }).catch(() => {});
}

/** In the open node: the UI-made credential of a provider, then a model from the list its server gives. */
async function pickCredentialAndModel(page, provider, chosen) {
	await page.getByTestId('node-credentials-select').click();
	await page.getByText(CREDENTIALS[chosen.provider].account, { exact: true }).last().click();
	const before = provider.requests.length;
	await page.getByTestId('resource-locator-model').getByTestId('rlc-input').click();
	await page.getByText('e2e-model-small', { exact: true }).first().click();
	const modelRequests = provider.requests.slice(before).filter((r) => r.url.endsWith('/models'));
	assert.ok(modelRequests.length >= 1, 'the model list must come from the server');
	assert.equal(modelRequests[0].url, `${chosen.prefix}/${chosen.apiVersion}/models`);
}

/**
 * A new AI Agent, then LLM Chat Model from the node panel its Model input opens; a model
 * picked from the list; a chat message answered through it.
 */
async function addChatModelToAgent(page, { baseUrl, provider, chosen, shot }) {
	await page.goto(`${baseUrl}/workflow/new`);
	await page.getByTestId('canvas-plus-button').click();
	await page.getByTestId('node-creator-search-bar').fill('AI Agent');
	const creator = page.getByTestId('node-creator');
	await creator.getByTestId('item-iterator-item').filter({ hasText: 'AI Agent' }).first().click();
	await page.getByTestId('ndv').waitFor();
	await page.keyboard.press('Escape');

	await page.locator('[data-handleid="inputs/ai_languageModel/0"]').getByTestId('canvas-handle-plus').click();
	// Its search aliases reach the panel from its .node.json: "TGI", in neither its name nor its description, finds it too. The filter
	// has applied once a model without that alias is gone; LLM Chat Model must then still be listed.
	const items = creator.getByTestId('item-iterator-item');
	await items.filter({ hasText: 'Anthropic Chat Model' }).first().waitFor({ state: 'visible', timeout: 15_000 });
	await page.getByTestId('node-creator-search-bar').fill('TGI');
	await items.filter({ hasText: 'Anthropic Chat Model' }).first().waitFor({ state: 'detached', timeout: 15_000 });
	await items.filter({ hasText: 'LLM Chat Model' }).first().waitFor({ state: 'visible', timeout: 15_000 });
	await shot('chat-model-found-by-alias');
	await page.getByTestId('node-creator-search-bar').fill('LLM Chat Model');
	await creator.getByTestId('item-iterator-item').filter({ hasText: 'LLM Chat Model' }).first().click();
	// A community node shows its details first, with "Add to workflow".
	const add = page.getByRole('button', { name: 'Add to workflow' });
	if (await add.isVisible({ timeout: 3000 }).catch(() => false)) await add.click();
	await page.getByTestId('ndv').waitFor();
	// The credential made in the UI above: other suites' credentials point to other servers.
	await pickCredentialAndModel(page, provider, chosen);
	await shot('chat-model-ndv');
	await page.keyboard.press('Escape');
	await page.locator('[data-test-id="edge"][data-source-node-name="LLM Chat Model"][data-target-node-name="AI Agent"]').waitFor();
	await shot('agent-with-chat-model');

	// The editor's chat runs the agent with the model.
	await page.getByTestId('workflow-chat-button').click();
	const chatPanel = page.getByTestId('canvas-chat');
	await chatPanel.locator('textarea').first().fill('Hello agent');
	await chatPanel.locator('textarea').first().press('Enter');
	await chatPanel.getByText('echo: Hello agent').first().waitFor();
	await shot('agent-chat-answered');
	const chat = provider.requests.filter((r) => r.url.endsWith('/chat/completions')).at(-1);
	assert.equal(chat.url, `${chosen.prefix}/${chosen.apiVersion}/chat/completions`);
	assert.equal(chat.body.model, 'e2e-model-small');
	assert.equal(chat.body.messages.at(-1).content, 'Hello agent');
}

async function runEditorTests({ baseUrl, owner, provider, key, providers }) {
	mkdirSync(ARTIFACTS, { recursive: true });
	selectors.setTestIdAttribute('data-test-id');
	const profile = mkdtempSync(path.join(os.tmpdir(), 'llm-chat-chromium-'));
	// A fresh profile per run: launchPersistentContext is how Playwright takes a --user-data-dir.
	const browser = await chromium
		.launchPersistentContext(profile, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, viewport: { width: 1400, height: 900 } })
		.catch((error) => {
			throw new Error(`Cannot start Chromium at ${CHROMIUM} (apt-get install chromium): ${error.message}`);
		});
	const page = browser.pages()[0] ?? (await browser.newPage());
	page.setDefaultTimeout(STEP_TIMEOUT);
	const shot = async (name) => await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
	try {
		await signIn(page, baseUrl, owner);

		for (const p of providers) {
			const fields = { apiKey: 'wrong-key', baseUrl: `${provider.url}${p.prefix}`, apiVersion: p.apiVersion };
			const wrong = await createCredential(page, baseUrl, CREDENTIALS[p.provider], fields);
			await shot(`credential-${p.provider}-wrong-key`);
			assert.equal(wrong.ok, false, `a wrong key must fail the test: ${wrong.text}`);
			assert.match(wrong.text, /Incorrect API key provided/);
			// Fix the key in the same dialog and save again: the test now passes.
			await page.getByTestId('parameter-input-apiKey').locator('input').first().fill(key);
			await page.getByTestId('credential-save-button').click();
			await page.getByText('Connection tested successfully').first().waitFor();
			await shot(`credential-${p.provider}-tested`);
			await closeDialog(page);
		}

		// A new workflow with LLM Chat added from the node panel.
		await page.goto(`${baseUrl}/workflow/new`);
		await page.getByTestId('canvas-plus-button').click();
		await page.getByTestId('node-creator-search-bar').fill('LLM Chat');
		const creator = page.getByTestId('node-creator');
		await creator.getByTestId('item-iterator-item').filter({ hasText: 'LLM Chat' }).first().click();
		await creator.getByTestId('item-iterator-item').filter({ hasText: 'Message a model' }).first().click();
		await page.getByTestId('ndv').waitFor();

		// The credential picker lists the credentials of all three providers; choosing one picks the provider.
		const chosen = providers[2];
		await pickCredentialAndModel(page, provider, chosen);

		await page.getByTestId('parameter-input-content').locator('textarea').first().fill('Hello from the editor');
		await shot('ndv-configured');
		await page.getByTestId('node-execute-button').first().click();
		const output = page.getByTestId('output-panel');
		await output.getByText('echo: Hello from the editor').first().waitFor();
		await shot('ndv-output');

		const chat = provider.requests.filter((r) => r.url.endsWith('/chat/completions')).at(-1);
		assert.equal(chat.url, `${chosen.prefix}/${chosen.apiVersion}/chat/completions`);
		assert.equal(chat.headers.authorization, `Bearer ${key}`);
		assert.equal(chat.body.model, 'e2e-model-small');
		assert.deepEqual(chat.body.messages, [{ role: 'user', content: 'Hello from the editor' }]);

		await addChatModelToAgent(page, { baseUrl, provider, chosen: providers[0], shot });
	} catch (error) {
		await shot('failure').catch(() => {});
		throw error;
	} finally {
		await browser.close();
		rmSync(profile, { recursive: true, force: true });
	}
}

module.exports = { runEditorTests };
