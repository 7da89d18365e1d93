package dev.anet.boot.autoconfigure.discovery;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.anet.boot.autoconfigure.AnetClientDiscovery;
import dev.anet.pool.PoolGroup;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.util.StringUtils;

/**
 * {@link AnetClientDiscovery} over Spring Cloud's {@link DiscoveryClient}, as grpc-spring's
 * {@code DiscoveryClientNameResolver} does: the addresses of a service are its instances' hosts,
 * each with the port of its metadata {@value #PORT_METADATA_KEY}, else the instance's port. A
 * tracked client's pool group is given the instances again on every {@link HeartbeatEvent} and
 * every refresh interval ({@link PoolGroup#updateAddresses}: nothing fails because of a change).
 * A read that finds no instance, or fails, keeps the last known addresses and says so in
 * {@link #details}. The refreshes run on one daemon thread, {@code anet-discovery}.
 */
public class DiscoveryClientAnetClientDiscovery
		implements AnetClientDiscovery, ApplicationListener<HeartbeatEvent>, AutoCloseable {

	/** The instance metadata key of the anet port, when the instance's port is another protocol's. */
	public static final String PORT_METADATA_KEY = "anet.port";

	private static final Logger logger = LoggerFactory.getLogger(DiscoveryClientAnetClientDiscovery.class);

	private final ObjectProvider<DiscoveryClient> discoveryClient;

	private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();

	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "anet-discovery");
		thread.setDaemon(true);
		return thread;
	});

	/**
	 * Create a discovery over the application's {@link DiscoveryClient}.
	 * @param discoveryClient the discovery client, asked for at every read
	 */
	public DiscoveryClientAnetClientDiscovery(ObjectProvider<DiscoveryClient> discoveryClient) {
		this.discoveryClient = discoveryClient;
	}

	@Override
	public List<InetSocketAddress> addresses(String serviceId) {
		DiscoveryClient client = this.discoveryClient.getIfAvailable();
		if (client == null) {
			throw new IllegalStateException("No DiscoveryClient bean for the instances of service '" + serviceId
					+ "': add a Spring Cloud discovery implementation or spring.cloud.discovery.client.simple");
		}
		List<InetSocketAddress> addresses = new ArrayList<>();
		for (ServiceInstance instance : client.getInstances(serviceId)) {
			addresses.add(new InetSocketAddress(instance.getHost(), port(instance)));
		}
		return addresses;
	}

	private static int port(ServiceInstance instance) {
		Map<String, String> metadata = instance.getMetadata();
		String port = (metadata != null) ? metadata.get(PORT_METADATA_KEY) : null;
		if (!StringUtils.hasText(port)) {
			return instance.getPort();
		}
		try {
			return Integer.parseInt(port.trim());
		}
		catch (NumberFormatException ex) {
			throw new IllegalStateException("Instance " + instance.getInstanceId() + " of service '"
					+ instance.getServiceId() + "' has metadata " + PORT_METADATA_KEY + "=" + port
					+ ", which is not a port", ex);
		}
	}

	@Override
	public void track(String client, String serviceId, Duration refreshInterval, PoolGroup pools) {
		Tracked entry = new Tracked(serviceId, pools);
		entry.future = this.scheduler.scheduleWithFixedDelay(() -> refresh(client, entry), refreshInterval.toMillis(),
				refreshInterval.toMillis(), TimeUnit.MILLISECONDS);
		Tracked previous = this.tracked.put(client, entry);
		if (previous != null) {
			previous.cancel();
		}
	}

	/**
	 * Read the instances of every tracked client now, on the discovery thread.
	 */
	public void refresh() {
		this.tracked.forEach((client, entry) -> this.scheduler.execute(() -> refresh(client, entry)));
	}

	@Override
	public void onApplicationEvent(HeartbeatEvent event) {
		refresh();
	}

	private void refresh(String client, Tracked entry) {
		try {
			if (entry.pools.isClosed()) {
				entry.cancel();
				this.tracked.remove(client, entry);
				return;
			}
			List<InetSocketAddress> addresses = addresses(entry.serviceId);
			if (addresses.isEmpty()) {
				if (entry.error == null || !entry.empty) {
					logger.warn("anet client '{}': service '{}' has no instances; keeping the last known addresses {}",
							client, entry.serviceId, entry.pools.addresses());
				}
				entry.fail(true, "no instances; kept the last known addresses");
				return;
			}
			if (!entry.pools.isResolved()) {
				// a lazy group asks discovery itself on first use
				entry.succeed(addresses.size());
				return;
			}
			entry.pools.updateAddresses(addresses);
			entry.succeed(addresses.size());
		}
		catch (RuntimeException ex) {
			if (entry.error == null) {
				logger.warn("anet client '{}': reading the instances of service '{}' failed; keeping the last known "
						+ "addresses {}", client, entry.serviceId, entry.pools.addresses(), ex);
			}
			entry.fail(false, "failed (" + ex.getMessage() + "); kept the last known addresses");
		}
	}

	@Override
	public @Nullable Map<String, Object> details(String client) {
		Tracked entry = this.tracked.get(client);
		if (entry == null) {
			return null;
		}
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("serviceId", entry.serviceId);
		details.put("instances", entry.instances);
		details.put("addresses", entry.pools.addresses());
		String error = entry.error;
		details.put("status", (error != null) ? error : "ok");
		return details;
	}

	@Override
	public void close() {
		this.scheduler.shutdownNow();
	}

	/**
	 * One tracked client: its service, its pool group and what the last read said.
	 */
	private static final class Tracked {

		private final String serviceId;

		private final PoolGroup pools;

		private volatile @Nullable ScheduledFuture<?> future;

		private volatile int instances = -1;

		private volatile boolean empty;

		private volatile @Nullable String error;

		Tracked(String serviceId, PoolGroup pools) {
			this.serviceId = serviceId;
			this.pools = pools;
		}

		void succeed(int instances) {
			this.instances = instances;
			this.empty = false;
			this.error = null;
		}

		void fail(boolean empty, String error) {
			if (empty) {
				this.instances = 0;
			}
			this.empty = empty;
			this.error = error;
		}

		void cancel() {
			ScheduledFuture<?> future = this.future;
			if (future != null) {
				future.cancel(false);
			}
		}

	}

}
