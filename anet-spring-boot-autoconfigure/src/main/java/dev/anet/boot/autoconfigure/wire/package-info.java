/**
 * Auto-configuration of the anet wire log.
 */
@NullMarked
package dev.anet.boot.autoconfigure.wire;

import org.jspecify.annotations.NullMarked;
