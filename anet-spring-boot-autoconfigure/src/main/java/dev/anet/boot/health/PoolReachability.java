package dev.anet.boot.health;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.anet.pool.PoolListener;
import org.jspecify.annotations.Nullable;

/**
 * What the dials of each pool address said last: a {@link PoolListener} that
 * {@link AnetHealthIndicator} reads. An address is down from a failed dial until a dial succeeds,
 * whatever its failover back-off is doing; an address never dialled is unknown. Only dials are
 * listened to, so the hot path pays nothing.
 */
public class PoolReachability implements PoolListener {

	private final Map<InetSocketAddress, State> states = new ConcurrentHashMap<>();

	@Override
	public void connectionCreated(InetSocketAddress address) {
		this.states.put(address, State.REACHABLE);
	}

	@Override
	public void dialFailed(InetSocketAddress address, Throwable cause) {
		this.states.put(address, new State(false, cause));
	}

	/**
	 * Return what the last dial to the address said.
	 * @param address the address
	 * @return the state, or {@code null} if the address was never dialled
	 */
	public @Nullable State state(InetSocketAddress address) {
		return this.states.get(address);
	}

	/**
	 * The outcome of the last dial to an address.
	 *
	 * @param reachable whether it succeeded
	 * @param cause why it failed, {@code null} when it succeeded
	 */
	public record State(boolean reachable, @Nullable Throwable cause) {

		static final State REACHABLE = new State(true, null);

		/**
		 * Return the cause as the health details show it: its message ({@code Connection refused}),
		 * or its class when it has none.
		 * @return the message, {@code null} when the dial succeeded
		 */
		public @Nullable String error() {
			Throwable cause = this.cause;
			if (cause == null) {
				return null;
			}
			String message = cause.getMessage();
			return (message != null && !message.isBlank()) ? message : cause.getClass().getSimpleName();
		}

	}

}
