package dev.anet.boot.autoconfigure;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.anet.pool.PoolGroup;
import org.jspecify.annotations.Nullable;

/**
 * Where a named client with {@code anet.clients.<name>.discovery.service-id} takes its
 * addresses from, and keeps them current. The auto-configuration provides one over Spring Cloud's
 * {@code DiscoveryClient} when {@code spring-cloud-commons} is on the class path.
 */
public interface AnetClientDiscovery {

	/**
	 * Return the addresses of a service's instances now.
	 * @param serviceId the service id
	 * @return the addresses, empty if the service has no instance
	 */
	List<InetSocketAddress> addresses(String serviceId);

	/**
	 * Keep a client's pool group on the service's instances from now on.
	 * @param client the client's name
	 * @param serviceId the service id
	 * @param refreshInterval the interval between two reads of the instances
	 * @param pools the client's pool group
	 */
	void track(String client, String serviceId, Duration refreshInterval, PoolGroup pools);

	/**
	 * Return what the last read of a client's instances said, for its health.
	 * @param client the client's name
	 * @return the details, {@code null} if the client is not tracked
	 */
	@Nullable Map<String, Object> details(String client);

}
