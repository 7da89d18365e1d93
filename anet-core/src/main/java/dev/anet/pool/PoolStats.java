package dev.anet.pool;

import java.net.InetSocketAddress;

import org.jspecify.annotations.Nullable;

/**
 * A snapshot of one pool.
 *
 * @param address the pool's address
 * @param total open connections plus dials in progress
 * @param active connections handed out (or waiting for a free in-flight slot)
 * @param idle connections ready to be handed out
 * @param pending callers waiting for a connection
 * @param max the capacity
 * @param down whether the address is in its failover back-off after failed dials
 * @param lastError the last dial or connection failure, if any
 */
public record PoolStats(InetSocketAddress address, int total, int active, int idle, int pending, int max,
		boolean down, @Nullable String lastError) {

	@Override
	public String toString() {
		return "total=" + this.total + ", active=" + this.active + ", idle=" + this.idle + ", waiting="
				+ this.pending + ", max=" + this.max;
	}

}
