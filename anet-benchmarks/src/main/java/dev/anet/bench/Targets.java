package dev.anet.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import dev.anet.AnetException;
import dev.anet.broker.Broker;
import dev.anet.broker.BrokerConfig;
import dev.anet.pool.AnetConnection;
import dev.anet.pool.PoolConfig;
import dev.anet.pool.PoolGroup;
import dev.anet.pool.PoolListener;
import org.jspecify.annotations.Nullable;

/**
 * What the driving commands share: the loopback-only check of {@code --host}/{@code --port}, and a
 * broker whose connections are all dialled before the measurement starts.
 */
final class Targets {

	private Targets() {
	}

	/**
	 * Check a target: loopback only, port in range.
	 * @param host the {@code --host}
	 * @param port the {@code --port}
	 * @return what is wrong with it, or {@code null} when it may be used
	 */
	static @Nullable String loopbackProblem(String host, int port) {
		try {
			if (!InetAddress.getByName(host).isLoopbackAddress()) {
				return "refusing non-loopback --host " + host;
			}
		}
		catch (UnknownHostException ex) {
			return "cannot resolve --host " + host;
		}
		if (port < 1 || port > 65535) {
			return "--port must be in 1..65535 but was " + port;
		}
		return null;
	}

	/**
	 * Open a broker over one address with {@code pool.capacity()} connections dialled up front, so
	 * that no dial happens while requests are measured.
	 * @param address the server
	 * @param pool the pool configuration
	 * @param broker the broker configuration
	 * @return the broker (it owns the pool)
	 * @throws AnetException if a dial fails (the pool is closed)
	 */
	static Broker preDialledBroker(InetSocketAddress address, PoolConfig pool, BrokerConfig broker) {
		PoolGroup pools = new PoolGroup(List.of(address), pool, PoolListener.NONE);
		List<AnetConnection> dialled = new ArrayList<>();
		try {
			for (int i = 0; i < pool.capacity(); i++) {
				dialled.add(pools.get());
			}
		}
		catch (AnetException ex) {
			pools.close();
			throw ex;
		}
		dialled.forEach(pools::put);
		return new Broker(pools, broker);
	}

}
