/**
 * Auto-configuration of the {@code anet} health contributor.
 */
@NullMarked
package dev.anet.boot.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
