package dev.anet.boot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.anet.pool.Balancing;
import org.jspecify.annotations.Nullable;

/**
 * Properties of one named client, {@code anet.clients.<name>.*}. {@code pool.*} and
 * {@code broker.*} take every key of {@code anet.pool.*} and {@code anet.broker.*}; a key the
 * client does not set has the value of {@code anet.pool.*} / {@code anet.broker.*}.
 */
public class AnetClientProperties {

	/**
	 * Addresses (host:port, an IPv6 host in brackets) of the client's anet servers. Required
	 * unless discovery.service-id is set. May refer to ${local.anet.server.port}.
	 */
	private List<String> addresses = new ArrayList<>();

	/**
	 * How the address of the next write is picked: round-robin, or least-in-flight (of two random
	 * addresses, the one with the lower (requests in flight + 1) times recent answer time).
	 */
	private Balancing balancing = Balancing.ROUND_ROBIN;

	/**
	 * Connection pools of the client; unset keys come from anet.pool.
	 */
	private final AnetProperties.Pool pool = new AnetProperties.Pool();

	/**
	 * Broker of the client; unset keys come from anet.broker.
	 */
	private final AnetProperties.Broker broker = new AnetProperties.Broker();

	/**
	 * Addresses from a Spring Cloud DiscoveryClient.
	 */
	private final Discovery discovery = new Discovery();

	public List<String> getAddresses() {
		return this.addresses;
	}

	public void setAddresses(List<String> addresses) {
		this.addresses = addresses;
	}

	public Balancing getBalancing() {
		return this.balancing;
	}

	public void setBalancing(Balancing balancing) {
		this.balancing = balancing;
	}

	public AnetProperties.Pool getPool() {
		return this.pool;
	}

	public AnetProperties.Broker getBroker() {
		return this.broker;
	}

	public Discovery getDiscovery() {
		return this.discovery;
	}

	/**
	 * Addresses from a Spring Cloud {@code DiscoveryClient}.
	 */
	public static class Discovery {

		/**
		 * Service id whose instances are the client's addresses (needs spring-cloud-commons).
		 * The port is the instance metadata anet.port, else the instance's port.
		 */
		private @Nullable String serviceId;

		/**
		 * Interval between two reads of the service's instances, besides every HeartbeatEvent.
		 */
		private Duration refreshInterval = Duration.ofSeconds(30);

		public @Nullable String getServiceId() {
			return this.serviceId;
		}

		public void setServiceId(@Nullable String serviceId) {
			this.serviceId = serviceId;
		}

		public Duration getRefreshInterval() {
			return this.refreshInterval;
		}

		public void setRefreshInterval(Duration refreshInterval) {
			this.refreshInterval = refreshInterval;
		}

	}

}
