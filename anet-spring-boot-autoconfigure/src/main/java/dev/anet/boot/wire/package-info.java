/**
 * The wire log: each anet frame at DEBUG on the logger {@code dev.anet.wire}, through a
 * {@link dev.anet.boot.wire.WireMasker}.
 */
@NullMarked
package dev.anet.boot.wire;

import org.jspecify.annotations.NullMarked;
