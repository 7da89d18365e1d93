package dev.anet.boot.autoconfigure;

import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import dev.anet.boot.event.AnetServerStartedEvent;
import dev.anet.server.AnetServer;
import dev.anet.server.ServerConfig;
import dev.anet.server.ServerListener;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.util.Assert;

/**
 * Runs the anet server over the {@link AnetRouter} of the {@code @AnetHandler} handlers, as a
 * {@link SmartLifecycle} in a late phase ({@link #DEFAULT_PHASE}): it opens once the rest of the
 * context is ready and started, and it is the first to stop, draining within
 * {@code anet.server.shutdown-timeout} before the beans its handlers call are stopped or
 * destroyed.
 *
 * <ul>
 * <li>The server exists only when there is at least one handler; with
 * {@code anet.server.enabled=true} and no handler, start-up fails.</li>
 * <li>The bound port is published as {@code local.anet.server.port}, so that
 * {@code anet.server.port=0} works in tests.</li>
 * <li>Once it listens, an {@link AnetServerStartedEvent} with the port is published.</li>
 * <li>A port in use fails start-up with {@link AnetServerPortInUseException}, which a failure
 * analyzer explains.</li>
 * <li>While the server runs, a non-daemon thread ({@code anet-server-keep-alive}) keeps the JVM
 * alive, also when no web server does. The core's accept thread is a non-daemon only when it is a
 * platform thread of its own making; threads from a thread factory (virtual threads are always
 * daemons) are not.</li>
 * </ul>
 */
public class AnetServerLifecycle implements SmartLifecycle, SmartInitializingSingleton, DisposableBean {

	/** Late start, early stop: after the web server starts, before it stops (as Kafka's containers). */
	public static final int DEFAULT_PHASE = Integer.MAX_VALUE - 100;

	static final String PORT_PROPERTY = "local.anet.server.port";

	private static final String PROPERTY_SOURCE_NAME = "server.ports";

	private static final Logger logger = LoggerFactory.getLogger(AnetServerLifecycle.class);

	private final ServerConfig config;

	private final AnetHandlerRegistrar registrar;

	private final ServerListener listener;

	private final @Nullable Boolean enabled;

	private final ApplicationContext context;

	private final Object monitor = new Object();

	private boolean decided;

	private @Nullable AnetServer server;

	private @Nullable CountDownLatch keepAlive;

	/**
	 * Create the lifecycle.
	 * @param config the server configuration
	 * @param registrar finds the handlers
	 * @param listener the server's metrics hooks
	 * @param enabled {@code anet.server.enabled}: {@code null} runs the server when there is a
	 * handler, {@code true} requires one
	 * @param context the context whose environment gets {@code local.anet.server.port}
	 */
	public AnetServerLifecycle(ServerConfig config, AnetHandlerRegistrar registrar, ServerListener listener,
			@Nullable Boolean enabled, ApplicationContext context) {
		Assert.notNull(config, "'config' must not be null");
		Assert.notNull(registrar, "'registrar' must not be null");
		Assert.notNull(listener, "'listener' must not be null");
		Assert.notNull(context, "'context' must not be null");
		this.config = config;
		this.registrar = registrar;
		this.listener = listener;
		this.enabled = enabled;
		this.context = context;
	}

	/**
	 * Return the configuration the server runs with.
	 * @return the configuration
	 */
	public ServerConfig getServerConfig() {
		return this.config;
	}

	/**
	 * Decide, once every singleton exists, whether there is a server: fails start-up when
	 * {@code anet.server.enabled=true} finds no handler.
	 */
	@Override
	public void afterSingletonsInstantiated() {
		getServer();
	}

	/**
	 * Return the server, created at the first call once every singleton exists.
	 * @return the server, or {@code null} when there is no handler (then nothing is served)
	 * @throws IllegalStateException if {@code anet.server.enabled=true} and there is no handler
	 */
	public @Nullable AnetServer getServer() {
		synchronized (this.monitor) {
			if (!this.decided) {
				AnetRouter router = this.registrar.getRouter();
				if (router.isEmpty()) {
					if (Boolean.TRUE.equals(this.enabled)) {
						throw new IllegalStateException("anet.server.enabled=true but there is no @AnetHandler: annotate "
								+ "a bean that implements dev.anet.server.Handler, or a method of a bean, with "
								+ "@dev.anet.boot.AnetHandler, or remove anet.server.enabled");
					}
					logger.debug("No @AnetHandler: the anet server does not run");
				}
				else {
					this.server = newServer(router);
				}
				this.decided = true;
			}
			return this.server;
		}
	}

	@Override
	public void start() {
		synchronized (this.monitor) {
			AnetServer server = getServer();
			if (server == null || server.isRunning()) {
				return;
			}
			if (server.port() != -1) {
				// stopped before: a core server starts once, so make a new one
				server = newServer(this.registrar.getRouter());
				this.server = server;
			}
			try {
				server.start();
			}
			catch (UncheckedIOException ex) {
				if (ex.getCause() instanceof UnknownHostException || isNotLocal(ex.getCause())) {
					throw new AnetServerAddressException(this.config.address(), this.config.port(), ex);
				}
				if (ex.getCause() instanceof BindException) {
					throw new AnetServerPortInUseException(this.config.address(), this.config.port(), ex);
				}
				throw ex;
			}
			publishPort(this.context, server.port());
			startKeepAliveThread();
			this.context.publishEvent(new AnetServerStartedEvent(server, server.port()));
		}
	}

	/**
	 * Make the server over the router: asynchronous when a route answers later (its answers are
	 * then written when their stages complete, with no thread waiting), else a plain one.
	 */
	private AnetServer newServer(AnetRouter router) {
		if (router.isAsync()) {
			logger.debug("An @AnetHandler answers later: the anet server is asynchronous");
			return AnetServer.async(this.config, router.asyncHandler(), this.listener);
		}
		return new AnetServer(this.config, router, this.listener);
	}

	/** A bind to an address that is not this machine's ("Cannot assign requested address"). */
	private static boolean isNotLocal(Throwable cause) {
		return cause instanceof BindException && String.valueOf(cause.getMessage()).contains("assign");
	}

	private void startKeepAliveThread() {
		CountDownLatch latch = new CountDownLatch(1);
		Thread thread = new Thread(() -> {
			try {
				latch.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}, "anet-server-keep-alive");
		thread.setDaemon(false);
		thread.start();
		this.keepAlive = latch;
	}

	@Override
	public void stop() {
		AnetServer server;
		synchronized (this.monitor) {
			server = this.server;
		}
		try {
			if (server != null) {
				server.stop();
			}
		}
		finally {
			synchronized (this.monitor) {
				CountDownLatch keepAlive = this.keepAlive;
				if (keepAlive != null) {
					keepAlive.countDown();
					this.keepAlive = null;
				}
			}
		}
	}

	@Override
	public boolean isRunning() {
		synchronized (this.monitor) {
			AnetServer server = this.server;
			return server != null && server.isRunning();
		}
	}

	@Override
	public int getPhase() {
		return DEFAULT_PHASE;
	}

	@Override
	public void destroy() {
		stop();
	}

	private static void publishPort(ApplicationContext context, int port) {
		if (context instanceof ConfigurableApplicationContext configurable) {
			publishPort(configurable.getEnvironment(), port);
		}
		ApplicationContext parent = context.getParent();
		if (parent != null) {
			publishPort(parent, port);
		}
	}

	@SuppressWarnings("unchecked")
	private static void publishPort(ConfigurableEnvironment environment, int port) {
		MutablePropertySources sources = environment.getPropertySources();
		PropertySource<?> source = sources.get(PROPERTY_SOURCE_NAME);
		if (source == null) {
			source = new MapPropertySource(PROPERTY_SOURCE_NAME, new HashMap<>());
			sources.addFirst(source);
		}
		((Map<String, Object>) source.getSource()).put(PORT_PROPERTY, port);
	}

}
