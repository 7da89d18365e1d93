/**
 * Connection pools: per address ({@link dev.anet.pool.ConnectionPool}) and over several addresses
 * with round-robin and failover ({@link dev.anet.pool.PoolGroup}).
 */
@NullMarked
package dev.anet.pool;

import org.jspecify.annotations.NullMarked;
