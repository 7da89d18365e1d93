package dev.anet.bench;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.anet.server.AnetServer;
import dev.anet.server.Handler;
import dev.anet.server.ServerConfig;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code server --port P [--handler echo] [--delay-us N] [--max-conns N] [--virtual-threads]}: runs
 * an anet-core {@link AnetServer} on 127.0.0.1 with its default configuration but for those flags
 * ({@code --virtual-threads}: see {@link VirtualThreads}), prints {@code listening PORT} once it accepts
 * connections, and stops gracefully on SIGTERM (a shutdown hook calls {@link AnetServer#stop()}).
 */
@Command(name = "server", mixinStandardHelpOptions = true,
		description = "Runs the anet-core server on 127.0.0.1 and prints 'listening PORT'.")
public final class ServerCommand implements Callable<Integer> {

	@Spec
	@SuppressWarnings("NullAway.Init")
	CommandSpec spec;

	@Mixin
	TlsOptions tls = new TlsOptions();

	@Option(names = "--port", required = true, description = "Port to listen on (0 picks a free one).")
	int port;

	@Option(names = "--handler", defaultValue = "echo", description = "Request handler: echo (answers the request body).")
	String handler = "echo";

	@Option(names = "--delay-us", defaultValue = "0",
			description = "Microseconds each handler call waits before it answers (a slow backend).")
	long delayMicros;

	@Option(names = "--max-conns", defaultValue = "10000",
			description = "Most open connections (0: no limit). Default: ${DEFAULT-VALUE}.")
	int maxConns = ServerConfig.DEFAULT_MAX_CONNS;

	@Option(names = "--virtual-threads", description = "Run the server's threads as virtual threads (JDK 21+).")
	boolean virtualThreads;

	private final CountDownLatch stopped = new CountDownLatch(1);

	private volatile @Nullable AnetServer server;

	@Override
	public Integer call() throws InterruptedException {
		if (this.port < 0 || this.port > 65535) {
			throw new ParameterException(this.spec.commandLine(), "--port must be in 0..65535 but was " + this.port);
		}
		if (!"echo".equals(this.handler)) {
			throw new ParameterException(this.spec.commandLine(), "only --handler echo is implemented, not " + this.handler);
		}
		if (this.delayMicros < 0) {
			throw new ParameterException(this.spec.commandLine(), "--delay-us must be 0 or more but was " + this.delayMicros);
		}
		if (this.maxConns < 0) {
			throw new ParameterException(this.spec.commandLine(), "--max-conns must be 0 or more but was " + this.maxConns);
		}
		if (this.virtualThreads && !VirtualThreads.available()) {
			throw new ParameterException(this.spec.commandLine(),
					"--virtual-threads needs JDK 21 or later; this is JDK " + Runtime.version());
		}
		AnetServer server = new AnetServer(ServerConfig.builder().address("127.0.0.1").port(this.port)
			.maxConns(this.maxConns).threadFactory(this.virtualThreads ? VirtualThreads.factory() : null)
			.tls(this.tls.server()).build(),
				handler(TimeUnit.MICROSECONDS.toNanos(this.delayMicros)));
		server.start();
		this.server = server;
		Thread hook = new Thread(this::stop, "anet-bench-shutdown");
		Runtime.getRuntime().addShutdownHook(hook);
		PrintWriter out = this.spec.commandLine().getOut();
		out.println("listening " + server.port());
		out.flush();
		this.stopped.await();
		return 0;
	}

	/**
	 * Stop the server (SIGTERM, or a test) and let {@link #call()} return.
	 */
	public void stop() {
		AnetServer server = this.server;
		if (server != null) {
			server.stop();
		}
		this.stopped.countDown();
	}

	/**
	 * Return the port the server listens on.
	 * @return the port, or -1 before it started
	 */
	public int boundPort() {
		AnetServer server = this.server;
		return (server != null) ? server.port() : -1;
	}

	static Handler handler(long delayNanos) {
		if (delayNanos == 0) {
			return (connection, request) -> request;
		}
		return (connection, request) -> {
			long deadline = System.nanoTime() + delayNanos;
			for (long left = delayNanos; left > 0; left = deadline - System.nanoTime()) {
				LockSupport.parkNanos(left);
			}
			return request;
		};
	}

}
