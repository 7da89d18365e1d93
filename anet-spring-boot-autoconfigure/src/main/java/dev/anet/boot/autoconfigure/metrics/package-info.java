/**
 * Auto-configuration of the anet Micrometer meters.
 */
@NullMarked
package dev.anet.boot.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
