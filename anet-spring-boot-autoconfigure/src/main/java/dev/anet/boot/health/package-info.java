/**
 * Health indicator for anet's pools, broker and server.
 */
@NullMarked
package dev.anet.boot.health;

import org.jspecify.annotations.NullMarked;
