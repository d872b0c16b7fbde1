/**
 * Everything n8n logs while `run` runs. Its logger (winston) binds the console's methods
 * once, when it is created, so import this module before n8n-core.
 */
let recording: string[] | undefined;
// Between captures the debug-level noise of n8n's logger is dropped.
for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
	jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
		recording?.push(args.map(String).join(' '));
	});
}
// winston writes to the console's own streams when it has them (jest's console does).
const consoleStreams = console as unknown as {
	_stdout?: NodeJS.WritableStream;
	_stderr?: NodeJS.WritableStream;
};
const streams = new Set([
	process.stdout,
	process.stderr,
	consoleStreams._stdout,
	consoleStreams._stderr,
]);
for (const stream of streams) {
	if (!stream) continue;
	const original = stream.write.bind(stream) as (...args: unknown[]) => boolean;
	const isProcessStream = stream === process.stdout || stream === process.stderr;
	jest.spyOn(stream, 'write').mockImplementation((...args: unknown[]) => {
		if (recording) recording.push(String(args[0]));
		else if (isProcessStream) return original(...args);
		return true;
	});
}

export async function captureLogs<T>(run: () => Promise<T>): Promise<{ result: T; logs: string }> {
	recording = [];
	try {
		const result = await run();
		// winston hands entries to its transports asynchronously.
		await new Promise((resolve) => setTimeout(resolve, 20));
		return { result, logs: recording.join('\n') };
	} finally {
		recording = undefined;
	}
}
