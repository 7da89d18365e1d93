/**
 * Auto-configuration of anet's Micrometer observations.
 */
@NullMarked
package dev.anet.boot.autoconfigure.observation;

import org.jspecify.annotations.NullMarked;
