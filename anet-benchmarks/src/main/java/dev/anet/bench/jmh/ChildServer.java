package dev.anet.bench.jmh;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.anet.bench.AnetBench;

/**
 * An anet echo server in a child JVM (this jar's {@code server} command on a free port), so that a
 * benchmark's {@code -prof gc} figure is the client's allocation alone.
 */
final class ChildServer {

	private final Process process;

	private final int port;

	private ChildServer(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	/**
	 * Start the server and wait for its {@code listening PORT} line.
	 * @param flags more flags of the {@code server} command (e.g. {@code --tls})
	 * @return the running server
	 * @throws IOException if it cannot be started or does not say it listens
	 */
	static ChildServer start(String... flags) throws IOException {
		String java = ProcessHandle.current().info().command().orElse("java");
		List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
				AnetBench.class.getName(), "server", "--port", "0"));
		command.addAll(List.of(flags));
		Process process = new ProcessBuilder(command)
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
		String line = lines.readLine();
		if (line == null || !line.startsWith("listening ")) {
			process.destroyForcibly();
			throw new IOException("anet server did not start: " + line);
		}
		return new ChildServer(process, Integer.parseInt(line.substring("listening ".length()).trim()));
	}

	int port() {
		return this.port;
	}

	/**
	 * Return the CPU time the server used so far.
	 * @return nanoseconds, or -1 if the platform does not tell
	 */
	long cpuNanos() {
		return this.process.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(-1L);
	}

	/**
	 * Stop the server (SIGTERM, then a kill after 10 s).
	 * @throws InterruptedException if interrupted while waiting for it
	 */
	void stop() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
		}
	}

}
