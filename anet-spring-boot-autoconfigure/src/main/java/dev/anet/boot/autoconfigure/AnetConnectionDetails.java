package dev.anet.boot.autoconfigure;

import java.net.InetSocketAddress;
import java.util.List;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * Details of the connections of the default anet client: where its servers are. The
 * auto-configuration reads {@code anet.pool.addresses} ({@link PropertiesAnetConnectionDetails})
 * unless there is a bean of this type, which then replaces the properties (a service connection,
 * such as a container started by a test).
 */
public interface AnetConnectionDetails extends ConnectionDetails {

	/**
	 * Return the addresses of the anet servers, in order.
	 * @return the addresses, at least one
	 */
	List<InetSocketAddress> getAddresses();

}
