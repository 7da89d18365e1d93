/**
 * Auto-configuration for anet: properties, the pool group and broker, the {@code @AnetHandler} server
 * and its lifecycle.
 */
@NullMarked
package dev.anet.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;
