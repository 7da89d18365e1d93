/**
 * Micrometer meters for anet's pools, broker and server.
 */
@NullMarked
package dev.anet.boot.metrics;

import org.jspecify.annotations.NullMarked;
