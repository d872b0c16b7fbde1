import { rateLimitKey, SlidingWindows } from '../../nodes/shared/rateLimit';

const wait = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

describe('SlidingWindows', () => {
	it('forgets windows once nothing is left in them, so memory stays bounded', async () => {
		// A window long enough that none expires while 100 are opened on a loaded machine.
		const windows = new SlidingWindows(1000);
		for (let i = 0; i < 100; i++) await windows.acquire(`credential-${i}`, 1);
		expect(windows.size).toBe(100);
		await wait(1100);
		await windows.acquire('credential-new', 1);
		expect(windows.size).toBe(1);
	});

	it('lets callers with different limits share one window', async () => {
		const windows = new SlidingWindows(60_000);
		await windows.acquire('k', 2);
		await windows.acquire('k', 2);
		// A caller allowing 3 still gets a slot; one allowing 2 now waits.
		await windows.acquire('k', 3);
		const controller = new AbortController();
		const waiting = windows.acquire('k', 2, controller.signal);
		let settled = false;
		void waiting.then(
			() => (settled = true),
			() => (settled = true),
		);
		await wait(50);
		expect(settled).toBe(false);
		controller.abort();
		await expect(waiting).rejects.toBeDefined();
	});

	it('keys a window by credential, base URL and API version', () => {
		expect(rateLimitKey('1', 'https://api.openai.com', 'v1')).toBe(
			rateLimitKey('1', ' https://api.openai.com ', 'v1'),
		);
		expect(rateLimitKey('1', 'https://api.openai.com', 'v1')).not.toBe(
			rateLimitKey('2', 'https://api.openai.com', 'v1'),
		);
		expect(rateLimitKey('1', 'https://a', 'v1')).not.toBe(rateLimitKey('1', 'https://a', 'v2'));
	});
});
